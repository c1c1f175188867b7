// Shared by the end-to-end test files: one browser per file, each test's pages closed when it ends
// (so their workers cannot slow the next test), and the playground's step helpers.
import { before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { open } from './browser.mjs';

/**
 * Registers the file's hooks and returns `load(path, setup)`: opens `path` (relative to www/) in a
 * new page of the file's browser, with `setup(page)` run first; resolves to `{ page, problems }`.
 */
export function session({ webgpu = false } = {}) {
  let env;
  let pages = [];
  before(async () => {
    env = await open({ webgpu });
  });
  after(() => env?.close());
  afterEach(async () => {
    await Promise.all(pages.map((p) => p.close().catch(() => {})));
    pages = [];
  });
  return async (path, setup) => {
    const r = await env.page(path, setup);
    pages.push(r.page);
    return r;
  };
}

/** Runs `action` on the gallery and waits until the grid has been drawn again and nothing is pending. */
export async function afterRender(page, action) {
  const n = await page.evaluate(() => Number(document.body.dataset.renders ?? 0));
  await action();
  await page.waitForFunction((k) => Number(document.body.dataset.renders ?? 0) > k && document.body.dataset.pending === 'false', n, { timeout: 60_000 });
}

/** The playground's iteration readout. */
export const iteration = (page) => page.evaluate(() => Number(document.getElementById('iteration').textContent));

/** The playground's message line. */
export const message = (page) => page.textContent('#message');

/** The full-precision losses of the frame drawn. */
export const losses = (page) => page.evaluate(() => [document.getElementById('d-loss').title, document.getElementById('g-loss').title]);

/**
 * Presses Step until the playground reaches iteration `n`, and until that frame is drawn: the page
 * writes the count when a frame arrives but its readouts on the next animation frame.
 */
export async function stepTo(page, n) {
  while ((await iteration(page)) < n) {
    const i = await iteration(page);
    await page.click('#step');
    await page.waitForFunction((k) => Number(document.getElementById('iteration').textContent) > k, i);
  }
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

// Lesson steps (www/js/playground/lesson.js), for the lesson tests.

/** Waits until lesson `id` shows step `k` with nothing running. */
export async function atStep(page, id, k) {
  await page.waitForFunction(([i, s]) => document.body.dataset.lesson === i && document.body.dataset.lessonStep === String(s) && document.getElementById('lesson-panel').dataset.busy === 'false', [id, k], { timeout: 120_000 });
}

/** Presses the step's button and waits until it is done. */
export async function pressDo(page) {
  await page.click('#lesson-do');
  await page.waitForFunction(() => document.getElementById('lesson-panel').dataset.busy === 'false' && document.getElementById('lesson-status').textContent === 'Done.', null, { timeout: 120_000 });
}

/** Chooses `choice`, presses "Run and see" and waits for the answer; returns the reveal's text. */
export async function answer(page, choice, why) {
  assert.ok(await page.isDisabled('#lesson-run'), '"Run and see" is enabled before a choice');
  await page.check(`#lesson-choices input[value="${choice}"]`);
  assert.ok(await page.isEnabled('#lesson-run'));
  await page.click('#lesson-run');
  await page.waitForFunction((w) => document.querySelector('#lesson-reveal .why')?.textContent === w, why, { timeout: 120_000 });
  return page.textContent('#lesson-reveal');
}

