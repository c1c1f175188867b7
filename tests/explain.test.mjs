// End-to-end: "Explain a round" for a classroom, on the CPU backend in headless Chromium. Each phase
// puts its key number on the picture, D's outputs colour the points, D's update shows as a change of
// its map, the readouts follow the round in progress, the wording toggles (and is remembered), and
// the whole explanation fits a 1366×768 projector.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, iteration, stepTo } from './session.mjs';

const load = session();
const PROJECTOR = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

async function ready(viewport = PROJECTOR, hash = '') {
  const { page, problems } = await load(`index.html?backend=cpu${hash}`, (p) => p.setViewportSize(viewport));
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
  return { page, problems };
}

async function explain(page) {
  await page.click('#explain');
  await page.waitForSelector('#explain-panel:not([hidden])');
  await page.waitForFunction(() => document.body.dataset.explainPhase === '1');
}

const dataset = (page) => page.evaluate(() => ({ ...document.body.dataset }));
const text = (page, id) => page.textContent(`#${id}`);

/** The plane's pixels as [r, g, b, a, …] (a plain array, for comparing two phases). */
const pixels = (page) =>
  page.evaluate(() => {
    const c = document.getElementById('plane');
    return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data);
  });

/** Share of the pixels of a box (shares of the plane) that are dark text (near #1d1d29). */
const darkShare = (page, [x0, y0, x1, y1]) =>
  page.evaluate(
    ([x0, y0, x1, y1]) => {
      const c = document.getElementById('plane');
      const d = c.getContext('2d').getImageData(Math.round(x0 * c.width), Math.round(y0 * c.height), Math.round((x1 - x0) * c.width), Math.round((y1 - y0) * c.height)).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 90 && d[i + 1] < 90 && d[i + 2] < 90) n++;
      return n / (d.length / 4);
    },
    [x0, y0, x1, y1],
  );

/** Every element `ids` lies wholly inside the viewport. */
async function onScreen(page, ids) {
  return page.evaluate((ids) => {
    const out = {};
    for (const id of ids) {
      const r = document.getElementById(id).getBoundingClientRect();
      out[id] = r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;
    }
    return out;
  }, ids);
}

const NUMBERS = [
  /^\d+ real points$/,
  /^\d+ noise vectors z$/,
  /^\d+ generated points$/,
  /^D\(x\) mean 0\.\d\d · D\(G\(z\)\) mean 0\.\d\d$/,
  /^D loss \d\.\d{3}$/,
  /^D\(G\(z\)\) 0\.\d\d → 0\.\d\d · D\(x\) ≈ 0\.\d\d → 0\.\d\d$/,
  /^G loss \d\.\d{3}$/,
  /^G moved \d\.\d+$/,
];

test('the explanation walks every phase, each with its key number large on the picture', async () => {
  const { page, problems } = await ready();
  await stepTo(page, 2);
  await explain(page);
  for (let i = 1; i <= 8; i++) {
    if (i > 1) await page.click('#explain-next');
    const d = await dataset(page);
    assert.equal(d.explainPhase, String(i));
    assert.match(await text(page, 'explain-title'), new RegExp(`^${i}\\. `));
    assert.match(d.explainNumber, NUMBERS[i - 1], `phase ${i}`);
    // The number is written in the plane's top-left corner, in large dark letters.
    const ink = await darkShare(page, [0.02, 0.02, 0.4, 0.08]);
    assert.ok(ink > 0.04, `phase ${i}: only ${ink} of the number's box is dark`);
    assert.match(await page.getAttribute('#plane', 'aria-label'), new RegExp(`phase ${i} of the explained round`));
  }
  assert.ok(await page.isDisabled('#explain-next'));
  await page.click('#explain-close');
  assert.ok(await page.isHidden('#explain-panel'));
  assert.equal((await dataset(page)).explainNumber, undefined);
  assert.deepEqual(problems, []);
});

test('D’s update (phase 6) shows the change of D’s map, not the same picture as phase 5', async () => {
  const { page, problems } = await ready();
  await stepTo(page, 30);
  await explain(page);
  await page.click('#explain-phases li:nth-child(5)');
  assert.equal((await dataset(page)).explainMap, 'before');
  const five = await pixels(page);
  await page.click('#explain-phases li:nth-child(6)');
  assert.equal((await dataset(page)).explainMap, 'change');
  const six = await pixels(page);
  let differ = 0;
  for (let i = 0; i < five.length; i += 4) if (Math.abs(five[i] - six[i]) + Math.abs(five[i + 1] - six[i + 1]) + Math.abs(five[i + 2] - six[i + 2]) > 30) differ++;
  const share = differ / (five.length / 4);
  assert.ok(share > 0.3, `only ${share} of the plane differs between phases 5 and 6`);
  assert.match(await text(page, 'explain-text'), /green where it now says “more real”/);
  assert.deepEqual(problems, []);
});

