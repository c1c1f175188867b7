// End-to-end: the lessons (www/lessons/*.json, run by www/js/playground/lesson.js) in headless
// Chromium on the CPU backend. Every lesson of index.json is walked generically from its JSON, so a
// new lesson is covered as soon as it is listed. To stay quick each action trains at most SMALL
// rounds (the files are served shrunk): this checks that every lesson works, not that its effect shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { canvasDigest } from './browser.mjs';
import { session, iteration, message, stepTo, atStep, pressDo, answer } from './session.mjs';
import { pickText } from '../www/js/lesson-format.js';

const load = session();
const SMALL = 3;
const www = (path) => new URL(`../www/${path}`, import.meta.url);
const IDS = JSON.parse(readFileSync(www('lessons/index.json'), 'utf8')).lessons;
const lessonFile = (id) => JSON.parse(readFileSync(www(`lessons/${id}.json`), 'utf8'));
const SAMPLE = JSON.parse(readFileSync(new URL('./sample-lesson.json', import.meta.url), 'utf8'));
/** A lesson text as the English page shows it (a file may give one text per language). */
const en = (text) => pickText(text, 'en');

/** Every `rounds` of a lesson cut to at most SMALL. */
function shrink(value) {
  if (Array.isArray(value)) return value.map(shrink);
  if (value === null || typeof value !== 'object') return value;
  // An expect's `from` must stay inside its shrunk run (the page checks it), though only the measuring script reads it.
  const small = (k, v) => (k === 'rounds' ? Math.min(v, SMALL) : k === 'from' ? Math.min(v, SMALL - 1) : v);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'number' ? small(k, v) : shrink(v)]));
}

/**
 * Serves lessons/<id>.json shrunk; `extra` adds or replaces files by id (a value, a text, or
 * null for "not there"). The list and anything else come from www/.
 */
async function serveLessons(page, extra = {}) {
  // Only lessons/<id>.json itself (a prepared model may be models/lessons/<id>.json).
  await page.route((url) => /^\/lessons\/[a-z0-9-]+\.json$/.test(url.pathname), (route) => {
    const id = new URL(route.request().url()).pathname.split('/').pop().replace(/\.json$/, '');
    if (Object.hasOwn(extra, id)) {
      const v = extra[id];
      if (v === null) return route.fulfill({ status: 404, body: 'not found' });
      return route.fulfill({ contentType: 'application/json', body: typeof v === 'string' ? v : JSON.stringify(v) });
    }
    if (id === 'index' || !existsSync(www(`lessons/${id}.json`))) return route.continue();
    return route.fulfill({ contentType: 'application/json', body: JSON.stringify(shrink(lessonFile(id))) });
  });
}

/** A fresh page (a context of its own: empty storage) on the CPU backend, lessons served shrunk, ready. */
async function ready(hash = '', extra = { sample: SAMPLE }) {
  const r = await load(`index.html?backend=cpu${hash}`, (page) => serveLessons(page, extra));
  await r.page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 90_000 });
  return r;
}

/** The problems of a page but the ones a test causes on purpose (a missing file). */
const unexpected = (problems) => problems.filter((p) => !/404|Failed to load resource/.test(p));

