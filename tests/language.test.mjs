// Languages on the page: the picker, the choice in the address and remembered, the browser's
// language, and a Chinese page with no English left in what a person reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open } from './browser.mjs';

// Words that stay as they are in the Chinese page: names (of data sources and packages too), units, keys, and the
// letters of formulas.
const KEEP = new Set(`gan gans ganplay webgpu cpu gpu webassembly wasm swiftshader adam sgd rmsprop relu tanh elu leaky
wgan mlp ema ttur csv png json svg url mnist fashion emoji js kl fid mb kb ms fps esc tab shift enter space ctrl alt
max min log exp sqrt sin cos mean std var lipschitz wasserstein minimax hinge softplus sigmoid logit lr kd kg mse bce
ring grid spiral moons circles gaussian points relu leaky_relu nan inf fp16 f16 f32 iconify noto twemoji fluent
openmoji ganspace emojione mit apache cc github netlify
npm debian zalando microsoft flat dataset`.split(/\s+/).filter(Boolean));

/** The words of 3+ Latin letters in what the page shows (text and the attributes a screen reader reads), not in KEEP. */
function english(page) {
  return page.evaluate((keep) => {
    const seen = new Set(keep);
    const out = new Map();
    const visible = (el) => el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const add = (text, where) => {
      for (const w of text.match(/[A-Za-z][A-Za-z’']{2,}/g) ?? []) {
        if (!seen.has(w.toLowerCase()) && !out.has(w)) out.set(w, `${where}: ${text.trim().slice(0, 60)}`);
      }
    };
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const el = n.parentElement;
      // Help tips count while hidden: each opens on its own.
      if (el.closest('script, style, kbd, code, [translate=no]') || !(visible(el) || el.closest('.tip'))) continue;
      add(n.textContent, el.id || el.tagName.toLowerCase());
    }
    for (const el of document.querySelectorAll('[title], [aria-label], [placeholder], [alt]')) {
      if (el.closest('[translate=no]')) continue;
      for (const a of ['title', 'aria-label', 'placeholder', 'alt']) if (el.hasAttribute(a)) add(el.getAttribute(a), `${el.id || el.tagName.toLowerCase()}[${a}]`);
    }
    add(document.title, 'title');
    return [...out.entries()].map(([w, where]) => `${w} (${where})`);
  }, [...KEEP]);
}

let env;
test.before(async () => { env = await open({ webgpu: false }); });
test.after(() => env?.close());

test('the pages hold no text of their own: every text comes from the table', async () => {
  const context = await env.browser.newContext({ javaScriptEnabled: false });
  try {
    for (const path of ['index.html', 'gallery.html']) {
      const page = await context.newPage();
      await page.goto(`${env.url}${path}`);
      const stray = await page.evaluate(() => {
        const out = [];
        const walk = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
          const el = n.parentElement;
          if (/[A-Za-z]{2,}/.test(n.textContent) && !el.closest('script, style, [data-i18n], [data-i18n-html], [translate=no]')) out.push(`${el.tagName.toLowerCase()}#${el.id}: ${n.textContent.trim().slice(0, 50)}`);
        }
        for (const el of document.querySelectorAll('[title], [aria-label], [placeholder], [alt]')) {
          for (const a of ['title', 'aria-label', 'placeholder', 'alt']) {
            if (el.hasAttribute(a) && !(el.dataset.i18nAttr ?? '').includes(`${a}=`)) out.push(`${el.tagName.toLowerCase()}#${el.id}[${a}]`);
          }
        }
        return out;
      });
      assert.deepEqual(stray, [], `${path}: text not from the table`);
    }
  } finally {
    await context.close();
  }
});

test('the Chinese playground shows no English, in its panels too', async () => {
  const { page, problems } = await env.page('index.html?lang=zh-CN&backend=cpu');
  await page.waitForFunction(() => document.body.dataset.backend, null, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  await page.click('#step');
  await page.waitForFunction(() => Number(document.getElementById('iteration').textContent) >= 1);
  const found = [...await english(page)];
  // The panels a visit opens: the introduction, the help tips, the lesson list, a lesson, the explanation.
  await page.click('#about');
  found.push(...await english(page));
  assert.ok(await page.locator('.tip').count() > 20, 'the help tips are on the page');
  await page.click('#lessons-open');
  found.push(...await english(page));
  await page.keyboard.press('Escape');
  // Each in a page of its own: a navigation would cut short the last page's loads (its icon, say).
  const lesson = await env.page('index.html?lang=zh-CN&backend=cpu#lesson=mode-collapse');
  await lesson.page.waitForFunction(() => document.body.dataset.lesson === 'mode-collapse', null, { timeout: 60_000 });
  await lesson.page.waitForLoadState('load');
  found.push(...await english(lesson.page));
  await lesson.page.close();
  await page.click('#explain');
  await page.waitForSelector('#explain-panel:not([hidden])', { timeout: 60_000 });
  // Every phase, in both wordings.
  for (const wording of ['#wording-school', '#wording-university']) {
    await page.check(wording);
    for (let k = 0; k < 12 && await page.isEnabled('#explain-next'); k++) {
      found.push(...await english(page));
      const before = await page.textContent('#explain-text');
      await page.click('#explain-next');
      await page.waitForFunction((b) => document.getElementById('explain-text').textContent !== b, before, { timeout: 60_000 }).catch(() => {});
    }
    found.push(...await english(page));
  }
  assert.deepEqual([...new Set(found)], [], 'English words on the Chinese page');
  assert.deepEqual([...problems, ...lesson.problems], []);
});

test('the Chinese gallery shows no English', async () => {
  const { page, problems } = await env.page('gallery.html?lang=zh-CN');
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 90_000 });
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.deepEqual(await english(page), [], 'English words on the Chinese gallery');
  assert.deepEqual(problems, []);
});

test('the picker switches language, keeps the run and the address, and is remembered', async () => {
  const context = await env.browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${env.url}index.html?backend=cpu`);
    await page.waitForFunction(() => document.body.dataset.backend, null, { timeout: 60_000 });
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    for (let i = 0; i < 3; i++) {
      await page.click('#step');
      await page.waitForFunction((k) => Number(document.getElementById('iteration').textContent) > k, i);
    }
    const hash = await page.evaluate(() => location.hash);
    await Promise.all([page.waitForURL(/lang=zh-CN/), page.selectOption('#lang', 'zh-CN')]);
    await page.waitForFunction(() => document.body.dataset.backend, null, { timeout: 60_000 });
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.match(page.url(), /backend=cpu/, 'the other parameters stay');
    assert.equal(await page.evaluate(() => location.hash), hash, 'the run in the address stays');
    await page.waitForFunction(() => Number(document.getElementById('iteration').textContent) >= 3, null, { timeout: 60_000 });
    // Remembered: the plain address opens in Chinese, on the gallery too.
    await page.goto(`${env.url}gallery.html`);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.equal(await page.inputValue('#lang'), 'zh-CN');
  } finally {
    await context.close();
  }
});

test('a browser set to Chinese opens the Chinese page; the address overrides it', async () => {
  const context = await env.browser.newContext({ locale: 'zh-TW' });
  try {
    const page = await context.newPage();
    await page.goto(`${env.url}gallery.html`);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    await page.goto(`${env.url}gallery.html?lang=en`);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  } finally {
    await context.close();
  }
});
