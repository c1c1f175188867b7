// End-to-end: changes while training. An optimiser setting reaches the running model (the
// iteration count and the charts go on, the charts mark the change); a data or network change asks
// first; a link replays the changes at their iterations exactly; G's gradient norm is shown and
// charted. CPU backend (deterministic), headless Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, iteration, message, stepTo, losses } from './session.mjs';

const load = session();

async function ready(hash = '') {
  const { page, problems } = await load(`index.html?backend=cpu${hash}`);
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
  return { page, problems };
}

/** What the charts hold once drawn: points, the iteration of the first, the marks' iterations. */
const charts = (page) =>
  page.evaluate(() => {
    const d = document.body.dataset;
    return { points: Number(d.chartPoints), from: d.chartFrom, marks: d.chartMarks ? d.chartMarks.split(',').map(Number) : [] };
  });

/** Plays until the charts hold at least `n` points and the iteration is at least `at`, then pauses and waits for the last frame. */
async function playTo(page, { points = 0, at = 0 }) {
  await page.click('#play');
  await page.waitForFunction(([p, a]) => Number(document.body.dataset.chartPoints) >= p && Number(document.getElementById('iteration').textContent) >= a, [points, at], { timeout: 60_000 });
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('play').textContent === 'Play');
  await page.waitForTimeout(400); // the last frame after the pause, and a chart redraw
}

/** Types a value into a setting's text field. */
async function setField(page, key, value) {
  await page.fill(`#p-${key}`, value);
  await page.press(`#p-${key}`, 'Enter');
}