for (const id of IDS) {
  test(`lesson ${id}: opens from its link, every step points at something on the page, every button works, every question reveals its answer`, async () => {
    const lesson = lessonFile(id);
    const { page, problems } = await ready(`#lesson=${id}`);
    const n = lesson.steps.length;
    for (const [i, step] of lesson.steps.entries()) {
      await atStep(page, id, i + 1);
      assert.equal(await page.textContent('#lesson-count'), `Step ${i + 1} of ${n}`);
      assert.equal(await page.textContent('#lesson-text'), en(step.text));
      assert.match(await page.evaluate(() => location.hash), new RegExp(`&lesson=${id}&step=${i + 1}(&edits=|$)`));
      if (step.look) {
        const where = await page.evaluate((sel) => {
          const el = document.querySelector(sel);
          return { exists: !!el, outlined: !!el?.classList.contains('lesson-look'), note: document.getElementById('lesson-look').hidden ? '' : document.getElementById('lesson-look').textContent };
        }, step.look);
        assert.ok(where.exists, `step ${i + 1}: ${step.look} is not on the page`);
        assert.ok(where.outlined || /but .* (hides it|not showing)/.test(where.note), `step ${i + 1}: ${step.look} is neither outlined nor explained (${where.note})`);
      }
      if (step.do) {
        const before = await iteration(page);
        await pressDo(page);
        // A new run (settings) starts again from 0.
        const from = step.do.settings ? 0 : before;
        if (step.do.rounds) assert.ok((await iteration(page)) >= from + Math.min(step.do.rounds, SMALL), `step ${i + 1}: the rounds were not trained`);
        if (step.do.play) await page.click('#play'); // pause again
        if (step.do.draw) {
          assert.equal(await page.evaluate(() => document.body.classList.contains('drawing')), true, 'the draw tool did not open');
          await page.click('#draw-paint');
          await page.evaluate(() => document.activeElement.blur());
          await page.keyboard.press('Escape');
        }
        for (const [k, v] of Object.entries(step.do.settings ?? {})) assert.match(await page.evaluate(() => location.hash), new RegExp(`[#&]${k}=${v === true ? 1 : v === false ? 0 : v}(&|$)`), `step ${i + 1}: ${k} was not set`);
      }
      if (step.ask) {
        const ask = step.ask;
        // Every other question is answered wrongly, to see both verdicts.
        const choice = i % 2 === 0 ? ask.answer : (ask.answer + 1) % ask.choices.length;
        const before = await iteration(page);
        const reveal = await answer(page, choice, en(ask.why));
        if (choice === ask.answer) assert.match(reveal, /^Right\./);
        else assert.ok(reveal.startsWith('Not quite.') && reveal.includes(`The answer is “${en(ask.choices[ask.answer])}”`), reveal);
        assert.equal(await page.locator('#lesson-reveal .watch li').count(), (ask.watch ?? []).length);
        for (const li of await page.locator('#lesson-reveal .watch li').allTextContents()) assert.match(li, /^.+: .+ → .+$/);
        if (ask.run?.rounds) assert.ok((await iteration(page)) > before, `step ${i + 1}: "Run and see" trained nothing`);
      }
      await page.click('#lesson-next');
    }
    // "Finish" on the last step: the lesson closes, and is remembered as done.
    await page.waitForFunction(() => document.getElementById('lesson-panel').hidden);
    assert.equal(await page.evaluate((i) => JSON.parse(localStorage.getItem(`ganplay-lesson-${i}`)).done, id), true);
    assert.match(await message(page), /You finished/);
    assert.deepEqual(unexpected(problems), []);
  });
}

test('the setup sets the run up (its settings over the defaults) and each step’s button does what it says', async () => {
  const { page, problems } = await ready('#lesson=sample&gLr=0.0005');
  await atStep(page, 'sample', 1);
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /dataset=grid/);
  assert.match(hash, /seed=2&/);
  assert.match(hash, /gLr=0\.001&/, 'a setting the lesson does not name is not back at its default');
  assert.ok(await page.isChecked('#p-arrows'));
  // The worker heard of the pictures too: the arrows are on the plane (turning them off changes it).
  await page.waitForTimeout(400);
  const withArrows = await canvasDigest(page, '#plane');
  await page.uncheck('#p-arrows');
  await page.waitForTimeout(400);
  assert.notEqual((await canvasDigest(page, '#plane')).hash, withArrows.hash, 'the lesson’s arrows are not drawn');
  await page.check('#p-arrows');
  assert.equal(await iteration(page), 0);
  await pressDo(page);
  assert.equal(await iteration(page), 4);
  assert.equal(await page.isDisabled('#lesson-back'), true);
  await page.click('#lesson-next');
  await atStep(page, 'sample', 2);
  await page.click('#lesson-next');
  await atStep(page, 'sample', 3);
  assert.equal(await page.textContent('#lesson-next'), 'Finish');
  await pressDo(page);
  assert.equal(await page.inputValue('#p-objective'), 'minimax');
  assert.ok(await page.isChecked('#p-manifold'));
  // Back goes back without touching the run.
  await page.click('#lesson-back');
  await atStep(page, 'sample', 2);
  assert.deepEqual(problems, []);
});

