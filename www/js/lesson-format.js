// The lesson file format (www/lessons/<id>.json, described for teachers in docs/lessons.md): its
// checks, and the run state a lesson's setup asks for. Pure: no DOM, no worker. A lesson is data,
// written by hand, so every mistake gets a sentence that names the step and the field.
import { PROPS, PROP, LESSON_NAME, defaults, parseValue } from './state.js';
import { quote } from './text.js';

export { LESSON_NAME };

/** The most steps a lesson may have (docs/lessons.md asks for 3–8) and choices a question may offer. */
export const MAX_STEPS = 12;
export const MAX_CHOICES = 6;
/** The most rounds one action trains (a few seconds on a slow laptop). */
export const MAX_ROUNDS = 20_000;
/** The most readouts a question watches. */
export const MAX_WATCH = 6;
/** The most problems one check reports; the rest are counted. */
const MAX_PROBLEMS = 6;

const FIELDS = {
  lesson: ['id', 'title', 'summary', 'setup', 'steps'],
  setup: ['settings', 'model'],
  step: ['text', 'look', 'do', 'ask'],
  action: ['label', 'rounds', 'settings', 'show', 'play', 'draw'],
  ask: ['question', 'choices', 'answer', 'run', 'watch', 'why'],
};

/** The show group's keys (the pictures on the plane): what an action's `show` may name. */
const SHOW_KEYS = PROPS.filter((p) => p.group === 'show').map((p) => p.key);

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isText = (v, max) => typeof v === 'string' && v.trim() !== '' && v.length <= max;

/** Collects problems; `at` is where in the file ("step 2, ask"). */
class Problems {
  constructor() {
    this.list = [];
  }
  add(at, text) {
    this.list.push(at ? `${at}: ${text}` : text);
  }
  /** Fields other than `known` (a field starting with "_" is a comment, and allowed). */
  unknown(at, value, known) {
    for (const k of Object.keys(value)) if (!known.includes(k) && !k.startsWith('_')) this.add(at, `unknown field ${quote(k, 30)} (the fields are ${known.join(', ')})`);
  }
  text(at, value, field, max, optional = false) {
    if (value === undefined && optional) return;
    if (!isText(value, max)) this.add(at, `${field} must be a text of 1–${max} characters`);
  }
  get result() {
    const l = this.list;
    return l.length > MAX_PROBLEMS ? [...l.slice(0, MAX_PROBLEMS - 1), `…and ${l.length - MAX_PROBLEMS + 1} more problems`] : l;
  }
}

/**
 * Settings as a lesson writes them ({ key: value }, values as in a link: 0.003, "minimax", true):
 * each checked as the link's would be. Page keys (hide, embed, lesson, step) and drawn points are
 * not a lesson's to set. Returns the parsed settings.
 */
function checkSettings(problems, at, settings) {
  if (!isObject(settings)) {
    problems.add(at, 'settings must be an object of { "setting": value }');
    return {};
  }
  const out = {};
  for (const [key, raw] of Object.entries(settings)) {
    const p = Object.hasOwn(PROP, key) ? PROP[key] : null;
    if (!p || p.group === 'page') {
      problems.add(at, `${quote(key, 30)} is not a setting a lesson can change`);
      continue;
    }
    if (!['string', 'number', 'boolean'].includes(typeof raw)) {
      problems.add(at, `${key} must be a number, a word or true/false, not ${quote(raw)}`);
      continue;
    }
    const parsed = parseValue(p, String(raw));
    if (parsed.error) problems.add(at, parsed.error);
    else if (key === 'dataset' && parsed.value === 'points') problems.add(at, 'dataset "points" needs points: use "draw": true to let the student draw them');
    else out[key] = parsed.value;
  }
  return out;
}

/** An action (a step's `do`, a question's `run`): returns it normalised ({ label, rounds, settings, show, play, draw }). */
function checkAction(problems, at, a, { needsLabel }) {
  if (!isObject(a)) {
    problems.add(at, 'must be an object like { "rounds": 200 }');
    return null;
  }
  problems.unknown(at, a, FIELDS.action);
  problems.text(at, a.label, 'label', 60, !needsLabel);
  const out = { label: a.label, rounds: 0, settings: {}, show: {}, play: a.play === true, draw: a.draw === true };
  if (a.rounds !== undefined) {
    if (Number.isInteger(a.rounds) && a.rounds >= 1 && a.rounds <= MAX_ROUNDS) out.rounds = a.rounds;
    else problems.add(at, `rounds must be a whole number in 1–${MAX_ROUNDS.toLocaleString('en')}`);
  }
  if (a.settings !== undefined) out.settings = checkSettings(problems, at, a.settings);
  if (a.show !== undefined) {
    if (!isObject(a.show)) problems.add(at, 'show must be an object like { "arrows": true }');
    else {
      for (const [key, v] of Object.entries(a.show)) {
        if (!SHOW_KEYS.includes(key)) problems.add(at, `show: ${quote(key, 30)} is not a picture (the pictures are ${SHOW_KEYS.join(', ')})`);
        else if (typeof v !== 'boolean') problems.add(at, `show: ${key} must be true or false`);
        else out.show[key] = v;
      }
    }
  }
  for (const k of ['play', 'draw']) if (a[k] !== undefined && typeof a[k] !== 'boolean') problems.add(at, `${k} must be true or false`);
  return out;
}

