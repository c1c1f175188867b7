// End-to-end: the layout at a phone (390×844, touch), a tablet (768×1024) and a laptop (1366×768).
// On each the picture and its main button are in the first screen and nothing is wider than the
// screen, on both pages; on the phone every control is at least 44×44 to tap, the settings fold
// below the picture, the draw tools sit under the plane, and the lesson and explanation panels
// leave the plane in view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { open, loadAt, SIZES } from './browser.mjs';

const TARGET = 44;

let env;
before(async () => {
  env = await open({ webgpu: false });
});
after(() => env?.close());

const load = (path, size) => loadAt(env, path, { size });

/** Where `selectors` lie on the first screen (before any scrolling): { selector: { top, bottom, inside } }. */
const firstScreen = (page, selectors) =>
  page.evaluate((sels) => {
    const out = { scrollWidth: document.scrollingElement.scrollWidth, innerWidth, innerHeight };
    for (const s of sels) {
      const r = document.querySelector(s).getBoundingClientRect();
      out[s] = { top: Math.round(r.top + scrollY), bottom: Math.round(r.bottom + scrollY), inside: r.width > 0 && r.left >= 0 && r.right <= innerWidth && r.top + scrollY >= 0 && r.bottom + scrollY <= innerHeight };
    }
    return out;
  }, selectors);

for (const [path, parts] of [['index.html?fresh=1', ['#plane', '#play', '#explain']], ['gallery.html', ['#grid', '#resample']]]) {
  for (const size of Object.keys(SIZES)) {
    test(`${path} at ${size}: ${parts.join(', ')} in the first screen, nothing wider than the screen`, async (t) => {
      const { page, problems, close } = await load(path, size);
      try {
        const at = await firstScreen(page, parts);
        t.diagnostic(JSON.stringify(at));
        for (const s of parts) assert.ok(at[s].inside, `${s} is not all in the first screen: ${JSON.stringify(at[s])}`);
        assert.ok(at.scrollWidth <= at.innerWidth, `the page is ${at.scrollWidth} px wide on a ${at.innerWidth} px screen`);
        assert.deepEqual(problems, []);
      } finally {
        await close();
      }
    });
  }
}

/**
 * Every visible control smaller than 44×44 to tap: [description]. A checkbox or radio counts with
 * its label (tapping either works); a "?" help button, a fold button and the rest by their own box.
 */
