// Settings fold on a narrow screen (a phone, a tablet upright): each section's legend gets a button
// that shows or hides the rest of the section, so the picture and the Run buttons come first and
// the settings are a short list below them. On a wide screen every section is open and the
// buttons are gone. Both pages use it; a section that holds what a lesson points at opens for it.
import { t } from './i18n.js';

/** The width below which the page is one column (style.css says the same). */
const NARROW = '(max-width: 1000px)'; // not shown
const narrow = globalThis.matchMedia?.(NARROW);

const sections = [];

/** The legend's own words: its text without the "?" help, its tip and the "new run" note. */
function nameOf(legend) {
  const copy = legend.cloneNode(true);
  for (const el of copy.querySelectorAll('button, .tip, small')) el.remove(); // not shown
  return copy.textContent.trim();
}

function setOpen(section, open) {
  section.open = open;
  section.fieldset.classList.toggle('folded', !open && narrow.matches);
  section.button.setAttribute('aria-expanded', String(open || !narrow.matches));
}

/**
 * Makes each of `fieldsets` foldable; those in `open` start open on a narrow screen (the others
 * closed). Runs once, after the page's texts are in place (the buttons are named after the legends).
 */
export function foldSections(fieldsets, { open = [] } = {}) {
  if (!narrow) return;
  for (const fieldset of fieldsets) {
    const legend = fieldset.querySelector(':scope > legend');
    if (!legend) continue;
    fieldset.id ||= `section-${sections.length + 1}`;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'fold';
    button.setAttribute('aria-controls', fieldset.id);
    button.setAttribute('aria-label', t('a11y.fold', { name: nameOf(legend) }));
    legend.prepend(button);
    const section = { fieldset, button, open: open.includes(fieldset) };
    // The whole legend is the target (its "?" keeps its own job).
    legend.addEventListener('click', (ev) => {
      if (!narrow.matches || (ev.target.closest('button, .tip') && ev.target !== button)) return;
      setOpen(section, !section.open);
    });
    sections.push(section);
    setOpen(section, section.open);
  }
}

/** Opens the folded section that holds `el`, if any (a lesson points at a control inside it). */
export function unfold(el) {
  const section = sections.find((s) => s.fieldset.contains(el));
  if (section && !section.open) setOpen(section, true);
}

narrow?.addEventListener('change', () => {
  for (const s of sections) setOpen(s, s.open);
});