test('a lesson works from the keyboard, and its answer is announced', async () => {
  const { page, problems } = await ready('#lesson=sample&step=2');
  await atStep(page, 'sample', 2);
  assert.equal(await page.getAttribute('#lesson-reveal', 'aria-live'), 'polite');
  await page.focus('#lesson-choices input[value="0"]');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.ok(await page.isChecked('#lesson-choices input[value="2"]'));
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'lesson-run');
  // Space presses the focused button; it does not also play or pause the run.
  await page.keyboard.press(' ');
  await page.waitForFunction((w) => document.querySelector('#lesson-reveal .why')?.textContent === w, SAMPLE.steps[1].ask.why, { timeout: 60_000 });
  assert.match(await page.textContent('#lesson-reveal'), /^Right\./);
  assert.equal(await page.textContent('#play'), 'Play');
  await page.focus('#lesson-next');
  await page.keyboard.press('Enter');
  await atStep(page, 'sample', 3);
  assert.deepEqual(problems, []);
});

test('a lesson with a prepared model continues from its weights; a model that is not there leaves the page as it was', async () => {
  const withModel = { ...structuredClone(SAMPLE), id: 'with-model', setup: { model: 'models/ring.json', settings: { manifold: true } } };
  const noModel = { ...structuredClone(SAMPLE), id: 'no-model', setup: { model: 'models/lessons/not-there.json' } };
  const { page, problems } = await ready('', { 'with-model': withModel, 'no-model': noModel });
  await stepTo(page, 2);
  await page.evaluate(() => (location.hash = '#lesson=no-model'));
  await page.waitForFunction(() => /could not be fetched/.test(document.getElementById('message').textContent), null, { timeout: 30_000 });
  assert.match(await message(page), /The lesson's prepared model models\/lessons\/not-there\.json could not be fetched \(there is no such file\)\. The page stays as it was\./);
  assert.ok(await page.isHidden('#lesson-panel'));
  assert.equal(await iteration(page), 2);
  await page.evaluate(() => (location.hash = '#lesson=with-model'));
  await atStep(page, 'with-model', 1);
  // The ring preset is at iteration 6000; the lesson's pictures are as it says.
  assert.equal(await iteration(page), 6000);
  assert.match(await page.evaluate(() => location.hash), /dataset=ring&seed=3&.*manifold=1&arrows=0/);
  await pressDo(page);
  assert.equal(await iteration(page), 6004);
  assert.deepEqual(unexpected(problems), []);
});

test('the lesson list: every lesson with its summary and a link that opens it; leaving keeps the step, and the list goes back to it', async () => {
  const { page, problems } = await ready();
  await page.click('#lessons-open');
  await page.waitForSelector('#lesson-list[data-loaded]');
  const items = page.locator('#lesson-items li.lesson-item');
  assert.equal(await items.count(), IDS.length);
  for (const [k, id] of IDS.entries()) {
    const l = lessonFile(id);
    assert.match(await items.nth(k).textContent(), new RegExp(`${k + 1}\\. ${en(l.title).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.ok((await items.nth(k).textContent()).includes(en(l.summary)));
    assert.equal(await items.nth(k).locator('a').getAttribute('href'), `#lesson=${id}&step=1`);
  }
  const first = IDS[0];
  await items.nth(0).locator('a').click();
  assert.equal(await page.evaluate(() => document.getElementById('lesson-list').open), false);
  await atStep(page, first, 1);
  if (lessonFile(first).steps.length > 1) {
    await page.click('#lesson-next');
    await atStep(page, first, 2);
    await page.click('#lesson-close');
    assert.ok(await page.isHidden('#lesson-panel'));
    assert.match(await message(page), /You left .* at step 2/);
    assert.doesNotMatch(await page.evaluate(() => location.hash), /lesson=/);
    await page.click('#lessons-open');
    await page.waitForSelector('#lesson-list[data-loaded]');
    assert.match(await items.nth(0).textContent(), /in progress: step 2 of/);
    await items.nth(0).locator('a').click();
    await atStep(page, first, 2);
  }
  assert.deepEqual(problems, []);
});

test('a lesson opens inside a classroom link with hidden controls, and says so where a step points at one', async () => {
  const { page, problems } = await ready('#lesson=sample&hide=objective,presets,keep');
  await atStep(page, 'sample', 1);
  assert.ok(await page.isHidden('[data-prop=objective]'));
  assert.match(await page.textContent('#lesson-look'), /points at “Objective”, but this classroom link hides it/);
  assert.match(await page.evaluate(() => decodeURIComponent(location.hash)), /hide=objective,presets,keep/);
  await page.click('#lesson-next');
  await atStep(page, 'sample', 2);
  assert.ok(await page.isHidden('#lesson-look'));
  assert.equal(await page.evaluate(() => document.getElementById('modes').classList.contains('lesson-look')), true);
  assert.match(await answer(page, 2, SAMPLE.steps[1].ask.why), /^Right\./);
  // The hidden controls stay hidden through the lesson's new runs.
  assert.match(await page.evaluate(() => decodeURIComponent(location.hash)), /hide=objective,presets,keep/);
  assert.deepEqual(problems, []);
});

test('a lesson opens in embed mode: the panel shows its text and steps under the picture, and its question works', async () => {
  const { page, problems } = await ready(`#lesson=sample&embed=1`);
  await atStep(page, 'sample', 1);
  assert.ok(await page.isVisible('#lesson-panel'));
  assert.ok(await page.isHidden('.controls'));
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('lesson-panel')).position), 'static');
  assert.match(await page.textContent('#lesson-look'), /embed mode hides it/);
  await page.click('#lesson-next');
  await atStep(page, 'sample', 2);
  const reveal = await answer(page, 0, SAMPLE.steps[1].ask.why);
  assert.match(reveal, /Not quite\. The answer is “z”/);
  // The readouts are hidden in embed mode, but the panel still shows them before → after.
  assert.match(reveal, /Iteration: 0 → 3/);
  // Every shipped lesson opens in embed mode too.
  await page.evaluate((id) => (location.hash = `#lesson=${id}&step=1&embed=1`), IDS[0]);
  await atStep(page, IDS[0], 1);
  assert.ok(await page.isVisible('#lesson-text'));
  assert.deepEqual(problems, []);
});

