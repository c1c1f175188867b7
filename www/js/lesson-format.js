// The lesson file format (www/lessons/<id>.json, described for teachers in docs/lessons.md): its
// checks, and the run state a lesson's setup asks for. Pure: no DOM, no worker. A lesson is data,
// written by hand, so every mistake gets a sentence (in the page's language) that names the step
// and the field. Each text of a lesson is a string or one per language: { "en": "…", "zh-CN": "…" }.
import { PROPS, PROP, LESSON_NAME, defaults, parseValue } from './state.js';
import { LANGUAGES, lang, matchLanguage, t } from './i18n.js';
import { quote } from './text.js';

export { LESSON_NAME };

/** The most steps a lesson may have (docs/lessons.md suggests 3–8) and choices a question may offer. */
export const MAX_STEPS = 12;
export const MAX_CHOICES = 6;
/** The most rounds one action trains (a few seconds on a slow laptop). */
export const MAX_ROUNDS = 20_000;
/** The most readouts a question watches. */
export const MAX_WATCH = 6;
/** The most conditions a question's `expect` lists. */
export const MAX_EXPECT = 4;

/**
 * What a question's `expect` may measure: the page's readouts and a few that the measuring command
 * (tests/lesson-measure.mjs) works out from G's points: `moved` (how far they moved on average),
 * `along-arrows` (the share that moved the way their arrow pointed), `spread` (their root-mean-square
 * distance from their centre), `between` (the share that lies away from every real point), `parts` (how
 * many separate pieces of the real data hold at least 5 % of them), `mesh-parts` (how many the manifold's
 * mesh reaches).
 */
export const EXPECT_READOUTS = ['modes', 'quality', 'js', 'd-loss', 'g-loss', 'grad-norm', 'moved', 'along-arrows', 'spread', 'between', 'parts', 'mesh-parts'];
/**
 * Which number of a readout a condition reads: its value `after` the run, its `change` or `ratio`
 * (after ÷ before), its `switched-ratio` (once the run's settings apply, before any round, ÷ before:
 * two settings compared at the same state), its `lowest` or `highest` during the run, or its `swings`
 * (how often it went up and then down again, or down and up, by at least `by`). `from`: rounds into
 * the run from which `lowest`, `highest` and `swings` look.
 */
export const EXPECT_OF = ['after', 'change', 'ratio', 'switched-ratio', 'lowest', 'highest', 'swings'];

/** The most problems one check reports; the rest are counted. */
const MAX_PROBLEMS = 6;

const FIELDS = {
  lesson: ['id', 'title', 'summary', 'setup', 'steps'],
  setup: ['settings', 'model'],
  step: ['text', 'look', 'do', 'ask'],
  action: ['label', 'rounds', 'settings', 'show', 'play', 'draw'],
  ask: ['question', 'choices', 'answer', 'run', 'watch', 'why', 'expect'],
  expect: ['readout', 'of', 'is', 'value', 'by', 'from'],
};

/** The show group's keys (the pictures on the plane): what an action's `show` may name. */
const SHOW_KEYS = PROPS.filter((p) => p.group === 'show').map((p) => p.key);

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isText = (v, max) => typeof v === 'string' && v.trim() !== '' && v.length <= max;

/** The page's language codes, and what a key of a text's languages must look like (a BCP 47 tag). */
const CODES = LANGUAGES.map((l) => l.code);
const LANGUAGE_TAG = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

/**
 * A lesson text as `language` shows it: a string as it is; of an object of languages, that
 * language's, else English, else the first given.
 */
export function pickText(text, language = lang) {
  if (!isObject(text)) return text;
  return text[language] ?? text.en ?? Object.values(text)[0];
}