const smallTargets = (page) =>
  page.evaluate((min) => {
    const seen = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden' && !el.closest('.sr-only');
    const small = [];
    const box = (el) => el.getBoundingClientRect();
    for (const el of document.querySelectorAll('button, label.button, select, input, summary, .thumb')) {
      if (!seen(el) || el.type === 'hidden' || el.closest('[hidden]')) continue;
      let r = box(el);
      if (el.type === 'checkbox' || el.type === 'radio') {
        const label = el.labels?.[0];
        if (label && seen(label)) {
          const l = box(label);
          r = { width: Math.max(r.right, l.right) - Math.min(r.left, l.left), height: Math.max(r.bottom, l.bottom) - Math.min(r.top, l.top) };
        }
      }
      if (el.type === 'range') r = { width: r.width, height: r.height };
      if (r.width < min - 0.5 || r.height < min - 0.5) small.push(`${el.tagName.toLowerCase()}#${el.id || el.className || el.type} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return small;
  }, TARGET);

/** Opens every folded section (each fold button once). */
const unfoldAll = (page) => page.evaluate(() => { for (const b of document.querySelectorAll('.fold[aria-expanded=false]')) b.click(); });

test('phone: every control of the playground is at least 44×44 to tap, the settings folded until opened', async () => {
  const { page, problems, close } = await load('index.html?fresh=1', 'phone');
  try {
    const folded = await page.$$eval('.controls > fieldset.folded', (f) => f.length);
    assert.ok(folded >= 5, `only ${folded} settings sections start folded`);
    assert.ok(await page.isVisible('#thumbs'), 'the Data section starts open');
    assert.ok(await page.isHidden('#group-train'), 'the Training section starts folded');
    // The whole legend opens its section.
    await page.click('.controls > fieldset.folded legend');
    assert.equal(await page.$$eval('.controls > fieldset.folded', (f) => f.length), folded - 1);
    await unfoldAll(page);
    await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
    assert.deepEqual(await smallTargets(page), []);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('phone: every control of the gallery is at least 44×44 to tap', async () => {
  const { page, problems, close } = await load('gallery.html', 'phone');
  try {
    await unfoldAll(page);
    assert.deepEqual(await smallTargets(page), []);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('on a wide screen nothing folds', async () => {
  const { page, close } = await load('index.html?fresh=1', 'laptop');
  try {
    assert.equal(await page.$$eval('fieldset.folded', (f) => f.length), 0);
    assert.ok(await page.isHidden('.fold'));
    assert.ok(await page.isVisible('#group-train'));
  } finally {
    await close();
  }
});

test('phone: the draw tools sit just under the plane', async () => {
  const { page, close } = await load('index.html?fresh=1', 'phone');
  try {
    await page.click('.thumb[data-dataset=points]');
    await page.waitForSelector('#draw-tools:not([hidden])');
    const [plane, tools] = await Promise.all(['#plane', '#draw-tools'].map((s) => page.$eval(s, (e) => e.getBoundingClientRect().toJSON())));
    assert.ok(tools.top >= plane.bottom - 1 && tools.top - plane.bottom < 40, `the tools start ${Math.round(tools.top - plane.bottom)} px under the plane`);
  } finally {
    await close();
  }
});

test('phone: the lesson panel leaves the plane in view above it', async () => {
  const { page, close } = await load('index.html?fresh=1#lesson=game', 'phone');
  try {
    await page.waitForFunction(() => document.body.dataset.lessonStep === '1', null, { timeout: 90_000 });
    await page.evaluate(() => document.getElementById('plane').scrollIntoView({ block: 'start' }));
    const [plane, panel] = await Promise.all(['#plane', '#lesson-panel'].map((s) => page.$eval(s, (e) => e.getBoundingClientRect().toJSON())));
    const innerHeight = await page.evaluate(() => innerHeight);
    // However long a step, the panel never grows into the plane's height.
    const most = await page.$eval('#lesson-panel', (e) => parseFloat(getComputedStyle(e).maxHeight));
    assert.ok(most <= innerHeight - plane.height, `the panel may grow to ${most} px, over the ${Math.round(innerHeight - plane.height)} px the plane leaves`);
    assert.ok(panel.top >= plane.bottom - 1, `the panel (top ${Math.round(panel.top)}) covers the plane (bottom ${Math.round(plane.bottom)})`);
    assert.ok(panel.bottom <= innerHeight && panel.height >= 150, `the panel is ${Math.round(panel.height)} px high, ending at ${Math.round(panel.bottom)}`);
    assert.ok(await page.isVisible('#lesson-next'));
  } finally {
    await close();
  }
});

test('phone: the explanation panel fits under the plane, its buttons on the screen', async () => {
  const { page, close } = await load('index.html?fresh=1', 'phone');
  try {
    await page.click('#explain');
    await page.waitForFunction(() => document.body.dataset.explainPhase === '1');
    for (const wording of ['school', 'university']) {
      await page.evaluate((w) => document.getElementById(`wording-${w}`).click(), wording); // a tap, which does not scroll
      for (let phase = 1; phase <= 8; phase++) {
        await page.evaluate((k) => document.querySelectorAll('#explain-phases li')[k - 1].click(), phase);
        const seen = await page.evaluate(() =>
          Object.fromEntries(['plane', 'explain-title', 'explain-text', 'explain-next'].map((id) => {
            const r = document.getElementById(id).getBoundingClientRect();
            return [id, r.top >= -1 && r.bottom <= innerHeight + 1 && r.right <= innerWidth];
          })),
        );
        assert.deepEqual(Object.keys(seen).filter((k) => !seen[k]), [], `${wording}, phase ${phase}: off the screen`);
      }
    }
  } finally {
    await close();
  }
});
