// End-to-end: lessons 4 and 5 show what they teach, with their own settings and rounds (not shrunk
// as in lessons.test.mjs), on the CPU backend in headless Chromium. Lesson 4's run really collapses
// (modes covered falls below half); in lesson 5, switching from minimax to non-saturating on the same
// state makes G's gradient norm, and the arrows drawn at their true length, at least 10× larger.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { session, iteration, atStep, pressDo, answer } from './session.mjs';
import { pickText } from '../www/js/lesson-format.js';

const load = session();
const lessonFile = (id) => JSON.parse(readFileSync(new URL(`../www/lessons/${id}.json`, import.meta.url), 'utf8'));

async function open(id) {
  const { page, problems } = await load(`index.html?backend=cpu#lesson=${id}`);
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 90_000 });
  await atStep(page, id, 1);
  return { page, problems };
}

/** Walks lesson `id` up to step index `last` (pressing each step's button and answering its question rightly), then calls `at(page, step)` before and after that step's question. */
async function walkTo(page, id, last, { before = async () => {}, after = async () => {} } = {}) {
  const lesson = lessonFile(id);
  for (let i = 0; i <= last; i++) {
    const step = lesson.steps[i];
    await atStep(page, id, i + 1);
    if (step.do) {
      await pressDo(page);
      if (step.do.play) await page.click('#play');
    }
    if (step.ask) {
      if (i === last) await before(page);
      await answer(page, step.ask.answer, pickText(step.ask.why, 'en'));
      if (i === last) await after(page);
    }
    if (i < last) await page.click('#lesson-next');
  }
}

const modes = async (page) => {
  const [covered, total] = (await page.textContent('#modes')).split('/').map((s) => Number(s.trim()));
  return { covered, total };
};
const gradNorm = (page) => page.evaluate(() => Number(document.getElementById('grad-norm').title));
const arrowPx = (page) => page.evaluate(() => Number(document.body.dataset.arrowPx));

test('lesson 4 (mode collapse): its run drops the modes covered below half', async () => {
  const id = 'mode-collapse';
  const steps = lessonFile(id).steps;
  // The question that runs the collapsing setting: the first one that watches the modes.
  const k = steps.findIndex((s) => s.ask?.run && s.ask.watch?.includes('modes'));
  assert.ok(k >= 0, 'lesson 4 has no question that watches the modes covered');
  const { page } = await open(id);
  let start;
  await walkTo(page, id, k, {
    before: async (p) => (start = await modes(p)),
    after: async (p) => {
      const end = await modes(p);
      assert.ok(start.covered > start.total / 2, `the lesson should start with most modes covered, not ${start.covered} / ${start.total}`);
      assert.ok(end.covered < end.total / 2, `modes covered after the collapsing run: ${end.covered} / ${end.total}, not below half`);
      // And the picture rings the modes G dropped.
      const legend = await p.textContent('.view');
      assert.match(legend, new RegExp(`misses \\(${end.total - end.covered} now\\)`));
    },
  });
});

test('lesson 5 (saturating loss): on the same state, G’s gradient under minimax is at least 10× smaller than under non-saturating, and so are its true-length arrows', async () => {
  const id = 'saturating';
  const steps = lessonFile(id).steps;
  const k = steps.findIndex((s) => s.ask?.run?.settings?.objective === 'non_saturating');
  assert.ok(k >= 0, 'lesson 5 has no question that switches to non-saturating');
  const { page } = await open(id);
  let minimax;
  await walkTo(page, id, k, {
    before: async (p) => {
      assert.match(await p.inputValue('#p-objective'), /^minimax$/);
      assert.ok(await p.isChecked('#p-trueScale'), 'lesson 5 shows the arrows at their true length');
      minimax = { norm: await gradNorm(p), px: await arrowPx(p), at: await iteration(p) };
    },
    after: async (p) => {
      await p.waitForFunction(() => document.getElementById('p-objective').value === 'non_saturating');
      const ns = { norm: await gradNorm(p), px: await arrowPx(p), at: await iteration(p) };
      const rounds = steps[k].ask.run.rounds ?? 0;
      assert.ok(ns.at - minimax.at <= rounds, `compared ${ns.at - minimax.at} rounds apart`);
      assert.ok(Number.isFinite(minimax.norm) && minimax.norm > 0, `minimax gradient norm ${minimax.norm}`);
      assert.ok(ns.norm >= 10 * minimax.norm, `gradient norm: minimax ${minimax.norm}, non-saturating ${ns.norm}`);
      assert.ok(ns.px >= 10 * minimax.px, `true-length arrows: minimax ${minimax.px} px, non-saturating ${ns.px} px`);
    },
  });
});