test('a learning-rate change mid-run keeps the iteration count and the chart history, and marks the change', async () => {
  const { page, problems } = await ready('#seed=3');
  await playTo(page, { points: 6 });
  const at = await iteration(page);
  const before = await charts(page);
  assert.ok(at > 0 && before.points >= 6, JSON.stringify({ at, before }));
  await setField(page, 'gLr', '0.0003');
  await page.waitForFunction(() => document.getElementById('message').textContent.includes('Changed at iteration'));
  assert.match(await message(page), new RegExp(`Changed at iteration ${at.toLocaleString('en')}; training goes on`));
  assert.equal(await iteration(page), at, 'the run restarted');
  assert.ok(await page.isHidden('#new-run-ask'), 'a live change asked about a new run');
  assert.equal(await page.inputValue('#p-gLr'), '0.0003');
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /(^#|&)gLr=0\.001&/, 'the link lost the run’s starting rate');
  assert.match(hash, new RegExp(`&edits=${at}:gLr=0\\.0003(&|$)`));
  // Training goes on from there: the points before the change stay, and the change is marked.
  await playTo(page, { points: before.points + 3 });
  const after = await charts(page);
  assert.ok(await iteration(page) > at);
  assert.equal(after.from, before.from, 'the chart history was cleared');
  assert.ok(after.points > before.points, JSON.stringify({ before, after }));
  assert.deepEqual(after.marks, [at]);
  assert.deepEqual(problems, []);
});

test('a data or network change mid-run asks first: "Keep this run" keeps everything, "Start new run" starts one', async () => {
  const { page, problems } = await ready('#seed=3');
  // Before the first round nothing is lost: no question.
  await setField(page, 'gWidth', '24');
  await page.waitForFunction(() => location.hash.includes('gWidth=24'));
  assert.ok(await page.isHidden('#new-run-ask'));
  await stepTo(page, 5);
  const hash = await page.evaluate(() => location.hash);
  const before = await losses(page);
  // A network change: the question shows next to the field; the run goes on untouched meanwhile.
  await setField(page, 'gWidth', '48');
  await page.waitForSelector('#new-run-ask', { state: 'visible' });
  assert.match(await page.textContent('#new-run-ask'), /This starts a new run and clears the charts/);
  assert.ok(await page.evaluate(() => document.getElementById('new-run-ask').previousElementSibling.contains(document.getElementById('p-gWidth'))), 'the question is not next to its field');
  assert.equal(await page.inputValue('#p-gWidth'), '48');
  await page.waitForTimeout(300);
  assert.equal(await iteration(page), 5);
  assert.equal(await page.evaluate(() => location.hash), hash);
  await page.click('#new-run-no');
  assert.ok(await page.isHidden('#new-run-ask'));
  assert.equal(await page.inputValue('#p-gWidth'), '24', 'the field did not go back');
  assert.equal(await iteration(page), 5);
  assert.deepEqual(await losses(page), before);
  assert.equal(await page.evaluate(() => location.hash), hash);
  const kept = await charts(page);
  assert.ok(kept.points >= 1, 'the charts were cleared');
  // A dataset: the question shows under the thumbnails; "Start new run" starts it.
  await page.click('[data-dataset=moons]');
  await page.waitForSelector('#new-run-ask', { state: 'visible' });
  assert.ok(await page.evaluate(() => document.getElementById('new-run-ask').previousElementSibling.id === 'thumbs'));
  assert.equal(await page.getAttribute('[data-dataset=moons]', 'aria-checked'), 'true');
  await page.click('#new-run-yes');
  await page.waitForFunction(() => location.hash.includes('dataset=moons'));
  assert.equal(await iteration(page), 0);
  assert.ok(await page.isHidden('#new-run-ask'));
  // Reset and New seed say what they do on the button: no question.
  await stepTo(page, 2);
  await page.click('#regenerate');
  await page.waitForFunction(() => location.hash.includes('seed=4'));
  assert.equal(await iteration(page), 0);
  assert.ok(await page.isHidden('#new-run-ask'));
  assert.deepEqual(problems, []);
});

test('a link replays its changes at their iterations: the same losses, however the run is played', async () => {
  // Run A: 12 single rounds, a live change of G's learning rate at 12, then played in chunks.
  const a = await ready('#seed=4&batch=64');
  await stepTo(a.page, 12);
  await setField(a.page, 'gLr', '0.004');
  await a.page.waitForFunction(() => location.hash.includes('edits=12:gLr=0.004'));
  await playTo(a.page, { at: 40 });
  const link = await a.page.evaluate(() => location.hash);
  assert.match(link, /&edits=12:gLr=0\.004(&|$)/);
  // Run B: the link, opened fresh and played in chunks that must stop at 12.
  const b = await ready(link);
  assert.equal(await b.page.inputValue('#p-gLr'), '0.001', 'the link did not start from the run’s start');
  await playTo(b.page, { at: 13 });
  assert.equal(await b.page.inputValue('#p-gLr'), '0.004', 'the change was not made when training reached it');
  assert.equal(await b.page.evaluate(() => location.hash), link, 'replaying changed the link');
  // Bring both to the same iteration with single rounds, and compare.
  const [pa, pb] = [await iteration(a.page), await iteration(b.page)];
  const at = Math.max(pa, pb);
  await stepTo(a.page, at);
  await stepTo(b.page, at);
  assert.equal(await iteration(a.page), await iteration(b.page));
  await b.page.waitForTimeout(300);
  assert.deepEqual(await losses(b.page), await losses(a.page), `the link replayed a different run (at iteration ${at})`);
  assert.deepEqual((await charts(b.page)).marks, [12], 'the replayed change is not marked');
  // Without the change the run differs: the comparison can tell runs apart.
  const plain = await ready(link.replace(/&edits=[^&]*/, ''));
  await stepTo(plain.page, at);
  assert.notDeepEqual(await losses(plain.page), await losses(a.page));
  assert.deepEqual(a.problems, []);
  assert.deepEqual(b.problems, []);
});

test('a link’s changes survive a reload (the autosave keeps them) and a bad change gets a notice', async () => {
  const { page, problems } = await ready('#seed=5&edits=3:kd=2,oops,4:gWidth=9');
  assert.match(await message(page), /ignored 2 changes of the link: "oops"/);
  assert.match(await page.evaluate(() => location.hash), /&edits=3:kd=2(&|$)/);
  await stepTo(page, 6);
  assert.equal(await page.inputValue('#p-kd'), '2');
  await page.waitForFunction(() => document.getElementById('saved').textContent.includes('(iteration 6)'), null, { timeout: 20_000 });
  const hash = await page.evaluate(() => location.hash);
  const before = await losses(page);
  await page.reload();
  await page.waitForSelector('body[data-restored=true]', { state: 'attached', timeout: 60_000 });
  await page.waitForFunction(() => document.getElementById('iteration').textContent === '6', null, { timeout: 10_000 });
  assert.equal(await page.evaluate(() => location.hash), hash);
  assert.equal(await page.inputValue('#p-kd'), '2');
  assert.deepEqual(await losses(page), before);
  await page.waitForTimeout(400);
  assert.deepEqual((await charts(page)).marks, [3], 'the mark was not restored');
  assert.deepEqual(problems, []);
});

test('G’s gradient norm is a readout and a line on the loss chart', async () => {
  const { page, problems } = await ready('#seed=3');
  await playTo(page, { points: 8 });
  const text = await page.textContent('#grad-norm');
  const norm = Number(text);
  assert.ok(Number.isFinite(norm) && norm > 0, `the gradient norm reads ${JSON.stringify(text)}`);
  assert.match(await page.evaluate(() => document.getElementById('grad-norm').previousElementSibling.textContent), /^G's gradient norm/);
  assert.match(await page.textContent('#chart-loss'), /G gradient norm/);
  // Its line is drawn, in its own colour (#e67700).
  const inked = await page.evaluate(() => {
    const c = document.querySelector('#chart-loss canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - 230) < 30 && Math.abs(d[i + 1] - 119) < 30 && d[i + 2] < 60) n++;
    return n;
  });
  assert.ok(inked > 30, `${inked} pixels of the gradient norm's line`);
  assert.deepEqual(problems, []);
});
