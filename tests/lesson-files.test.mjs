// The lesson files that ship (www/lessons/*.json) checked as data, without a browser: each passes the
// page's own check (checkLesson, www/js/lesson-format.js: the one lesson format) and the house rules
// the shipped lessons keep besides: 3–8 steps, a label on every button, a run and an `expect` on every
// question, every element a step highlights and every readout a question watches on the page (in
// index.html, or made from the property table), a prepared model that exists, both languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { PROPS, DATASETS } from '../www/js/state.js';
import { checkLesson, checkIndex } from '../www/js/lesson-format.js';

const WWW = new URL('../www/', import.meta.url);
const LESSONS = new URL('lessons/', WWW);
/** The suggested set, in order (issue 15); a teacher may add more after them. */
const SUGGESTED = ['game', 'what-d-sees', 'how-g-moves', 'mode-collapse', 'saturating', 'learning-rates', 'wasserstein', 'your-data'];

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

// --- The house rules, on top of the page's format ------------------------------------------------

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isString = (v) => typeof v === 'string' && v.trim() !== '';
/** The page's languages; a text may be one string or one per language: { "en": "…", "zh-CN": "…" }. */
const LANGUAGES = ['en', 'zh-CN'];
const isLanguages = (v) => isObject(v) && LANGUAGES.some((code) => Object.hasOwn(v, code));

/** A prepared model: a 2D model file that exists under www/ (the format checks the path's shape). */
function modelProblems(path) {
  const file = new URL(path, WWW);
  if (!existsSync(file)) return [`setup.model ${path} does not exist`];
  try {
    const m = JSON.parse(readFileSync(file, 'utf8'));
    return m.format === 'ganplay-2d' && m.config && Array.isArray(m.generator) ? [] : [`setup.model ${path} is not a 2D model file`];
  } catch (e) {
    return [`setup.model ${path}: ${e.message}`];
  }
}

/** The house rules, on the lesson as checkLesson normalised it (`lesson`). */
function houseProblems(lesson, els) {
  const readouts = els.filter((e) => e.tag === 'dd' && e.attrs.id).map((e) => e.attrs.id);
  const problems = [];
  if (lesson.steps.length < 3 || lesson.steps.length > 8) problems.push(`a shipped lesson has 3–8 steps, not ${lesson.steps.length}`);
  if (lesson.setup.model) problems.push(...modelProblems(lesson.setup.model));
  lesson.steps.forEach((step, i) => {
    const where = `step ${i + 1}`;
    if (step.look !== null) problems.push(...selectorProblems(step.look, els).map((p) => `${where}: look ${p}`));
    if (step.do && !step.do.label) problems.push(`${where}.do: no label (a shipped button says what it does in the lesson's words)`);
    const ask = step.ask;
    if (!ask) return;
    if (!ask.run) problems.push(`${where}.ask: no run (a shipped question is answered by running it)`);
    if (!ask.expect.length) problems.push(`${where}.ask: no expect (tests/lesson-claims.test.mjs checks what it promises)`);
    for (const id of ask.watch) if (!readouts.includes(id)) problems.push(`${where}.ask: ${JSON.stringify(id)} is not a readout (a <dd id> of the page)`);
  });
  if (!lesson.steps.some((s) => s.ask)) problems.push('no predict-then-run question (ask)');
  return problems;
}

/** Every problem of one lesson file's value (an empty list when it is right): the page's format first, then the house rules. */
function lessonProblems(value, id, els = pageElements()) {
  const { lesson, problems } = checkLesson(value, id);
  return problems ?? houseProblems(lesson, els);
}

const readJson = (url) => JSON.parse(readFileSync(url, 'utf8'));
const listed = () => readJson(new URL('index.json', LESSONS)).lessons;

test('index.json lists the suggested lessons in order, each once, and every lesson file', () => {
  const { ids, problems } = checkIndex(readJson(new URL('index.json', LESSONS)));
  assert.deepEqual(problems, undefined);
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
    'a value the control refuses': (l) => (l.setup.settings.kd = 'two'),
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
    'a question whose run does nothing': (l) => (l.steps[2].ask.run = {}),
    'a question with no run': (l) => delete l.steps[2].ask.run,
    'too many steps for a shipped lesson': (l) => l.steps.push(...Array.from({ length: 6 }, () => ({ text: 'more' }))),
  };
  for (const [name, breakIt] of Object.entries(broken)) {
    const l = good();
    breakIt(l);
    assert.notDeepEqual(lessonProblems(l, 'x', els), [], `the checker missed: ${name}`);
  }
});
