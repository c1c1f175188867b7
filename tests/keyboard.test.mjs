// End-to-end: the keyboard on both pages (CPU backend, headless Chromium). A focused control takes
// its own keys; the page's shortcuts can be switched off and never throw the run away on one
// letter; every action is reached with Tab; panels take the focus and give it back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, iteration, stepTo } from './session.mjs';

const load = session();

async function ready(hash = '') {
  const { page, problems } = await load(`index.html?backend=cpu${hash}`);
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
  return { page, problems };
}

const focused = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName.toLowerCase());
const blur = (page) => page.evaluate(() => document.activeElement?.blur());
const playing = (page) => page.evaluate(() => !document.getElementById('play').classList.contains('primary'));
/** Time for a key that should do nothing to have done something. */
const settle = (page) => page.waitForTimeout(700);

/** Presses Tab until `done()` holds in the page (at most `max` times); resolves to the count, or -1. */
async function tabUntil(page, done, max) {
  for (let n = 1; n <= max; n++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(done)) return n;
  }
  return -1;
}

test('Space on a focused button presses it: Step steps once and does not play; an arrow on a thumbnail moves the focus, not the run', async () => {
  const { page, problems } = await ready();
  await page.focus('#step');
  await page.keyboard.press(' ');
  await page.waitForFunction(() => document.getElementById('iteration').textContent === '1');
  await settle(page);
  assert.equal(await iteration(page), 1, 'Space stepped more than once');
  assert.equal(await playing(page), false, 'Space on Step started playing');
  await page.focus('#thumbs .thumb');
  const first = await page.getAttribute('#thumbs .thumb', 'data-dataset');
  await page.keyboard.press('ArrowRight');
  await settle(page);
  assert.equal(await iteration(page), 1, '→ on a thumbnail stepped the run');
  const now = await page.evaluate(() => document.activeElement.dataset.dataset);
  assert.ok(now && now !== first, 'the arrow did not move to the next thumbnail');
  assert.deepEqual(problems, []);
});

test('Space and Enter on "Next →" go to the next phase of the explanation; Esc closes it and gives the focus back to Explain', async () => {
  const { page, problems } = await ready();
  await page.focus('#explain');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.body.dataset.explainPhase === '1');
  assert.equal(await focused(page), 'explain-next', 'opening the explanation did not move the focus into it');
  await page.keyboard.press(' ');
  await page.waitForFunction(() => document.body.dataset.explainPhase === '2');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.body.dataset.explainPhase === '3');
  assert.ok(await page.isVisible('#explain-panel'));
  assert.equal(await playing(page), false);
  await page.keyboard.press('Escape');
  assert.ok(await page.isHidden('#explain-panel'));
  await page.waitForFunction(() => document.activeElement?.id === 'explain');
  assert.deepEqual(problems, []);
});

test('a lesson takes the focus; Esc leaves it and the focus goes to Lessons', async () => {
  const { page, problems } = await ready('#lesson=game');
  await page.waitForFunction(() => document.body.dataset.lesson === 'game' && document.getElementById('lesson-panel').dataset.busy === 'false', null, { timeout: 60_000 });
  assert.equal(await focused(page), 'lesson-title');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.getElementById('lesson-panel').hidden);
  await page.waitForFunction(() => document.activeElement?.id === 'lessons-open');
  assert.deepEqual(problems, []);
});

test('Tab reaches Import model, and Enter opens the file chooser', async () => {
  const { page, problems } = await ready();
  // Listen first: Playwright turns on its file-chooser interception asynchronously, and an Enter
  // sent before that opens a dialog it never reports.
  const chooser = page.waitForEvent('filechooser', { timeout: 60_000 });
  await page.focus('#lang');
  const n = await tabUntil(page, () => document.activeElement?.id === 'import-open', 150);
  assert.ok(n > 0, 'Tab never reaches Import model');
  await page.keyboard.press('Enter');
  assert.equal((await chooser).isMultiple(), false);
  assert.deepEqual(problems, []);
});

