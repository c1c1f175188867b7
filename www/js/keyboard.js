// What both pages share about the keyboard: which elements take their own keys (a page's
// single-key shortcuts never act there: Space presses the focused button, an arrow moves in the
// focused list), and panels that take the focus when they open and give it back when they close.

/** Elements whose keys are their own: every control, anything focusable, a dialog. */
const OWN_KEYS = ['button', 'input', 'select', 'textarea', 'summary', 'a[href]', '[role=radio]', '[role=gridcell]', '[tabindex]', '[contenteditable]:not([contenteditable=false])', 'dialog'].join();

/** Whether a key pressed on `el` belongs to it (and so to no page shortcut). */
export const takesKeys = (el) => !!el?.closest?.(OWN_KEYS);

/** Whether focus can go to `el` now: still on the page, shown and enabled. */
const focusable = (el) => !!el?.isConnected && !el.disabled && el.getClientRects().length > 0;

/**
 * A panel that opens and closes with its `hidden` attribute. `enter(target)` moves the focus into
 * it (keeping where the focus was); once it is hidden again, a focus that was in it (and so is
 * lost) goes back there, or to `fallback()` where that is gone.
 */
export class Handback {
  constructor(panel, fallback) {
    this.panel = panel;
    this.fallback = fallback;
    this.from = null;
    new MutationObserver(() => panel.hidden && this.back()).observe(panel, { attributes: true, attributeFilter: ['hidden'] });
  }

  /** The panel opened: the focus moves to `target` (none: the panel focuses its own). */
  enter(target) {
    const was = document.activeElement;
    // Opened again from inside (another round): the first opener stays.
    if (!this.panel.contains(was)) this.from = was && was !== document.body ? was : null;
    target?.focus({ preventScroll: true });
  }

  back() {
    const now = document.activeElement;
    const lost = !now || now === document.body || this.panel.contains(now);
    const to = focusable(this.from) ? this.from : this.fallback();
    this.from = null;
    if (lost && focusable(to)) to.focus({ preventScroll: true });
  }
}

const STEPS = { ArrowLeft: -1, ArrowUp: -1, ArrowRight: 1, ArrowDown: 1 };

/**
 * The arrow keys move the focus between `container`'s `items` (a selector), round at the ends.
 * Only the focus: Space or Enter then presses the one focused (where picking starts a new run,
 * moving through the choices must not).
 */
export function arrowsMove(container, items) {
  container.addEventListener('keydown', (ev) => {
    const by = STEPS[ev.key];
    if (!by || ev.ctrlKey || ev.metaKey || ev.altKey || ev.shiftKey) return;
    const all = [...container.querySelectorAll(items)];
    const i = all.indexOf(ev.target.closest(items));
    if (i < 0) return;
    ev.preventDefault();
    all[(i + by + all.length) % all.length].focus();
  });
}

/**
 * The in-page links in `container` (`href="#id"`) move the focus to their target, opening a closed
 * <details> around it first (a link alone only scrolls, and not into a closed <details>).
 */
export function focusLinks(container) {
  container.addEventListener('click', (ev) => {
    const a = ev.target.closest('a[href^="#"]');
    const to = a && document.getElementById(a.getAttribute('href').slice(1));
    if (!to) return;
    ev.preventDefault();
    const details = to.closest('details');
    if (details) details.open = true;
    to.focus();
  });
}
