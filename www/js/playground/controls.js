// The controls, made from the property table: one per property whose group has a place on the page
// (a select, a checkbox, a slider or a text field, as the table says), each with its "?" help tip,
// kept in step with the state. A bad value (or one the engine refuses) gets a message next to its
// field (aria-invalid), and the control shows the value in force again.
import { PROPS, PROP, parseValue, formatValue, fieldOf } from '../state.js';
import { quote } from '../text.js';
import { helpTip } from './help.js';
import { t } from '../i18n.js';
import { $, message, optionLabel } from './page.js';

/**
 * The control's field: a label, its "?" tip, the input and a place for its error message, in one
 * element whose data-prop is the property's key (what a classroom link hides).
 */
function controlFor(p) {
  const wrap = document.createElement('div');
  wrap.className = 'field';
  wrap.dataset.prop = p.key;
  const label = document.createElement('label');
  label.htmlFor = `p-${p.key}`;
  label.textContent = p.label;
  let input;
  if (p.type === 'enum') {
    input = document.createElement('select');
    for (const o of p.options) input.add(new Option(optionLabel(p.key, o), o));
  } else if (p.type === 'bool') {
    wrap.classList.add('check');
    input = document.createElement('input');
    input.type = 'checkbox';
  } else if (p.widget === 'range') {
    input = document.createElement('input');
    input.type = 'range';
    input.min = p.min;
    input.max = p.max;
    input.step = 1;
  } else {
    input = document.createElement('input');
    input.type = 'text';
    input.inputMode = p.type === 'int' ? 'numeric' : 'decimal';
    input.spellcheck = false;
  }
  input.id = `p-${p.key}`;
  input.name = p.key;
  // Settings the running model cannot take say so before they are changed.
  if (p.change === 'new') label.append(' ', newRunNote());
  const { button, tip } = helpTip(p.key, p);
  input.setAttribute('aria-describedby', tip.id);
  const error = document.createElement('span');
  error.id = `error-${p.key}`;
  error.className = 'field-error';
  error.hidden = true;
  if (p.type === 'bool') wrap.append(input, label, button, tip, error);
  else if (p.widget === 'range') {
    const out = document.createElement('output');
    out.id = `${p.key}-value`;
    out.htmlFor = input.id;
    wrap.append(label, ' ', out, button, input, tip, error);
  } else wrap.append(label, button, input, tip, error);
  return { wrap, input, error, tip };
}

function newRunNote() {
  const note = document.createElement('small');
  note.className = 'new-run';
  note.textContent = t('pg.newRun.mark');
  note.title = t('pg.newRun.markTip');
  return note;
}

const read = (p, input) => (p.type === 'bool' ? (input.checked ? '1' : '0') : input.value);

export class Controls {
  /** `set(key, value)`: a control's new, valid value; `current()`: the state in force; `refused()`: put the controls back. */
  constructor({ set, current, refused }) {
    this.current = current;
    this.fields = new Map(); // key → { p, input, error, tip, kept }; kept: the value in force when an error was shown
    for (const p of PROPS) {
      const group = $(`group-${p.group}`);
      if (!group || p.widget === 'thumbs') continue;
      const field = { p, ...controlFor(p), kept: undefined };
      const { input } = field;
      input.addEventListener('change', () => {
        const text = read(p, input);
        const parsed = parseValue(p, text);
        if (!parsed.error) {
          this.clearError(p.key);
          return set(p.key, parsed.value);
        }
        const said = t('pg.field.kept', { error: parsed.error, value: formatValue(p, current()[p.key]) });
        message(said);
        this.showError(p.key, t('pg.field.notTaken', { text: quote(text, 24), why: said }));
        refused();
      });
      // Typing a good value clears the mark at once (a bad one is only marked when entered).
      input.addEventListener('input', () => {
        if (field.kept !== undefined && !parseValue(p, read(p, input)).error) this.clearError(p.key);
      });
      group.append(field.wrap);
      this.fields.set(p.key, field);
    }
  }

  /** The list of [property, input] of every control (for tests and other rooms). */
  get inputs() {
    return [...this.fields.values()].map((f) => [f.p, f.input]);
  }

  /** Shows `text` next to the field of property `key` and marks the field invalid. */
  showError(key, text) {
    const f = this.fields.get(key);
    if (!f) return false;
    f.kept = formatValue(f.p, this.current()[key]);
    f.error.textContent = text;
    f.error.hidden = false;
    f.input.setAttribute('aria-invalid', 'true');
    f.input.setAttribute('aria-describedby', `${f.error.id} ${f.tip.id}`);
    return true;
  }

  clearError(key) {
    const f = this.fields.get(key);
    if (!f || f.kept === undefined) return;
    f.kept = undefined;
    f.error.hidden = true;
    f.error.textContent = '';
    f.input.removeAttribute('aria-invalid');
    f.input.setAttribute('aria-describedby', f.tip.id);
  }

  /**
   * The engine refused a new run's settings (`error`, one of its config errors, which name their
   * field): the message goes next to that field too, when the page has one.
   */
  refusedByEngine(error) {
    const text = String(error?.message ?? error);
    const key = fieldOf(text, this.current());
    if (!key || !this.fields.has(key)) return false;
    return this.showError(key, t('pg.field.kept', { error: text, value: formatValue(PROP[key], this.current()[key]) }));
  }

  /** Shows a state: every value, the controls it does not use greyed out, and what a link hides. */
  sync(state) {
    for (const f of this.fields.values()) {
      const { p, input } = f;
      if (p.type === 'bool') input.checked = state[p.key];
      else input.value = formatValue(p, p.follows?.(state) ?? state[p.key]);
      // An error stays until a good value is entered, or the value changes some other way (a link, a file).
      if (f.kept !== undefined && formatValue(p, state[p.key]) !== f.kept) this.clearError(p.key);
      // Controls the current choices do not use are greyed out (still kept in the link).
      if (p.unused) input.disabled = p.unused(state);
      if (p.readout) $(`${p.key}-value`).textContent = p.readout(state[p.key]);
    }
    document.body.classList.toggle('embed', state.embed);
    for (const el of document.querySelectorAll('[data-prop]')) el.classList.toggle('hidden-by-link', state.hide.includes(el.dataset.prop));
  }
}
