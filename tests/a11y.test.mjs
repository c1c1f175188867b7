// End-to-end accessibility: axe-core finds no serious or critical problem on either page, in
// English and Chinese, at laptop and phone sizes, light and dark; the pictures are images with a
// description that follows the run (written at most every few seconds); explained phases and lesson
// steps are announced; a refused value is tied to its field; reduced motion slows the gallery's
// random walk; the dark scheme paints the plane dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { open, loadAt } from './browser.mjs';

// The pages' CSP allows scripts from 'self' only, so a <script> tag with axe's source in it
// (addScriptTag) is refused; evaluating the source through the devtools protocol is not a page script.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let env;
before(async () => {
  env = await open({ webgpu: false });
});
after(() => env?.close());

const load = (path, options) => loadAt(env, path, options);

/** axe's serious and critical violations of the page as it is: ['rule: element — message']. */
async function serious(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${(n.any[0]?.message ?? n.failureSummary ?? '').slice(0, 200)}`));
  });
}

const scans = [];
for (const base of ['index.html?fresh=1', 'gallery.html?x=1']) {
  for (const lang of ['en', 'zh-CN']) for (const size of ['laptop', 'phone']) scans.push({ path: `${base}&lang=${lang}`, size, scheme: 'light' });
  for (const size of ['laptop', 'phone']) scans.push({ path: `${base}&lang=en`, size, scheme: 'dark' });
}
for (const { path, size, scheme } of scans) {
  test(`axe: ${path.replace('?x=1&', '?')} at ${size}, ${scheme}: no serious or critical violation`, async () => {
    const { page, problems, close } = await load(path, { size, scheme });
    try {
      assert.deepEqual(await serious(page), []);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
}

test('axe: the phone playground with the explanation, then a lesson, open', async () => {
  const { page, close } = await load('index.html?fresh=1', { size: 'phone' });
  try {
    await page.click('#explain');
    await page.waitForFunction(() => document.body.dataset.explainPhase === '1');
    assert.deepEqual(await serious(page), []);
    await page.evaluate(() => (location.hash = '#lesson=game'));
    await page.waitForFunction(() => document.body.dataset.lessonStep === '1', null, { timeout: 90_000 });
    assert.deepEqual(await serious(page), []);
  } finally {
    await close();
  }
});

/** An element's role, name and description as the page states them. */
const described = (page, id) =>
  page.evaluate((id) => {
    const el = document.getElementById(id);
    const desc = document.getElementById(el.getAttribute('aria-describedby') ?? '');
    return { role: el.getAttribute('role'), label: el.getAttribute('aria-label'), live: desc?.getAttribute('aria-live') ?? null, text: desc?.textContent ?? null };
  }, id);

test('the plane and the charts are images described in words; the plane’s words follow training, one write per 4 s at most', async () => {
  const { page, problems, close } = await load('index.html?fresh=1&backend=cpu');
  try {
    const plane = await described(page, 'plane');
    assert.equal(plane.role, 'img');
    assert.ok(plane.label.length > 10);
    assert.equal(plane.live, 'polite');
    assert.equal(plane.text, '0 of 8 modes covered; D is unsure almost everywhere');
    for (const id of ['chart-loss', 'chart-quality']) {
      const chart = await described(page, id);
      assert.equal(chart.role, 'img');
      assert.equal(chart.text, 'Nothing trained yet.');
    }
    // Count the writes to the plane's live region while training.
    await page.evaluate(() => {
      window.planeWrites = 0;
      new MutationObserver(() => window.planeWrites++).observe(document.getElementById('plane-desc'), { childList: true, characterData: true, subtree: true });
    });
    const start = Date.now();
    await page.click('#play');
    await page.waitForFunction(() => !/unsure almost everywhere/.test(document.getElementById('plane-desc').textContent), null, { timeout: 90_000 });
    await page.waitForTimeout(9000);
    const seconds = (Date.now() - start) / 1000;
    await page.click('#play');
    const writes = await page.evaluate(() => window.planeWrites);
    assert.ok(writes >= 1 && writes <= seconds / 4 + 1, `${writes} writes in ${seconds.toFixed(1)} s`);
    assert.match((await described(page, 'plane')).text, /^\d of 8 modes covered; D says “real” on \d+ % of the plane and “generated” on \d+ %/);
    assert.match((await described(page, 'chart-loss')).text, /^After [\d,]+ rounds: D loss [\d.]+, G loss [\d.]+\.$/);
    assert.match((await described(page, 'chart-quality')).text, /^After [\d,]+ rounds: Jensen–Shannon divergence [\d.]+, \d of 8 modes covered\.$/);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('the plane’s words in Chinese', async () => {
  const { page, close } = await load('index.html?fresh=1&lang=zh-CN');
  try {
    assert.equal((await described(page, 'plane')).text, '8 个模式中覆盖了 0 个；判别器几乎处处拿不准');
  } finally {
    await close();
  }
});

test('the gallery’s grid is an image whose words name the model and what it shows', async () => {
  const { page, close } = await load('gallery.html');
  try {
    const grid = await described(page, 'grid');
    assert.equal(grid.role, 'img');
    assert.equal(grid.live, 'polite');
    assert.match(grid.text, /^40 images from .+\. Samples, seed 1\.$/);
    await page.click('#resample');
    await page.waitForFunction(() => /seed 2\.$/.test(document.getElementById('grid-desc').textContent), null, { timeout: 30_000 });
  } finally {
    await close();
  }
});

const announced = (page, pattern) => page.waitForFunction((p) => new RegExp(p).test(document.getElementById('announce')?.textContent ?? ''), pattern.source, { timeout: 30_000 });

test('each explained phase and each lesson step is announced', async () => {
  const { page, close } = await load('index.html?fresh=1');
  try {
    await page.click('#explain');
    await announced(page, /^Phase 1 of 8: .+\. \S/);
    await page.click('#explain-next');
    await announced(page, /^Phase 2 of 8: /);
    await page.click('#explain-close');
    await page.evaluate(() => (location.hash = '#lesson=game'));
    await announced(page, /^Step 1 of \d+\. \S/);
    await page.click('#lesson-next');
    await announced(page, /^Step 2 of \d+\. /);
  } finally {
    await close();
  }
});

test('announcements in Chinese', async () => {
  const { page, close } = await load('index.html?fresh=1&lang=zh-CN');
  try {
    await page.click('#explain');
    await announced(page, /^第 1 步（共 8 步）：/);
  } finally {
    await close();
  }
});

test('a refused value is tied to its field: aria-invalid, and the error first in its description', async () => {
  const { page, close } = await load('index.html?fresh=1');
  try {
    await page.fill('#p-gLr', '-3');
    await page.press('#p-gLr', 'Enter');
    await page.waitForSelector('#error-gLr:not([hidden])');
    const field = await page.evaluate(() => {
      const input = document.getElementById('p-gLr');
      return { invalid: input.getAttribute('aria-invalid'), describedBy: input.getAttribute('aria-describedby').split(' '), error: document.getElementById('error-gLr').textContent };
    });
    assert.equal(field.invalid, 'true');
    assert.equal(field.describedBy[0], 'error-gLr');
    assert.ok(field.error.length > 10);
  } finally {
    await close();
  }
});

test('reduced motion: the gallery’s random walk slows to a couple of pictures a second', async () => {
  const { page, close } = await load('gallery.html', { reducedMotion: 'reduce' });
  try {
    const renders = () => page.evaluate(() => Number(document.body.dataset.renders));
    await page.click('#walk');
    const from = await renders();
    await page.waitForTimeout(3000);
    const drawn = (await renders()) - from;
    await page.click('#walk');
    assert.ok(drawn >= 1 && drawn <= 7, `${drawn} pictures in 3 s`);
  } finally {
    await close();
  }
});

/** The plane's pixel at (x, y) shares of its side, as [r, g, b]. */
const pixel = (page, x, y) =>
  page.evaluate(([x, y]) => {
    const c = document.getElementById('plane');
    return Array.from(c.getContext('2d').getImageData(Math.round(x * c.width), Math.round(y * c.height), 1, 1).data.slice(0, 3));
  }, [x, y]);
const light = ([r, g, b]) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

test('the dark scheme: a dark page and a dark plane, repainted when the scheme changes', async () => {
  const { page, close } = await load('index.html?fresh=1', { scheme: 'dark' });
  try {
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgba(0, 0, 0, 0)');
    assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor), 'rgb(18, 18, 24)');
    assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--real').trim()), '#40bf75');
    await page.waitForTimeout(300);
    assert.ok(light(await pixel(page, 0.3, 0.3)) < 70, `the plane is light: ${await pixel(page, 0.3, 0.3)}`);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.waitForFunction(() => getComputedStyle(document.documentElement).getPropertyValue('--real').trim() === '#1b7837');
    await page.waitForTimeout(300);
    assert.ok(light(await pixel(page, 0.3, 0.3)) > 200, `the plane stayed dark: ${await pixel(page, 0.3, 0.3)}`);
  } finally {
    await close();
  }
});