test('progress is remembered across a reload: the step, the answer given, and the run', async () => {
  const { page, problems } = await ready('#lesson=sample');
  await atStep(page, 'sample', 1);
  await pressDo(page);
  await page.click('#lesson-next');
  await atStep(page, 'sample', 2);
  await answer(page, 1, SAMPLE.steps[1].ask.why);
  assert.equal(await iteration(page), 7);
  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('ganplay-lesson-sample')));
  assert.deepEqual([saved.step, saved.answers, saved.done], [2, { 1: 1 }, false]);
  // The autosave takes the run and the link (the lesson at step 2).
  await page.waitForFunction(() => /iteration 7/.test(document.getElementById('saved').textContent), null, { timeout: 30_000 });
  await page.reload();
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 90_000 });
  await atStep(page, 'sample', 2);
  assert.equal(await iteration(page), 7, 'the reload did not keep the run');
  assert.ok(await page.isChecked('#lesson-choices input[value="1"]'));
  assert.match(await page.textContent('#lesson-reveal'), /Not quite\. You chose “y” last time\. The answer is “z”/);
  assert.deepEqual(problems, []);
});

test('coming back to a lesson in another run sets it up again and repeats the earlier steps, so the run is where the step expects it', async () => {
  const { page, problems } = await ready('#lesson=sample');
  await atStep(page, 'sample', 1);
  await page.evaluate(() => localStorage.setItem('ganplay-lesson-sample', JSON.stringify({ step: 3, answers: {}, done: false })));
  await page.click('#lesson-close');
  await page.evaluate(() => (location.hash = '#dataset=ring&seed=9'));
  await page.waitForFunction(() => /dataset=ring&seed=9/.test(location.hash));
  await stepTo(page, 2);
  // A bare link resumes at the step remembered.
  await page.evaluate(() => (location.hash = '#lesson=sample'));
  await atStep(page, 'sample', 3);
  // Setup (grid, seed 2, iteration 0), then step 1's 4 rounds and step 2's 3.
  assert.equal(await iteration(page), 7);
  assert.match(await page.evaluate(() => location.hash), /dataset=grid.*seed=2&/);
  assert.deepEqual(problems, []);
});