test('shortcuts switched off: Space and → on the page do nothing, and the choice is remembered', async () => {
  const { page, problems } = await ready();
  await page.uncheck('#shortcuts');
  await blur(page);
  await page.keyboard.press(' ');
  await page.keyboard.press('ArrowRight');
  await settle(page);
  assert.equal(await playing(page), false, 'Space played with the shortcuts off');
  assert.equal(await iteration(page), 0, '→ stepped with the shortcuts off');
  await page.reload();
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
  assert.equal(await page.isChecked('#shortcuts'), false, 'the choice was not remembered');
  await page.keyboard.press(' ');
  await settle(page);
  assert.equal(await playing(page), false);
  await page.check('#shortcuts');
  await blur(page);
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.getElementById('iteration').textContent === '1');
  assert.deepEqual(problems, []);
});

test('Shift+R resets the run; a plain r does not', async () => {
  const { page, problems } = await ready();
  await stepTo(page, 2);
  await blur(page);
  await page.keyboard.press('r');
  await settle(page);
  assert.equal(await iteration(page), 2, 'a plain r reset the run');
  await page.keyboard.press('Shift+R');
  await page.waitForFunction(() => document.getElementById('iteration').textContent === '0');
  assert.deepEqual(problems, []);
});

test('the draw tool from the keyboard: the focus goes to its tools, the plane paints with arrows and Space, Esc gives the focus back', async () => {
  const { page, problems } = await ready();
  await page.focus('#thumbs [data-dataset=points]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.body.classList.contains('drawing'));
  await page.waitForFunction(() => document.activeElement?.id === 'draw-paint');
  const count = () => page.evaluate(() => Number(document.getElementById('draw-count').textContent.match(/\d+/)[0]));
  const before = await count();
  await page.focus('#draw-alt a[href="#plane"]');
  await page.keyboard.press('Enter');
  assert.equal(await focused(page), 'plane');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowUp');
  await page.keyboard.press(' ');
  assert.equal(await count(), before + 4, 'Space on the plane did not paint');
  assert.equal(await playing(page), false);
  // The typed way: the link opens Import points at its text box.
  await page.focus('#draw-alt a[href="#csv-text"]');
  await page.keyboard.press('Enter');
  assert.equal(await focused(page), 'csv-text');
  await page.focus('#plane');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.body.classList.contains('drawing'));
  await page.waitForFunction(() => document.activeElement?.dataset.dataset === 'points');
  assert.deepEqual(problems, []);
});

test('gallery: the samples are one Tab stop; the arrow keys move and Enter (or A, B) picks A and B', async () => {
  const { page, problems } = await load('gallery.html#model=digits');
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 90_000 });
  await page.waitForFunction(() => document.body.dataset.pending === 'false');
  await page.focus('#walk');
  const n = await tabUntil(page, () => document.activeElement?.getAttribute('role') === 'gridcell', 40);
  assert.ok(n > 0, 'Tab never reaches the samples');
  const at = () => page.evaluate(() => Number(document.activeElement.dataset.cell));
  const pick = (k) => page.evaluate((c) => document.querySelector(`#grid-cells [data-cell="${c}"]`).dataset.pick, k);
  assert.equal(await at(), 0);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await at(), 2);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.getElementById('neighbours').disabled);
  assert.equal(await pick(2), 'a');
  await page.keyboard.press('ArrowDown');
  assert.equal(await at(), 12);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.getElementById('interpolate').disabled);
  assert.equal(await pick(12), 'b');
  assert.match(await page.getAttribute('#grid-cells [data-cell="12"]', 'aria-label'), /B/);
  // A and B pick only their own; the picks stay one Tab stop, where the focus was.
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('b');
  await page.waitForFunction(() => document.querySelector('#grid-cells [data-cell="11"]').dataset.pick === 'b');
  assert.equal(await pick(2), 'a');
  await page.keyboard.press('Home');
  await page.keyboard.press('a');
  await page.waitForFunction(() => document.querySelector('#grid-cells [data-cell="10"]').dataset.pick === 'a');
  assert.equal(await pick(11), 'b');
  assert.equal(await page.evaluate(() => document.querySelectorAll('#grid-cells [tabindex="0"]').length), 1);
  assert.deepEqual(problems, []);
});
