// The controls, made from the property table: one per property whose group has a place on the page
// (a select, a checkbox, a slider or a text field, as the table says), kept in step with the state.
// A bad value gets a message and the control shows the old one again.
import { PROPS, parseValue, formatValue } from '../state.js';
import { $, message } from './page.js';

/** The control's element, in its label (the property's key is the label's data-prop). */
function controlFor(p) {
  const wrap = document.createElement('label');
  wrap.dataset.prop = p.key;
  if (p.help) wrap.title = p.help;
  let input;
  if (p.type === 'enum') {
    input = document.createElement('select');
    for (const o of p.options) input.add(new Option(o.replaceAll('_', ' '), o));
  } else if (p.type === 'bool') {
    wrap.className = 'check';
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
  const label = p.change === 'new' ? [p.label, ' ', newRunNote()] : [p.label];
  if (p.type === 'bool') wrap.append(input, ' ', ...label);
  else if (p.widget === 'range') {
    const out = document.createElement('output');
    out.id = `${p.key}-value`;
    wrap.append(...label, ' ', out, input);
  } else wrap.append(...label, input);
  return { wrap, input };
}

function newRunNote() {
  const note = document.createElement('small');
  note.className = 'new-run';
  note.textContent = '↻ new run';
  note.title = 'Changing this starts a new run (the others apply to the running model)';
  return note;
}

const read = (p, input) => (p.type === 'bool' ? (input.checked ? '1' : '0') : input.value);

export class Controls {
  /** `set(key, value)`: a control's new, valid value; `current()`: the state in force; `refused()`: put the controls back. */
  constructor({ set, current, refused }) {
    this.inputs = [];
    for (const p of PROPS) {
      const group = $(`group-${p.group}`);
      if (!group || p.widget === 'thumbs') continue;
      const { wrap, input } = controlFor(p);
      input.addEventListener('change', () => {
        const parsed = parseValue(p, read(p, input));
        if (!parsed.error) return set(p.key, parsed.value);
        message(`${parsed.error}; kept ${formatValue(p, current()[p.key])}.`);
        refused();
      });
      group.append(wrap);
      this.inputs.push([p, input]);
    }
  }

  /** Shows a state: every value, the controls it does not use greyed out, and what a link hides. */
  sync(state) {
    for (const [p, input] of this.inputs) {
      if (p.type === 'bool') input.checked = state[p.key];
      else input.value = formatValue(p, p.follows?.(state) ?? state[p.key]);
      // Controls the current choices do not use are greyed out (still kept in the link).
      if (p.unused) input.disabled = p.unused(state);
      if (p.readout) $(`${p.key}-value`).textContent = p.readout(state[p.key]);
    }
    document.body.classList.toggle('embed', state.embed);
    for (const el of document.querySelectorAll('[data-prop]')) el.classList.toggle('hidden-by-link', state.hide.includes(el.dataset.prop));
  }
}