/** Collects problems; `at` is where in the file ("step 2, ask"). */
class Problems {
  constructor() {
    this.list = [];
  }
  add(at, text) {
    this.list.push(at ? t('lesson.check.at', { at, text }) : text);
  }
  /** Fields other than `known` (a field starting with "_" is a comment, and allowed). */
  unknown(at, value, known) {
    for (const k of Object.keys(value)) if (!known.includes(k) && !k.startsWith('_')) this.add(at, t('lesson.check.unknown', { field: quote(k, 30), fields: known.join(', ') }));
  }
  /** A text: a string of 1–`max` characters, or { code: such a string } with at least one of the page's languages. */
  text(at, value, field, max, optional = false) {
    if (value === undefined && optional) return;
    if (!isObject(value)) {
      if (!isText(value, max)) this.add(at, t(typeof value === 'string' ? 'lesson.check.text' : 'lesson.check.textOrLanguages', { field, max }));
      return;
    }
    const before = this.list.length;
    for (const [code, s] of Object.entries(value)) {
      const known = matchLanguage(code);
      // "zh-cn", "zh", "en-GB": a language the page has, written another way, would never be shown.
      if (known && known !== code) this.add(at, t('lesson.check.codeSpelling', { field, code: quote(code, 12), known: quote(known) }));
      else if (!LANGUAGE_TAG.test(code)) this.add(at, t('lesson.check.code', { field, code: quote(code, 12), codes: CODES.join(', ') }));
      else if (!isText(s, max)) this.add(at, t('lesson.check.textIn', { field, code: quote(code), max }));
    }
    if (this.list.length === before && !CODES.some((c) => Object.hasOwn(value, c))) this.add(at, t('lesson.check.noLanguage', { field, codes: CODES.join(', ') }));
  }
  get result() {
    const l = this.list;
    return l.length > MAX_PROBLEMS ? [...l.slice(0, MAX_PROBLEMS - 1), t('lesson.check.more', { n: l.length - MAX_PROBLEMS + 1 })] : l;
  }
}

/** Where in the file: "step 2, ask, run". */
const where = (...parts) => parts.join(t('lesson.check.sep'));
const stepAt = (i) => t('lesson.check.atStep', { n: i + 1 });

/**
 * Settings as a lesson writes them ({ key: value }, values as in a link: 0.003, "minimax", true):
 * each checked as the link's would be. Page keys (hide, embed, lesson, step) and drawn points are
 * not a lesson's to set. Returns the parsed settings.
 */
function checkSettings(problems, at, settings) {
  if (!isObject(settings)) {
    problems.add(at, t('lesson.check.settings'));
    return {};
  }
  const out = {};
  for (const [key, raw] of Object.entries(settings)) {
    const p = Object.hasOwn(PROP, key) ? PROP[key] : null;
    if (!p || p.group === 'page') {
      problems.add(at, t('lesson.check.notSetting', { key: quote(key, 30) }));
      continue;
    }
    if (!['string', 'number', 'boolean'].includes(typeof raw)) {
      problems.add(at, t('lesson.check.valueType', { key, value: quote(raw) }));
      continue;
    }
    const parsed = parseValue(p, String(raw));
    if (parsed.error) problems.add(at, parsed.error);
    else if (key === 'dataset' && parsed.value === 'points') problems.add(at, t('lesson.check.points'));
    else out[key] = parsed.value;
  }
  return out;
}

/** An action (a step's `do`, a question's `run`): returns it normalised ({ label, rounds, settings, show, play, draw }). */
function checkAction(problems, at, a) {
  if (!isObject(a)) {
    problems.add(at, t('lesson.check.action'));
    return null;
  }
  problems.unknown(at, a, FIELDS.action);
  problems.text(at, a.label, 'label', 60, true);
  const out = { label: pickText(a.label), rounds: 0, settings: {}, show: {}, play: a.play === true, draw: a.draw === true };
  if (a.rounds !== undefined) {
    if (Number.isInteger(a.rounds) && a.rounds >= 1 && a.rounds <= MAX_ROUNDS) out.rounds = a.rounds;
    else problems.add(at, t('lesson.check.rounds', { max: MAX_ROUNDS }));
  }
  if (a.settings !== undefined) out.settings = checkSettings(problems, at, a.settings);
  if (a.show !== undefined) {
    if (!isObject(a.show)) problems.add(at, t('lesson.check.show'));
    else {
      for (const [key, v] of Object.entries(a.show)) {
        if (!SHOW_KEYS.includes(key)) problems.add(at, t('lesson.check.notPicture', { key: quote(key, 30), keys: SHOW_KEYS.join(', ') }));
        else if (typeof v !== 'boolean') problems.add(at, t('lesson.check.showBool', { key }));
        else out.show[key] = v;
      }
    }
  }
  for (const key of ['play', 'draw']) if (a[key] !== undefined && typeof a[key] !== 'boolean') problems.add(at, t('lesson.check.bool', { key }));
  return out;
}