test('each point is painted in D’s colour for it, on the heatmap’s scale', async () => {
  const { page } = await ready();
  // Draws phase 4 of a made-up round on a canvas of its own, with the page's own modules.
  const got = await page.evaluate(async () => {
    const { Plane, valueColor } = await import('./js/views/plane.js');
    const { context, drawPhase } = await import('./js/playground/phases.js');
    const { defaults } = await import('./js/state.js');
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 480;
    document.body.append(canvas);
    const plane = new Plane(canvas);
    const side = 48;
    const heat = new Float32Array(side * side).fill(0.5);
    const real = Float32Array.from([1.5, 0, -1.5, -1.5]);
    const fake = Float32Array.from([0, 1, 1, -1]);
    const e = {
      iteration: 1, real, z: new Float32Array(4), latentDim: 2, fake, dReal: Float32Array.from([0.95, 0.7]), dFake: Float32Array.from([0.05, 0.3]),
      dLoss: 1, heatBefore: heat, heatAfter: heat, heatmap: side, heatmapProbability: true, dFakeAfter: Float32Array.from([0.1, 0.3]), gLoss: 1,
      arrows: new Float32Array(4), fakeAfter: fake,
    };
    drawPhase(plane, context(e, defaults()), 3);
    const at = (x, y) => Array.from(plane.ctx.getImageData(Math.round(plane.px(x)), Math.round(plane.py(y)), 1, 1).data.slice(0, 3));
    const want = (p) => valueColor(p).map(Math.round);
    canvas.remove();
    return { got: [at(1.5, 0), at(-1.5, -1.5), at(0, 1), at(1, -1)], want: [want(0.95), want(0.7), want(0.05), want(0.3)] };
  });
  for (let i = 0; i < 4; i++) for (let k = 0; k < 3; k++) assert.ok(Math.abs(got.got[i][k] - got.want[i][k]) <= 3, `point ${i}: ${got.got[i]} is not ${got.want[i]}`);
});

test('the readouts show the round in progress: its losses from their phase on, its count when it is done', async () => {
  const { page, problems } = await ready();
  await stepTo(page, 2);
  await explain(page);
  assert.equal(await iteration(page), 2);
  assert.match(await text(page, 'explain-round'), /^round 3, phase 1 of 8: Sample real data$/);
  assert.match(await text(page, 'd-loss'), /^– \(phase 5\)$/);
  assert.match(await text(page, 'g-loss'), /^– \(phase 7\)$/);
  await page.click('#explain-phases li:nth-child(5)');
  const dLoss = Number(await page.getAttribute('#d-loss', 'title'));
  assert.ok(Number.isFinite(dLoss));
  assert.equal((await dataset(page)).explainNumber, `D loss ${dLoss.toFixed(3)}`);
  assert.match(await text(page, 'g-loss'), /^– \(phase 7\)$/);
  await page.click('#explain-phases li:nth-child(7)');
  const gLoss = Number(await page.getAttribute('#g-loss', 'title'));
  assert.equal((await dataset(page)).explainNumber, `G loss ${gLoss.toFixed(3)}`);
  assert.equal(await iteration(page), 2);
  await page.click('#explain-phases li:nth-child(8)');
  assert.equal(await iteration(page), 3);
  assert.equal(await text(page, 'explain-round'), 'round 3 done');
  // Closed, the readouts show the finished round again: the same losses.
  await page.click('#explain-close');
  assert.ok(await page.isHidden('#explain-round'));
  assert.equal(await iteration(page), 3);
  assert.equal(Number(await page.getAttribute('#d-loss', 'title')), dLoss);
  assert.equal(Number(await page.getAttribute('#g-loss', 'title')), gLoss);
  assert.deepEqual(problems, []);
});

test('it says plainly that it shows one D step and one G step when k_D or k_G is more', async () => {
  const { page } = await ready(PROJECTOR, '#kd=3');
  await explain(page);
  assert.match(await text(page, 'explain-steps'), /one D step and one G step.*3 D steps and 1 G step/);
});

test('school or university wording: a toggle, remembered, school by default; university has the formulas', async () => {
  const { page } = await ready();
  await explain(page);
  await page.click('#explain-phases li:nth-child(5)');
  assert.ok(await page.isChecked('#wording-school'));
  const school = await text(page, 'explain-text');
  assert.doesNotMatch(school, /L_D =|←|∇/);
  await page.check('#wording-university');
  const uni = await text(page, 'explain-text');
  assert.match(uni, /^L_D = −mean log D\(x\) − mean log\(1 − D\(G\(z\)\)\) = \d\.\d{4}/);
  await page.click('#explain-next');
  assert.match(await text(page, 'explain-text'), /φ ← φ − η/);
  // Remembered: a reload explains in university words.
  await page.reload();
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
  await explain(page);
  assert.ok(await page.isChecked('#wording-university'));
  assert.match(await text(page, 'explain-text'), /x₁ … x_m ~ p_data/);
  await page.check('#wording-school');
  assert.match(await text(page, 'explain-text'), /Each round starts with real examples/);
});

test('at 1366×768 the plane, the panel, its buttons and the round’s readouts fit on the screen in every phase and wording', async () => {
  const { page } = await ready(PROJECTOR);
  await explain(page);
  const ids = ['plane', 'explain-panel', 'explain-next', 'explain-prev', 'explain-close', 'play', 'step', 'explain', 'iteration', 'd-loss', 'g-loss', 'explain-round'];
  for (const wording of ['school', 'university']) {
    await page.check(`#wording-${wording}`);
    for (let i = 1; i <= 8; i++) {
      await page.click(`#explain-phases li:nth-child(${i})`);
      const seen = await onScreen(page, ids);
      assert.deepEqual(Object.keys(seen).filter((k) => !seen[k]), [], `${wording}, phase ${i}: off the screen`);
    }
  }
  assert.equal(await page.evaluate(() => scrollY), 0, 'the page scrolled');
});

test('on a 390×844 phone the plane and the panel come first and nothing is wider than the screen', async () => {
  const { page } = await ready(PHONE);
  await explain(page);
  const seen = await onScreen(page, ['plane', 'explain-title']);
  assert.deepEqual(seen, { plane: true, 'explain-title': true });
  assert.ok(await page.evaluate(() => document.scrollingElement.scrollWidth <= innerWidth));
  for (let i = 2; i <= 8; i++) {
    await page.click('#explain-next');
    assert.equal((await dataset(page)).explainPhase, String(i));
  }
  await page.click('#explain-close');
  assert.ok(await page.isHidden('#explain-panel'));
});