test('a broken or missing lesson file gets a message that says what is wrong, and the run (and the lesson open) stay', async () => {
  const broken = structuredClone(SAMPLE);
  broken.id = 'wrong';
  broken.steps[1].ask.answer = 7;
  const { page, problems } = await ready('', { sample: SAMPLE, bad: '{"id": "bad", "title": ', wrong: broken, missing: null });
  await stepTo(page, 3);
  const hash = await page.evaluate(() => location.hash);
  for (const [id, said] of [
    ['bad', /The lesson "bad" could not be opened: lessons\/bad\.json is not valid JSON.*The page stays as it was\./],
    ['missing', /The lesson "missing" could not be opened: there is no file lessons\/missing\.json\. The page stays as it was\./],
    ['wrong', /lessons\/wrong\.json: step 2, ask: answer must be the number of the right choice, counted from 0 \(0–2\)/],
  ]) {
    await page.evaluate((i) => (location.hash = `#lesson=${i}`), id);
    await page.waitForFunction(() => /could not be opened/.test(document.getElementById('message').textContent), null, { timeout: 30_000 });
    assert.match(await message(page), said);
    await page.waitForFunction((h) => location.hash === h, hash, { timeout: 10_000 });
    assert.equal(await iteration(page), 3, 'the run did not stay');
    assert.ok(await page.isHidden('#lesson-panel'));
    await page.evaluate(() => (document.getElementById('message').textContent = ''));
  }
  // With a lesson open, a broken link leaves it open where it was.
  await page.evaluate(() => (location.hash = '#lesson=sample&step=2'));
  await atStep(page, 'sample', 2);
  await page.evaluate(() => (location.hash = '#lesson=bad'));
  await page.waitForFunction(() => /could not be opened/.test(document.getElementById('message').textContent), null, { timeout: 30_000 });
  await page.waitForFunction(() => /&lesson=sample&step=2$/.test(location.hash), null, { timeout: 10_000 });
  assert.ok(await page.isVisible('#lesson-panel'));
  assert.equal(await page.textContent('#lesson-text'), SAMPLE.steps[1].text);
  assert.deepEqual(unexpected(problems), []);
});

test('on the Chinese page a lesson shows its Chinese texts and the panel speaks Chinese; a text given in English only shows in English', async () => {
  // Lesson 1 as its file gives it, with Chinese put in for its title and first step where the file has none.
  const game = shrink(lessonFile('game'));
  const withChinese = (text, zh) => (typeof text === 'object' && text['zh-CN'] ? text : { en: en(text), 'zh-CN': zh });
  game.title = withChinese(game.title, '生成器和判别器的游戏');
  game.steps[0].text = withChinese(game.steps[0].text, '这是第一步：先看看图上的点。');
  game.steps[1].text = { en: en(game.steps[1].text) };
  // The sample's question in both languages.
  const sample = structuredClone(SAMPLE);
  const ask = sample.steps[1].ask;
  Object.assign(ask, { question: { en: ask.question, 'zh-CN': '哪个字？' }, choices: ['甲', '乙', '丙'].map((zh, k) => ({ en: ask.choices[k], 'zh-CN': zh })), why: { en: ask.why, 'zh-CN': '因为丙是这里的最后一个。' } });
  const { page, problems } = await ready('&lang=zh-CN#lesson=game', { game, sample });
  await atStep(page, 'game', 1);
  assert.equal(await page.textContent('#lesson-title'), game.title['zh-CN']);
  assert.equal(await page.textContent('#lesson-text'), game.steps[0].text['zh-CN']);
  assert.equal(await page.textContent('#lesson-count'), `第 1 步，共 ${game.steps.length} 步`);
  assert.equal(await page.textContent('#lesson-next'), '下一步 →');
  await page.click('#lesson-next');
  await atStep(page, 'game', 2);
  assert.equal(await page.textContent('#lesson-text'), game.steps[1].text.en);
  // A question and its answer.
  await page.evaluate(() => (location.hash = '#lesson=sample&step=2'));
  await atStep(page, 'sample', 2);
  assert.equal(await page.textContent('#lesson-question'), '哪个字？');
  assert.deepEqual((await page.locator('#lesson-choices label').allTextContents()).map((s) => s.trim()), ['甲', '乙', '丙']);
  assert.equal(await page.textContent('#lesson-run'), '运行看看');
  const reveal = await answer(page, 0, ask.why['zh-CN']);
  assert.match(reveal, /^不太对。正确答案是“丙”。/);
  assert.deepEqual(unexpected(problems), []);
});