/** Whether an action as written names nothing to do (its button would do nothing); a wrong value has its own sentence. */
const doesNothing = (a) => isObject(a) && !['rounds', 'settings', 'show', 'play', 'draw'].some((k) => a[k] !== undefined && !(isObject(a[k]) && !Object.keys(a[k]).length));

function checkAsk(problems, at, q) {
  if (!isObject(q)) {
    problems.add(at, t('lesson.check.ask'));
    return null;
  }
  problems.unknown(at, q, FIELDS.ask);
  problems.text(at, q.question, 'question', 300);
  problems.text(at, q.why, 'why', 800);
  const choices = Array.isArray(q.choices) ? q.choices : [];
  if (!Array.isArray(q.choices) || choices.length < 2 || choices.length > MAX_CHOICES || choices.some((c) => typeof c === 'string' && !isText(c, 120))) {
    problems.add(at, t('lesson.check.choices', { max: MAX_CHOICES }));
  } else {
    for (const [k, c] of choices.entries()) if (typeof c !== 'string') problems.text(at, c, `choices[${k}]`, 120);
    // Two choices that read the same in one of the languages given: that student could not tell them apart.
    const codes = [...new Set([CODES[0], ...choices.flatMap((c) => (isObject(c) ? Object.keys(c) : []))])];
    const same = codes.map((code) => choices.map((c) => pickText(c, code))).find((texts) => new Set(texts).size !== texts.length);
    if (same) problems.add(at, t('lesson.check.sameChoices', { choice: quote(same.find((x, i) => same.indexOf(x) !== i), 40) }));
  }
  if (!Number.isInteger(q.answer) || q.answer < 0 || q.answer >= Math.max(1, choices.length)) problems.add(at, t('lesson.check.answer', { last: Math.max(0, choices.length - 1) }));
  const run = q.run === undefined ? null : checkAction(problems, where(at, 'run'), q.run);
  if (doesNothing(q.run)) problems.add(where(at, 'run'), t('lesson.check.nothing'));
  const watch = q.watch ?? [];
  if (!Array.isArray(watch) || watch.length > MAX_WATCH || !watch.every((w) => typeof w === 'string' && /^[a-z][a-z0-9-]{0,39}$/.test(w))) {
    problems.add(at, t('lesson.check.watch', { max: MAX_WATCH }));
  }
  const expect = q.expect === undefined ? [] : checkExpect(problems, where(at, 'expect'), q.expect, run);
  return { question: pickText(q.question), choices: choices.map((c) => pickText(c)), answer: q.answer, run, watch: Array.isArray(watch) ? watch : [], why: pickText(q.why), expect };
}

/**
 * A question's `expect`: what must happen for its right answer to be right, as conditions the
 * measuring command checks on every seed (the page shows nothing of it). Returns the valid ones.
 */
function checkExpect(problems, at, list, run) {
  if (!Array.isArray(list) || list.length < 1 || list.length > MAX_EXPECT) {
    problems.add(at, t('lesson.check.expect', { max: MAX_EXPECT }));
    return [];
  }
  const out = [];
  for (const [i, c] of list.entries()) {
    const here = `${at}[${i}]`;
    if (!isObject(c)) {
      problems.add(here, t('lesson.check.expectItem'));
      continue;
    }
    problems.unknown(here, c, FIELDS.expect);
    const of = c.of ?? 'after';
    const bad = [];
    if (!EXPECT_READOUTS.includes(c.readout)) bad.push(t('lesson.check.expectReadout', { readouts: EXPECT_READOUTS.join(', ') }));
    if (!EXPECT_OF.includes(of)) bad.push(t('lesson.check.expectOf', { of: EXPECT_OF.join(', ') }));
    if (c.is !== '>=' && c.is !== '<=') bad.push(t('lesson.check.expectIs'));
    if (typeof c.value !== 'number' || !Number.isFinite(c.value)) bad.push(t('lesson.check.expectValue'));
    if (of === 'swings' && !(typeof c.by === 'number' && c.by > 0)) bad.push(t('lesson.check.expectBy'));
    if (c.from !== undefined && !(Number.isInteger(c.from) && c.from >= 0 && c.from < (run?.rounds ?? 0))) bad.push(t('lesson.check.expectFrom'));
    if (['lowest', 'highest', 'swings'].includes(of) && !run?.rounds) bad.push(t('lesson.check.expectRounds'));
    if (bad.length) bad.forEach((b) => problems.add(here, b));
    else out.push({ readout: c.readout, of, is: c.is, value: c.value, by: c.by ?? 0, from: c.from ?? 0 });
  }
  return out;
}

