// The lesson files (www/lessons/*.json) checked as data, without a browser: each is valid JSON in the
// shared lesson format, its settings are properties of the table with values the controls accept, and
// every element it highlights exists on the page (in index.html, or made from the property table).
// A teacher's new lesson is checked the same way once it is listed in index.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { PROPS, PROP, DATASETS, parseValue } from '../www/js/state.js';
import { MAX_EXPECT, EXPECT_READOUTS, EXPECT_OF } from '../www/js/lesson-format.js';

const WWW = new URL('../www/', import.meta.url);
const LESSONS = new URL('lessons/', WWW);
/** The suggested set, in order (issue 15); a teacher may add more after them. */
const SUGGESTED = ['game', 'what-d-sees', 'how-g-moves', 'mode-collapse', 'saturating', 'learning-rates', 'wasserstein', 'your-data'];
/** The most rounds one button may train (a lesson runs on slow school machines too). */
const MAX_ROUNDS = 10_000;

// --- The page's elements, as far as a selector needs them ----------------------------------------

/** Every start tag of an HTML text: { tag, attrs }. */
function elementsOf(html) {
  const out = [];
  for (const [, tag, rest] of html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const attrs = {};
    for (const [, name, , dq, sq, bare] of rest.matchAll(/([^\s=/]+)(\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
      attrs[name.toLowerCase()] = dq ?? sq ?? bare ?? '';
    }
    out.push({ tag: tag.toLowerCase(), attrs });
  }
  return out;
}

/** The page: index.html's elements plus those the controls room makes from PROPS and the data room's thumbnails. */
function pageElements() {
  const html = readFileSync(new URL('index.html', WWW), 'utf8');
  const els = elementsOf(html);
  const has = (id) => els.some((e) => e.attrs.id === id);
  for (const p of PROPS) {
    // controls.js makes a control for a property whose group has a place on the page (not the thumbnails).
    if (!has(`group-${p.group}`) || p.widget === 'thumbs') continue;
    els.push({ tag: 'div', attrs: { 'data-prop': p.key, class: p.type === 'bool' ? 'field check' : 'field' } });
    els.push({ tag: p.type === 'enum' ? 'select' : 'input', attrs: { id: `p-${p.key}`, name: p.key } });
  }
  for (const name of [...DATASETS, 'points']) els.push({ tag: 'button', attrs: { class: 'thumb', 'data-dataset': name, role: 'radio' } });
  return els;
}

const COMPOUND = /^([a-zA-Z][\w-]*)?((?:#[\w-]+|\.[\w-]+|\[[\w-]+(?:=(?:"[^"]*"|'[^']*'|[\w-]+))?\])*)$/;

/** Whether one compound selector (`tag#id.class[attr=value]`) matches an element; throws on other syntax. */
function matches(compound, el) {
  const m = COMPOUND.exec(compound);
  if (!m || compound === '') throw new Error(`unsupported selector part ${JSON.stringify(compound)}`);
  if (m[1] && m[1].toLowerCase() !== el.tag) return false;
  for (const [part] of m[2].matchAll(/#[\w-]+|\.[\w-]+|\[[^\]]+\]/g)) {
    if (part[0] === '#' && el.attrs.id !== part.slice(1)) return false;
    if (part[0] === '.' && !(el.attrs.class ?? '').split(/\s+/).includes(part.slice(1))) return false;
    if (part[0] === '[') {
      const [, name, value] = /^\[([\w-]+)(?:=["']?(.*?)["']?)?\]$/.exec(part);
      if (!(name in el.attrs) || (value !== undefined && el.attrs[name] !== value)) return false;
    }
  }
  return true;
}

/** Problems with a `look` selector: every compound of every alternative must match an element of the page. */
function selectorProblems(selector, els) {
  if (typeof selector !== 'string' || selector.trim() === '') return ['is not a selector'];
  const problems = [];
  for (const alternative of selector.split(',')) {
    for (const compound of alternative.trim().split(/\s*>\s*|\s+/)) {
      try {
        if (!els.some((el) => matches(compound, el))) problems.push(`${JSON.stringify(compound)} matches no element of the page`);
      } catch (e) {
        problems.push(e.message);
      }
    }
  }
  return problems;
}

// --- The lesson format ---------------------------------------------------------------------------

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isString = (v, max = Infinity) => typeof v === 'string' && v.trim() !== '' && v.length <= max;
/** The page's languages; a text may be one string or one per language: { "en": "…", "zh-CN": "…" }. */
const LANGUAGES = ['en', 'zh-CN'];
const isLanguages = (v) => isObject(v) && LANGUAGES.some((code) => Object.hasOwn(v, code));
/** A text of 1–`max` characters (the lengths the lesson panel has room for, docs/lessons.md), in every language it gives. */
const isText = (v, max = Infinity) => isString(v, max) || (isLanguages(v) && Object.values(v).every((s) => isString(s, max)));
const JSON_TYPE = { int: 'number', float: 'number', enum: 'string', bool: 'boolean', list: 'object' };

/** Fields outside the format (a field whose name starts with "_" is a comment, as docs/lessons.md says). */
function unknownKeys(obj, known, where) {
  return Object.keys(obj).filter((k) => !known.includes(k) && !k.startsWith('_')).map((k) => `${where}: unknown field ${JSON.stringify(k)}`);
}

function settingsProblems(settings, where) {
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) return [`${where} is not an object`];
  const problems = [];
  for (const [key, value] of Object.entries(settings)) {
    const prop = Object.hasOwn(PROP, key) ? PROP[key] : null;
    if (!prop) {
      problems.push(`${where}: ${JSON.stringify(key)} is not a property (state.js PROPS)`);
      continue;
    }
    // A lesson must work inside a classroom link and in embed mode: it never changes them.
    if (prop.group === 'page') problems.push(`${where}: ${key} is the page's, not a lesson's`);
    else if (typeof value !== JSON_TYPE[prop.type]) problems.push(`${where}: ${key} should be a JSON ${JSON_TYPE[prop.type]}`);
    else {
      const parsed = parseValue(prop, String(value));
      if (parsed.error) problems.push(`${where}: ${parsed.error} (got ${JSON.stringify(value)})`);
    }
  }
  return problems;
}

function showProblems(show, where) {
  if (show === null || typeof show !== 'object' || Array.isArray(show)) return [`${where} is not an object`];
  const shown = PROPS.filter((p) => p.group === 'show').map((p) => p.key);
  return Object.entries(show).flatMap(([k, v]) => [
    ...(shown.includes(k) ? [] : [`${where}: ${JSON.stringify(k)} is not a picture (the show group)`]),
    ...(typeof v === 'boolean' ? [] : [`${where}: ${k} should be true or false`]),
  ]);
}

/** An action: a step's `do` (which needs a label) or a question's `run`. */
function actionProblems(action, where, needsLabel) {
  if (action === null || typeof action !== 'object' || Array.isArray(action)) return [`${where} is not an object`];
  const problems = unknownKeys(action, ['label', 'rounds', 'settings', 'show', 'play', 'draw'], where);
  if (needsLabel ? !isText(action.label, 60) : action.label !== undefined && !isText(action.label, 60)) problems.push(`${where}: label should be a text of up to 60 characters`);
  if (action.rounds !== undefined && !(Number.isInteger(action.rounds) && action.rounds >= 1 && action.rounds <= MAX_ROUNDS)) {
    problems.push(`${where}: rounds should be a whole number in 1–${MAX_ROUNDS}`);
  }
  for (const k of ['play', 'draw']) if (action[k] !== undefined && typeof action[k] !== 'boolean') problems.push(`${where}: ${k} should be true or false`);
  if (action.play && action.rounds !== undefined) problems.push(`${where}: both play and rounds`);
  if (action.settings !== undefined) problems.push(...settingsProblems(action.settings, `${where}.settings`));
  if (action.show !== undefined) problems.push(...showProblems(action.show, `${where}.show`));
  if (!['rounds', 'settings', 'show', 'play', 'draw'].some((k) => action[k] !== undefined)) problems.push(`${where} does nothing`);
  return problems;
}

function askProblems(ask, where, readouts) {
  if (ask === null || typeof ask !== 'object' || Array.isArray(ask)) return [`${where} is not an object`];
  const problems = unknownKeys(ask, ['question', 'choices', 'answer', 'run', 'watch', 'why', 'expect'], where);
  if (!isText(ask.question, 300)) problems.push(`${where}: no question, or over 300 characters`);
  if (!isText(ask.why, 800)) problems.push(`${where}: no why, or over 800 characters`);
  if (!Array.isArray(ask.choices) || ask.choices.length < 2 || ask.choices.length > 6 || !ask.choices.every((c) => isText(c, 120))) problems.push(`${where}: choices should be 2–6 texts of up to 120 characters`);
  else if (LANGUAGES.some((code) => new Set(ask.choices.map((c) => (isObject(c) ? c[code] ?? c.en : c))).size !== ask.choices.length)) problems.push(`${where}: two choices are the same`);
  else if (!(Number.isInteger(ask.answer) && ask.answer >= 0 && ask.answer < ask.choices.length)) problems.push(`${where}: answer is not the index of a choice`);
  if (ask.run === undefined) problems.push(`${where}: no run`);
  else problems.push(...actionProblems(ask.run, `${where}.run`, false));
  // What must happen for the answer to be right (tests/lesson-claims.test.mjs checks that it does).
  if (!Array.isArray(ask.expect) || ask.expect.length < 1 || ask.expect.length > MAX_EXPECT) problems.push(`${where}: expect should be a list of 1–${MAX_EXPECT} conditions`);
  else {
    for (const [i, c] of ask.expect.entries()) {
      const at = `${where}.expect[${i}]`;
      if (!isObject(c)) {
        problems.push(`${at} is not an object`);
        continue;
      }
      problems.push(...unknownKeys(c, ['readout', 'of', 'is', 'value', 'by', 'from'], at));
      if (!EXPECT_READOUTS.includes(c.readout)) problems.push(`${at}: ${JSON.stringify(c.readout)} is not a measured readout`);
      if (c.of !== undefined && !EXPECT_OF.includes(c.of)) problems.push(`${at}: ${JSON.stringify(c.of)} is not a way of reading it`);
      if (c.is !== '>=' && c.is !== '<=') problems.push(`${at}: is should be ">=" or "<="`);
      if (!Number.isFinite(c.value)) problems.push(`${at}: value should be a number`);
      if (c.of === 'swings' && !(c.by > 0)) problems.push(`${at}: swings need by > 0`);
    }
  }
  if (ask.watch !== undefined) {
    if (!Array.isArray(ask.watch) || ask.watch.length === 0 || ask.watch.length > 6) problems.push(`${where}: watch should be a list of 1–6 readouts`);
    else for (const id of ask.watch) if (!readouts.includes(id)) problems.push(`${where}: ${JSON.stringify(id)} is not a readout (a <dd id> of the page)`);
  }
  return problems;
}

/** Every problem of one lesson (an empty list when it is right); `id` is its file name without .json. */
function lessonProblems(lesson, id, els = pageElements()) {
  if (lesson === null || typeof lesson !== 'object' || Array.isArray(lesson)) return ['the lesson is not an object'];
  const readouts = els.filter((e) => e.tag === 'dd' && e.attrs.id).map((e) => e.attrs.id);
  const problems = unknownKeys(lesson, ['id', 'title', 'summary', 'setup', 'steps'], 'lesson');
  if (lesson.id !== id) problems.push(`id ${JSON.stringify(lesson.id)} is not the file's name ${JSON.stringify(id)}`);
  if (!isText(lesson.title, 80)) problems.push('no title, or over 80 characters');
  if (!isText(lesson.summary, 300)) problems.push('no summary, or over 300 characters');
  const setup = lesson.setup;
  if (setup === null || typeof setup !== 'object' || Array.isArray(setup)) problems.push('setup is not an object');
  else {
    problems.push(...unknownKeys(setup, ['settings', 'model'], 'setup'));
    if (setup.settings !== undefined) problems.push(...settingsProblems(setup.settings, 'setup.settings'));
    if (setup.model !== undefined) problems.push(...modelProblems(setup.model));
  }
  if (!Array.isArray(lesson.steps) || lesson.steps.length < 3 || lesson.steps.length > 8) problems.push('a lesson has 3–8 steps');
  const steps = Array.isArray(lesson.steps) ? lesson.steps : [];
  steps.forEach((step, i) => {
    const where = `step ${i + 1}`;
    if (step === null || typeof step !== 'object' || Array.isArray(step)) return problems.push(`${where} is not an object`);
    problems.push(...unknownKeys(step, ['text', 'look', 'do', 'ask'], where));
    if (!isText(step.text, 600)) problems.push(`${where}: no text, or over 600 characters`);
    if (step.look !== undefined) problems.push(...selectorProblems(step.look, els).map((p) => `${where}: look ${p}`));
    if (step.do !== undefined) problems.push(...actionProblems(step.do, `${where}.do`, true));
    if (step.ask !== undefined) problems.push(...askProblems(step.ask, `${where}.ask`, readouts));
  });
  if (!steps.some((s) => s?.ask)) problems.push('no predict-then-run question (ask)');
  return problems;
}

/** A prepared model: a path inside www/models/ to a 2D model file. */
function modelProblems(path) {
  if (!isString(path) || !/^models\/[\w./-]+\.json$/.test(path) || path.split('/').includes('..')) return [`setup.model ${JSON.stringify(path)} is not a models/….json path`];
  const file = new URL(path, WWW);
  if (!existsSync(file)) return [`setup.model ${path} does not exist`];
  try {
    const m = JSON.parse(readFileSync(file, 'utf8'));
    return m.format === 'ganplay-2d' && m.config && Array.isArray(m.generator) ? [] : [`setup.model ${path} is not a 2D model file`];
  } catch (e) {
    return [`setup.model ${path}: ${e.message}`];
  }
}

const readJson = (url) => JSON.parse(readFileSync(url, 'utf8'));
const listed = () => readJson(new URL('index.json', LESSONS)).lessons;

test('index.json lists the suggested lessons in order, each once, and every lesson file', () => {
  const ids = listed();
  assert.ok(Array.isArray(ids) && ids.every((id) => typeof id === 'string' && /^[a-z0-9-]+$/.test(id)), 'lessons is a list of ids');
  assert.equal(new Set(ids).size, ids.length, 'an id is listed twice');
  assert.deepEqual(ids.filter((id) => SUGGESTED.includes(id)), SUGGESTED);
  const files = readdirSync(LESSONS).filter((f) => f.endsWith('.json') && f !== 'index.json').map((f) => f.slice(0, -5));
  assert.deepEqual(files.sort(), [...ids].sort(), 'a lesson file is not listed, or a listed lesson has no file');
});

const els = pageElements();
for (const id of listed()) {
  test(`lesson ${id} is a valid lesson`, () => {
    const lesson = readJson(new URL(`${id}.json`, LESSONS));
    assert.deepEqual(lessonProblems(lesson, id, els), []);
  });
}

/**
 * Every text of a lesson as [where, value]: each string or language object in it, but for the
 * fields that are not words to read (its id, selectors, settings, readout ids) and comments.
 */
const NOT_TEXT = ['expect', 'id', 'look', 'setup', 'settings', 'show', 'watch'];
function textsOf(value, at = '') {
  if (typeof value === 'string' || isLanguages(value)) return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => textsOf(v, `${at}[${i}]`));
  if (!isObject(value)) return [];
  return Object.entries(value).filter(([k]) => !NOT_TEXT.includes(k) && !k.startsWith('_')).flatMap(([k, v]) => textsOf(v, at ? `${at}.${k}` : k));
}
/** Where a lesson's texts are not given in both English and Chinese (Chinese that has no Chinese characters is a copy, unless the English has no words either: "100"). */
const untranslated = (lesson) =>
  textsOf(lesson)
    .filter(([, v]) => !(isLanguages(v) && isString(v.en) && isString(v['zh-CN']) && (/[\u4e00-\u9fff]/.test(v['zh-CN']) || !/[A-Za-z]{2,}/.test(v.en))))
    .map(([at]) => at);

for (const id of listed()) {
  test(`lesson ${id} gives every text in English and Chinese`, () => {
    assert.deepEqual(untranslated(readJson(new URL(`${id}.json`, LESSONS))), []);
  });
}

test('the translation check finds a text in one language only', () => {
  const both = (en, zh) => ({ en, 'zh-CN': zh });
  const lesson = {
    id: 'x', title: both('T', '题'), summary: both('S', '概要'), setup: { settings: { dataset: 'ring' } },
    steps: [
      { text: both('a', '甲'), look: '#plane', do: { label: both('Go', '走'), rounds: 1 } },
      { text: both('b', '乙'), ask: { question: both('q?', '问？'), choices: [both('y', '是'), both('n', '否')], answer: 0, run: { rounds: 5 }, watch: ['modes'], why: both('w', '因为') } },
    ],
  };
  assert.deepEqual(untranslated(lesson), []);
  lesson.title = 'T';
  lesson.steps[0].do.label = { en: 'Go' };
  lesson.steps[1].ask.choices[1] = both('no', 'no');
  lesson.steps[1].ask.why = { 'zh-CN': '因为' };
  assert.deepEqual(untranslated(lesson), ['title', 'steps[0].do.label', 'steps[1].ask.choices[1]', 'steps[1].ask.why']);
});

// The checker itself must catch mistakes, or the tests above prove nothing.
test('the checker finds each kind of mistake', () => {
  const good = () => ({
    id: 'x', title: 'T', summary: 'S', setup: { settings: { dataset: 'ring', gLr: 0.001 } },
    steps: [
      { text: 'a', look: '#plane' },
      { text: 'b', look: '.field[data-prop=gLr]', do: { label: 'Go', rounds: 10, show: { arrows: true } } },
      { text: 'c', ask: { question: 'q?', choices: ['y', 'n'], answer: 0, run: { rounds: 5 }, watch: ['modes'], why: 'w', expect: [{ readout: 'modes', is: '>=', value: 1 }] } },
    ],
  });
  assert.deepEqual(lessonProblems(good(), 'x', els), []);
  const broken = {
    'wrong id': (l) => (l.id = 'y'),
    'unknown setting': (l) => (l.setup.settings.glr = 0.1),
    'out-of-range value': (l) => (l.setup.settings.gLr = 11),
    'mistyped value': (l) => (l.setup.settings.kd = '2'),
    'page property': (l) => (l.setup.settings.embed = true),
    'missing element': (l) => (l.steps[0].look = '#no-such-element'),
    'control not made from PROPS': (l) => (l.steps[1].look = '.field[data-prop=nope]'),
    'bad selector': (l) => (l.steps[0].look = 'div:hover'),
    'too few steps': (l) => l.steps.splice(1, 1),
    'no question': (l) => delete l.steps[2].ask,
    'answer out of range': (l) => (l.steps[2].ask.answer = 2),
    'unknown readout': (l) => (l.steps[2].ask.watch = ['mode']),
    'a button without label': (l) => delete l.steps[1].do.label,
    'too many rounds': (l) => (l.steps[1].do.rounds = 1e6),
    'not a picture': (l) => (l.steps[1].do.show = { gLr: true }),
    'typo in a field': (l) => (l.steps[2].ask.quesiton = 'q?'),
    'text too long for the panel': (l) => (l.steps[0].text = 'x'.repeat(601)),
    'missing model': (l) => (l.setup.model = 'models/lessons/none.json'),
    'a text in no language of the page': (l) => (l.steps[0].text = { fr: 'a' }),
    'an empty text in one language': (l) => (l.title = { en: 'T', 'zh-CN': '' }),
    'two choices the same in one language': (l) => (l.steps[2].ask.choices = [{ en: 'y', 'zh-CN': '是' }, { en: 'n', 'zh-CN': '是' }]),
    'model outside models/': (l) => (l.setup.model = '../index.html'),
    'a question that promises nothing measurable': (l) => delete l.steps[2].ask.expect,
    'an expectation on a readout nobody measures': (l) => (l.steps[2].ask.expect[0].readout = 'mode'),
    'swings without a size': (l) => (l.steps[2].ask.expect[0].of = 'swings'),
  };
  for (const [name, breakIt] of Object.entries(broken)) {
    const l = good();
    breakIt(l);
    assert.notDeepEqual(lessonProblems(l, 'x', els), [], `the checker missed: ${name}`);
  }
});