function checkAsk(problems, at, q) {
  if (!isObject(q)) {
    problems.add(at, 'ask must be an object with question, choices, answer and why');
    return null;
  }
  problems.unknown(at, q, FIELDS.ask);
  problems.text(at, q.question, 'question', 300);
  problems.text(at, q.why, 'why', 800);
  const choices = Array.isArray(q.choices) ? q.choices : [];
  if (!Array.isArray(q.choices) || choices.length < 2 || choices.length > MAX_CHOICES || !choices.every((c) => isText(c, 120))) {
    problems.add(at, `choices must be a list of 2–${MAX_CHOICES} texts (each 1–120 characters)`);
  }
  if (!Number.isInteger(q.answer) || q.answer < 0 || q.answer >= Math.max(1, choices.length)) problems.add(at, `answer must be the number of the right choice, counted from 0 (0–${Math.max(0, choices.length - 1)})`);
  const run = q.run === undefined ? null : checkAction(problems, `${at}, run`, q.run, { needsLabel: false });
  const watch = q.watch ?? [];
  if (!Array.isArray(watch) || watch.length > MAX_WATCH || !watch.every((w) => typeof w === 'string' && /^[a-z][a-z0-9-]{0,39}$/.test(w))) {
    problems.add(at, `watch must be a list of at most ${MAX_WATCH} readout ids, like ["modes", "js"]`);
  }
  return { question: q.question, choices, answer: q.answer, run, watch: Array.isArray(watch) ? watch : [], why: q.why };
}

/**
 * Checks a lesson file's JSON value, expected to be lesson `id`. Returns { lesson } (normalised:
 * every optional field present) or { problems: [sentences] }.
 */
export function checkLesson(value, id) {
  const problems = new Problems();
  if (!isObject(value)) return { problems: ['the file is not a JSON object'] };
  problems.unknown('', value, FIELDS.lesson);
  if (value.id !== id) problems.add('', `id must be ${quote(id)}, the file's name (it is ${quote(value.id)})`);
  problems.text('', value.title, 'title', 80);
  problems.text('', value.summary, 'summary', 300);
  const setup = value.setup ?? {};
  let settings = {};
  let model = null;
  if (!isObject(setup)) problems.add('setup', 'must be an object with settings and, if wanted, model');
  else {
    problems.unknown('setup', setup, FIELDS.setup);
    if (setup.settings !== undefined) settings = checkSettings(problems, 'setup', setup.settings);
    if (setup.model !== undefined) {
      if (typeof setup.model === 'string' && /^models\/[A-Za-z0-9_-][A-Za-z0-9_./-]*\.json$/.test(setup.model) && !setup.model.includes('..')) model = setup.model;
      else problems.add('setup', `model must be a path like "models/lessons/name.json" (not ${quote(setup.model)})`);
    }
  }
  const steps = [];
  if (!Array.isArray(value.steps) || value.steps.length < 1 || value.steps.length > MAX_STEPS) problems.add('', `steps must be a list of 1–${MAX_STEPS} steps`);
  else {
    for (const [i, s] of value.steps.entries()) {
      const at = `step ${i + 1}`;
      if (!isObject(s)) {
        problems.add(at, 'must be an object with text (and look, do, ask)');
        continue;
      }
      problems.unknown(at, s, FIELDS.step);
      problems.text(at, s.text, 'text', 600);
      problems.text(at, s.look, 'look', 200, true);
      const step = { text: s.text, look: s.look ?? null, do: null, ask: null };
      if (s.do !== undefined) {
        step.do = checkAction(problems, `${at}, do`, s.do, { needsLabel: false });
        if (step.do && !step.do.rounds && !step.do.play && !step.do.draw && !Object.keys(step.do.settings).length && !Object.keys(step.do.show).length) {
          problems.add(`${at}, do`, 'does nothing: give it rounds, settings, show, play or draw');
        }
      }
      if (s.ask !== undefined) step.ask = checkAsk(problems, `${at}, ask`, s.ask);
      steps.push(step);
    }
  }
  const list = problems.result;
  if (list.length) return { problems: list };
  return { lesson: { id, title: value.title, summary: value.summary, setup: { settings, model }, steps } };
}

/** Checks www/lessons/index.json's value: { lessons: [ids] }; returns { ids } or { problems }. */
export function checkIndex(value) {
  const ids = isObject(value) ? value.lessons : undefined;
  if (!Array.isArray(ids)) return { problems: ['the lesson list must be { "lessons": ["id", …] }'] };
  const bad = ids.find((id) => typeof id !== 'string' || !LESSON_NAME.test(id));
  if (bad !== undefined) return { problems: [`${quote(bad, 30)} is not a lesson name (small letters, digits and "-")`] };
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) return { problems: [`${quote(twice)} is listed twice`] };
  return { ids };
}

/**
 * The run state a lesson's setup gives, from the state in force: every setting at its default
 * unless the lesson names it, the page's own (hidden controls, embed mode, the lesson) kept.
 */
export function lessonState(current, settings) {
  const state = { ...defaults(), ...settings };
  for (const p of PROPS) if (p.group === 'page') state[p.key] = current[p.key];
  return state;
}

/** What an action does, in words, for its button when the lesson gives no label. */
export function describeAction(a) {
  const parts = [];
  const n = Object.keys(a.settings).length;
  if (n) parts.push(n === 1 ? `Set ${PROP[Object.keys(a.settings)[0]].label.toLowerCase()}` : `Change ${n} settings`);
  const shown = Object.entries(a.show);
  if (shown.length) parts.push(shown.map(([k, v]) => `${v ? 'show' : 'hide'} ${PROP[k].label.toLowerCase()}`).join(', '));
  if (a.rounds) parts.push(`train ${a.rounds.toLocaleString('en')} round${a.rounds === 1 ? '' : 's'}`);
  if (a.play) parts.push('play');
  if (a.draw) parts.push('draw your own points');
  const text = parts.join(', then ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
