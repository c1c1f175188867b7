// The lesson file format (www/js/lesson-format.js), without a browser: every shipped lesson passes
// the checks, and each kind of mistake a teacher can make gets a sentence naming where it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inLanguage } from './in-language.mjs';
import { checkLesson, checkIndex, lessonState, describeAction, pickText } from '../www/js/lesson-format.js';
import { defaults, fromHash, toHash } from '../www/js/state.js';

const read = (path) => JSON.parse(readFileSync(new URL(`../www/${path}`, import.meta.url), 'utf8'));

const minimal = () => ({
  id: 'x',
  title: 'A lesson',
  summary: 'One sentence.',
  setup: { settings: { dataset: 'grid', gLr: 0.003 } },
  steps: [
    { text: 'Look.', look: '#plane' },
    { text: 'Train.', do: { rounds: 10 } },
    { text: 'Guess.', ask: { question: 'What?', choices: ['a', 'b'], answer: 1, run: { rounds: 5 }, watch: ['modes'], why: 'Because.' } },
  ],
});

/** Each case damages a minimal lesson; the check must refuse it with a problem matching the case's pattern. */
function refusesEach(cases) {
  for (const [damage, expected] of cases) {
    const l = minimal();
    damage(l);
    const { lesson, problems } = checkLesson(l, 'x');
    assert.equal(lesson, undefined, String(expected));
    assert.ok(problems.some((p) => expected.test(p)), `${expected}: got ${JSON.stringify(problems)}`);
  }
}

test('every lesson in www/lessons/index.json passes the checks', () => {
  const { ids, problems } = checkIndex(read('lessons/index.json'));
  assert.equal(problems, undefined);
  assert.ok(ids.length >= 1);
  for (const id of ids) {
    const checked = checkLesson(read(`lessons/${id}.json`), id);
    assert.equal(checked.problems, undefined, `${id}: ${checked.problems}`);
    assert.ok(checked.lesson.steps.some((s) => s.ask), `${id} has no predict-then-run question`);
  }
});

test('a good lesson comes back normalised: settings parsed, every optional field present', () => {
  const { lesson, problems } = checkLesson(minimal(), 'x');
  assert.equal(problems, undefined);
  assert.deepEqual(lesson.setup, { settings: { dataset: 'grid', gLr: 0.003 }, model: null });
  assert.deepEqual(lesson.steps[0], { text: 'Look.', look: '#plane', do: null, ask: null });
  assert.deepEqual(lesson.steps[1].do, { label: undefined, rounds: 10, settings: {}, show: {}, play: false, draw: false });
  assert.equal(lesson.steps[2].ask.answer, 1);
  // Values as in a link: "1" and true are the same for a switch, "0.003" the same as 0.003.
  const l = minimal();
  l.setup.settings = { ttur: 'true', gLr: '0.003', arrows: 1 };
  assert.deepEqual(checkLesson(l, 'x').lesson.setup.settings, { ttur: true, gLr: 0.003, arrows: true });
});

test("each mistake is named by its step and field, and the lesson is refused", () => {
  const cases = [
    [(l) => (l.id = 'y'), /id must be "x"/],
    [(l) => delete l.title, /^title must be a text/],
    [(l) => (l.steps = []), /steps must be a list of 1–12 steps/],
    [(l) => (l.steps[0].lok = '#plane'), /^step 1: unknown field "lok"/],
    [(l) => (l.steps[0].text = ''), /^step 1: text must be/],
    [(l) => (l.setup.settings.gLr = -1), /^setup: .*Learning rate must be in/],
    [(l) => (l.setup.settings.hide = 'gLr'), /^setup: "hide" is not a setting a lesson can change/],
    [(l) => (l.setup.settings.dataset = 'points'), /needs points/],
    [(l) => (l.setup.model = '../../etc/passwd'), /^setup: model must be a path like/],
    [(l) => (l.steps[1].do = {}), /^step 2, do: does nothing/],
    [(l) => (l.steps[1].do.rounds = 0), /^step 2, do: rounds must be a whole number in 1–20,000/],
    [(l) => (l.steps[1].do.show = { arows: true }), /^step 2, do: show: "arows" is not a picture/],
    [(l) => (l.steps[2].ask.answer = 2), /^step 3, ask: answer must be the number of the right choice, counted from 0 \(0–1\)/],
    [(l) => (l.steps[2].ask.choices = ['only one']), /^step 3, ask: choices must be a list of 2–6/],
    [(l) => delete l.steps[2].ask.why, /^step 3, ask: why must be/],
    [(l) => (l.steps[2].ask.watch = 'modes'), /^step 3, ask: watch must be a list/],
    [(l) => (l.steps[2].ask.run = { rounds: 1.5 }), /^step 3, ask, run: rounds must be/],
    // `expect`: what the measuring command checks on every seed.
    [(l) => (l.steps[2].ask.expect = []), /^step 3, ask, expect: expect must be a list of 1–4 conditions/],
    [(l) => (l.steps[2].ask.expect = [{ readout: 'mode', is: '<=', value: 3 }]), /^step 3, ask, expect\[0\]: readout must be one of modes, /],
    [(l) => (l.steps[2].ask.expect = [{ readout: 'modes', is: '<', value: 3 }]), /^step 3, ask, expect\[0\]: is must be ">=" or "<="/],
    [(l) => (l.steps[2].ask.expect = [{ readout: 'modes', is: '<=', value: '3' }]), /^step 3, ask, expect\[0\]: value must be a number/],
    [(l) => (l.steps[2].ask.expect = [{ readout: 'd-loss', of: 'swings', is: '>=', value: 2 }]), /^step 3, ask, expect\[0\]: swings need by/],
    [(l) => (l.steps[2].ask.expect = [{ readout: 'modes', is: '<=', value: 3, from: 5 }]), /^step 3, ask, expect\[0\]: from must be/],
    [(l) => (l.steps[2].ask.expect = [{ readout: 'modes', is: '<=', value: 3, wait: 1 }]), /^step 3, ask, expect\[0\]: unknown field "wait"/],
  ];
  refusesEach(cases);
  assert.deepEqual(checkLesson('[1,2]', 'x').problems, ['the file is not a JSON object']);
  // A comment field is allowed.
  const l = minimal();
  l._note = 'tested with seed 1';
  l.steps[0]._why = 'first look';
  assert.equal(checkLesson(l, 'x').problems, undefined);
});