/**
 * Checks a lesson file's JSON value, expected to be lesson `id`. Returns { lesson } (normalised:
 * every optional field present, each text in the page's language) or { problems: [sentences] }.
 */
export function checkLesson(value, id) {
  const problems = new Problems();
  if (!isObject(value)) return { problems: [t('lesson.check.notObject')] };
  problems.unknown('', value, FIELDS.lesson);
  if (value.id !== id) problems.add('', t('lesson.check.id', { id: quote(id), was: quote(value.id) }));
  problems.text('', value.title, 'title', 80);
  problems.text('', value.summary, 'summary', 300);
  const setup = value.setup ?? {};
  let settings = {};
  let model = null;
  if (!isObject(setup)) problems.add('setup', t('lesson.check.setup'));
  else {
    problems.unknown('setup', setup, FIELDS.setup);
    if (setup.settings !== undefined) settings = checkSettings(problems, 'setup', setup.settings);
    if (setup.model !== undefined) {
      if (typeof setup.model === 'string' && /^models\/[A-Za-z0-9_-][A-Za-z0-9_./-]*\.json$/.test(setup.model) && !setup.model.includes('..')) model = setup.model;
      else problems.add('setup', t('lesson.check.model', { was: quote(setup.model) }));
    }
  }
  const steps = [];
  if (!Array.isArray(value.steps) || value.steps.length < 1 || value.steps.length > MAX_STEPS) problems.add('', t('lesson.check.steps', { max: MAX_STEPS }));
  else {
    for (const [i, s] of value.steps.entries()) {
      const at = stepAt(i);
      if (!isObject(s)) {
        problems.add(at, t('lesson.check.step'));
        continue;
      }
      problems.unknown(at, s, FIELDS.step);
      problems.text(at, s.text, 'text', 600);
      // A selector, the same in every language.
      if (s.look !== undefined && !isText(s.look, 200)) problems.add(at, t('lesson.check.text', { field: 'look', max: 200 }));
      const step = { text: pickText(s.text), look: s.look ?? null, do: null, ask: null };
      if (s.do !== undefined) {
        step.do = checkAction(problems, where(at, 'do'), s.do);
        if (doesNothing(s.do)) problems.add(where(at, 'do'), t('lesson.check.nothing'));
      }
      if (s.ask !== undefined) step.ask = checkAsk(problems, where(at, 'ask'), s.ask);
      steps.push(step);
    }
  }
  const list = problems.result;
  if (list.length) return { problems: list };
  return { lesson: { id, title: pickText(value.title), summary: pickText(value.summary), setup: { settings, model }, steps } };
}

/** Checks www/lessons/index.json's value: { lessons: [ids] }; returns { ids } or { problems }. */
export function checkIndex(value) {
  const ids = isObject(value) ? value.lessons : undefined;
  if (!Array.isArray(ids)) return { problems: [t('lesson.check.index')] };
  const bad = ids.find((id) => typeof id !== 'string' || !LESSON_NAME.test(id));
  if (bad !== undefined) return { problems: [t('lesson.check.indexName', { id: quote(bad, 30) })] };
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) return { problems: [t('lesson.check.twice', { id: quote(twice) })] };
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
  const name = (key) => PROP[key].label.toLocaleLowerCase(lang);
  const n = Object.keys(a.settings).length;
  if (n) parts.push(n === 1 ? t('lesson.action.set', { name: name(Object.keys(a.settings)[0]) }) : t('lesson.action.change', { n }));
  const shown = Object.entries(a.show);
  if (shown.length) parts.push(shown.map(([k, v]) => (v ? t('lesson.action.show', { name: name(k) }) : t('lesson.action.hide', { name: name(k) }))).join(t('lesson.action.and')));
  if (a.rounds) parts.push(t('lesson.action.train', { n: a.rounds }));
  if (a.play) parts.push(t('lesson.action.play'));
  if (a.draw) parts.push(t('lesson.action.draw'));
  const text = parts.join(t('lesson.action.then'));
  return text.charAt(0).toLocaleUpperCase(lang) + text.slice(1);
}
