// Help tips: a small "?" button beside a label shows a short text (and its formula) on hover, on
// keyboard focus and on a tap, and screen readers announce it (aria-describedby). A title attribute
// alone reaches neither touch screens nor screen readers. The texts come from state.js (PROPS,
// READOUTS, PAGE_HELP): this room only shows them.
import { PROP, READOUTS, PAGE_HELP } from '../state.js';
import { t } from '../i18n.js';
import { $ } from './page.js';

/** Every tip made, to close the others when one opens and all of them on Escape or a tap elsewhere. */
const tips = [];

/** The tip element for `entry` ({ label, help, formula? }), id `help-${id}`, hidden. */
function tipFor(id, entry) {
  const tip = document.createElement('span');
  tip.id = `help-${id}`;
  tip.className = 'tip';
  tip.setAttribute('role', 'tooltip');
  tip.hidden = true;
  tip.append(entry.help);
  if (entry.formula) {
    const f = document.createElement('span');
    f.className = 'formula';
    f.textContent = entry.formula;
    tip.append(f);
  }
  return tip;
}

/**
 * A "?" button and its tip for `entry`. The tip shows while the button is hovered or focused, and
 * stays open after a click or tap until the next one (or Escape, or a tap elsewhere).
 */
export function helpTip(id, entry) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'help';
  button.textContent = '?';
  button.setAttribute('aria-label', t('pg.help.about', { label: entry.label }));
  button.setAttribute('aria-expanded', 'false');
  const tip = tipFor(id, entry);
  button.setAttribute('aria-describedby', tip.id);
  const self = { button, tip, pinned: false, hovered: false, focused: false };
  const update = () => {
    const open = self.pinned || self.hovered || self.focused;
    if (open) for (const other of tips) if (other !== self && other.pinned) close(other);
    tip.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
  };
  self.update = update;
  button.addEventListener('pointerenter', (ev) => {
    if (ev.pointerType !== 'mouse') return;
    self.hovered = true;
    update();
  });
  button.addEventListener('pointerleave', () => {
    self.hovered = false;
    update();
  });
  button.addEventListener('focus', () => {
    self.focused = true;
    update();
  });
  button.addEventListener('blur', () => {
    self.focused = false;
    update();
  });
  button.addEventListener('click', (ev) => {
    // A button inside a <label> would otherwise also act on the label's control.
    ev.preventDefault();
    self.pinned = !self.pinned;
    if (!self.pinned) self.hovered = self.focused = false;
    update();
  });
  tips.push(self);
  return { button, tip };
}

function close(t) {
  t.pinned = t.hovered = t.focused = false;
  t.tip.hidden = true;
  t.button.setAttribute('aria-expanded', 'false');
}

document.addEventListener('keydown', (ev) => {
  if (ev.key !== 'Escape') return;
  for (const t of tips) if (!t.tip.hidden) close(t);
});
document.addEventListener('pointerdown', (ev) => {
  for (const t of tips) if (t.pinned && !t.button.contains(ev.target) && !t.tip.contains(ev.target)) close(t);
});

/** Puts a tip in the legend of `fieldset` for `entry`; `describes`: the element it describes. */
function legendTip(fieldset, id, entry, describes) {
  const legend = fieldset?.querySelector(':scope > legend');
  if (!legend) return;
  const { button, tip } = helpTip(id, entry);
  legend.classList.add('has-help');
  legend.append(' ', button, tip);
  describes?.setAttribute('aria-describedby', tip.id);
}

/**
 * Puts a tip beside every readout of the page (the `<dt>` before each `<dd>` READOUTS names) and
 * beside the controls that are not made by controls.js: the dataset pictures, the Run group's
 * buttons, the backend choice.
 */
export function helpPage() {
  for (const [id, entry] of Object.entries(READOUTS)) {
    const dd = $(id);
    const dt = dd?.previousElementSibling;
    if (!dt || dt.tagName !== 'DT' || dt.querySelector('.help')) continue;
    const { button, tip } = helpTip(id, entry);
    dt.classList.add('has-help');
    dt.append(' ', button, tip);
    dd.setAttribute('aria-describedby', tip.id);
  }
  legendTip(document.querySelector('fieldset[data-prop=dataset]'), 'dataset', PROP.dataset, $('thumbs')); // not shown
  legendTip(document.querySelector('fieldset.run'), 'run', PAGE_HELP.run);
  const backend = $('backend');
  if (backend) {
    const { button, tip } = helpTip('backend', PAGE_HELP.backend);
    backend.previousElementSibling?.after(' ', button);
    backend.after(tip);
    backend.setAttribute('aria-describedby', tip.id);
  }
}