test('each text is a string or one per language, and the page shows its own language, else English, else the first given', () => {
  const both = { en: 'Look.', 'zh-CN': '看。' };
  assert.equal(pickText(both, 'zh-CN'), '看。');
  assert.equal(pickText(both, 'en'), 'Look.');
  assert.equal(pickText({ en: 'Look.' }, 'zh-CN'), 'Look.');
  assert.equal(pickText({ 'zh-CN': '看。' }, 'en'), '看。');
  assert.equal(pickText({ fr: 'Regarde.', 'zh-CN': '看。' }, 'en'), 'Regarde.');
  assert.equal(pickText('Look.', 'zh-CN'), 'Look.');
  // A lesson may mix the two shapes; it comes back with each text in the page's language (English here, in node).
  const l = minimal();
  l.title = { en: 'A lesson', 'zh-CN': '一课' };
  l.summary = { 'zh-CN': '一句话。' };
  l.steps[1].do.label = { en: 'Train 10 rounds', 'zh-CN': '训练 10 轮' };
  Object.assign(l.steps[2].ask, { question: { en: 'What?', 'zh-CN': '什么？' }, choices: ['a', { en: 'b', 'zh-CN': '乙' }], why: { en: 'Because.', 'zh-CN': '因为。' } });
  const { lesson, problems } = checkLesson(l, 'x');
  assert.equal(problems, undefined);
  assert.deepEqual([lesson.title, lesson.summary, lesson.steps[1].do.label], ['A lesson', '一句话。', 'Train 10 rounds']);
  assert.deepEqual([lesson.steps[2].ask.question, lesson.steps[2].ask.choices, lesson.steps[2].ask.why], ['What?', ['a', 'b'], 'Because.']);
});

test('a text of languages that is wrong is refused, saying which field and which language', () => {
  const cases = [
    [(l) => (l.title = {}), /^title needs a text in at least one of the page's languages \(en, zh-CN\)/],
    [(l) => (l.title = { fr: 'Une leçon' }), /^title needs a text in at least one of the page's languages/],
    [(l) => (l.title = { en: 'A lesson', 'zh-CN': '' }), /^title in "zh-CN" must be a text of 1–80 characters/],
    [(l) => (l.summary = { en: 'x'.repeat(301) }), /^summary in "en" must be a text of 1–300 characters/],
    [(l) => (l.steps[0].text = { en: 'Look.', 'zh-cn': '看。' }), /^step 1: text: write the language "zh-cn" as "zh-CN"/],
    [(l) => (l.steps[0].text = { english: 'Look.' }), /^step 1: text: "english" is not a language code \(the page's languages are en, zh-CN\)/],
    [(l) => (l.steps[0].text = { en: 5 }), /^step 1: text in "en" must be a text/],
    [(l) => (l.steps[0].text = ['Look.']), /^step 1: text must be a text of 1–600 characters, or one per language like \{"en": "…", "zh-CN": "…"\}/],
    [(l) => (l.steps[0].look = { en: '#plane' }), /^step 1: look must be a text of 1–200 characters$/],
    [(l) => (l.steps[1].do.label = { 'zh-CN': 'x'.repeat(61) }), /^step 2, do: label in "zh-CN" must be a text of 1–60 characters/],
    [(l) => (l.steps[2].ask.choices = ['a', { de: 'b' }]), /^step 3, ask: choices\[1\] needs a text in at least one/],
    [(l) => (l.steps[2].ask.choices = ['a', 7]), /^step 3, ask: choices\[1\] must be a text of 1–120 characters, or one per language/],
    [(l) => (l.steps[2].ask.why = { en: 'Because.', 'zh-CN': '   ' }), /^step 3, ask: why in "zh-CN" must be a text of 1–800 characters/],
  ];
  refusesEach(cases);
});

test('on the Chinese page a teacher reads the problems of a lesson file in Chinese', async () => {
  // The check in a page language of its own (tests/in-language.mjs), as a worker or page would have it.
  const check = async (lesson) => (await inLanguage('zh-CN', "const { checkLesson } = await import(www + 'js/lesson-format.js'); return checkLesson(data, 'x');", lesson)).result;
  const l = minimal();
  l.steps[2].ask.run.rounds = 0;
  l.steps[2].ask.choices = ['a', { 'zh-cn': '乙' }];
  const { problems } = await check(l);
  assert.deepEqual(problems, ['第 3 步，ask：choices[1]：语言代码 "zh-cn" 要写成 "zh-CN"', '第 3 步，ask，run：rounds 必须是 1–20,000 之间的整数']);
  // And a good one comes back in Chinese where it gives Chinese.
  l.steps[2].ask.run.rounds = 5;
  l.steps[2].ask.choices = ['a', { en: 'b', 'zh-CN': '乙' }];
  l.title = { en: 'A lesson', 'zh-CN': '一课' };
  const { lesson } = await check(l);
  assert.deepEqual([lesson.title, lesson.steps[2].ask.choices], ['一课', ['a', '乙']]);
});

test('a file full of mistakes gets a few sentences, not hundreds', () => {
  const l = minimal();
  l.steps = Array.from({ length: 12 }, (_, i) => ({ text: '', [`bad${i}`]: 1 }));
  const { problems } = checkLesson(l, 'x');
  assert.ok(problems.length <= 6, problems.length);
  assert.match(problems.at(-1), /and \d+ more problems/);
});

test('the lesson list: ids in order, each a name, none twice', () => {
  assert.deepEqual(checkIndex({ lessons: ['game', 'mode-collapse'] }), { ids: ['game', 'mode-collapse'] });
  assert.match(checkIndex({ lessons: ['game', 'game'] }).problems[0], /listed twice/);
  assert.match(checkIndex({ lessons: ['../x'] }).problems[0], /not a lesson name/);
  assert.match(checkIndex(['game']).problems[0], /must be \{ "lessons"/);
});

test("a lesson's setup: its settings over the defaults, the page's own (hidden controls, embed, lesson) kept", () => {
  const current = { ...defaults(), dataset: 'spiral', gLr: 0.0002, arrows: true, hide: ['gLr'], embed: true, lesson: 'x', step: 2 };
  const s = lessonState(current, { dataset: 'grid' });
  assert.equal(s.dataset, 'grid');
  assert.equal(s.gLr, defaults().gLr);
  assert.equal(s.arrows, defaults().arrows);
  assert.deepEqual([s.hide, s.embed, s.lesson, s.step], [['gLr'], true, 'x', 2]);
});

test('the link carries the lesson and its step, and reads them back without a notice', () => {
  const state = { ...defaults(), lesson: 'mode-collapse', step: 3, hide: ['objective'], embed: true };
  const hash = toHash(state, null);
  assert.match(hash, /&lesson=mode-collapse&step=3$/);
  const back = fromHash(hash);
  assert.deepEqual(back.notices, []);
  assert.deepEqual([back.state.lesson, back.state.step, back.state.embed, back.state.hide], ['mode-collapse', 3, true, ['objective']]);
  // No lesson open: nothing in the link.
  assert.doesNotMatch(toHash(defaults(), null), /lesson|step/);
  // The short link a teacher writes.
  const short = fromHash('#lesson=game&hide=dataset,presets&embed=1');
  assert.deepEqual(short.notices, []);
  assert.deepEqual([short.state.lesson, short.state.step, short.state.embed, short.state.hide], ['game', 0, true, ['dataset', 'presets']]);
  assert.match(fromHash('#lesson=../x').notices[0], /ignored lesson: Lesson must be a name/);
});

test('a button without a label says what it does', () => {
  const a = { settings: { objective: 'minimax' }, show: { arrows: true }, rounds: 500, play: false, draw: false };
  assert.equal(describeAction(a), 'Set objective, then show gradient arrows, then train 500 rounds');
  assert.equal(describeAction({ settings: {}, show: {}, rounds: 1, play: true, draw: false }), 'Train 1 round, then play');
});
