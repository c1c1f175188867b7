// Sessions: every playground tab autosaves its own session, a reload continues that tab's own
// work, closed tabs' sessions are listed under "Recent sessions", and the old single autosave
// record of version 1 is kept. Tabs here share one browser context (one origin's storage), as the
// tabs of one browser window do. CPU backend, headless Chromium.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { open } from './browser.mjs';
import { iteration, stepTo } from './session.mjs';

let env;
let contexts = [];
before(async () => {
  env = await open({ webgpu: false });
});
after(() => env?.close());
afterEach(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => {})));
  contexts = [];
});

/** A new browser context: its pages share storage, like the tabs of one browser. */
async function browserContext() {
  const ctx = await env.browser.newContext();
  contexts.push(ctx);
  return ctx;
}

/** A new tab of `ctx` at `path` (relative to www/), ready to train; `setup(page)` runs first. */
async function tab(ctx, path = 'index.html?backend=cpu', setup) {
  const page = await ctx.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && page.problems.push(`console: ${m.text()}`));
  if (setup) await setup(page);
  await page.goto(env.url + path);
  await ready(page);
  return page;
}

const ready = (page) => page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });

/** Waits for the autosave to hold iteration `n`. */
const savedAt = (page, n) =>
  page.waitForFunction((k) => document.getElementById('saved').textContent.includes(`(iteration ${k})`), n, { timeout: 20_000 });

/** Plays until at least `n` iterations, pauses, and waits for the autosave of where it stopped; resolves to that iteration. */
async function trainTo(page, n) {
  await page.click('#play');
  await page.waitForFunction((k) => Number(document.getElementById('iteration').textContent) >= k, n, { timeout: 60_000 });
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('play').textContent === 'Play');
  await page.waitForTimeout(300); // the last frame after the pause
  const at = await iteration(page);
  await savedAt(page, at);
  return at;
}

const sessionId = (page) => page.evaluate(() => sessionStorage.getItem('ganplay-session'));

test('two tabs keep their own sessions: A trains, B trains (another link, then the same one), a reload of A brings back A’s run', async () => {
  const ctx = await browserContext();
  const a = await tab(ctx);
  const aAt = await trainTo(a, 120);
  const aHash = await a.evaluate(() => location.hash);
  // B: another link, trained briefly.
  const b = await tab(ctx, 'index.html?backend=cpu#dataset=grid&seed=3');
  await stepTo(b, 3);
  await savedAt(b, 3);
  assert.notEqual(await sessionId(a), await sessionId(b));
  await a.reload();
  await a.waitForSelector('body[data-restored=true]', { state: 'attached', timeout: 60_000 });
  await a.waitForFunction((k) => document.getElementById('iteration').textContent === String(k), aAt, { timeout: 10_000 });
  assert.match(await a.textContent('#message'), /Restored your session/);
  assert.equal(await a.evaluate(() => location.hash), aHash);
  // B': the same settings as A, trained briefly: A still comes back as A.
  const c = await tab(ctx, `index.html?backend=cpu${aHash}`);
  assert.equal(await iteration(c), 0, 'a new tab with A’s link started from A’s session');
  await stepTo(c, 3);
  await savedAt(c, 3);
  await a.reload();
  await a.waitForSelector('body[data-restored=true]', { state: 'attached', timeout: 60_000 });
  await a.waitForFunction((k) => document.getElementById('iteration').textContent === String(k), aAt, { timeout: 10_000 });
  // And each other tab's reload brings back its own.
  await b.reload();
  await b.waitForSelector('body[data-restored=true]', { state: 'attached', timeout: 60_000 });
  await b.waitForFunction(() => document.getElementById('iteration').textContent === '3', null, { timeout: 10_000 });
  assert.equal(await b.getAttribute('[data-dataset=grid]', 'aria-checked'), 'true');
  for (const p of [a, b, c]) assert.deepEqual(p.problems, []);
});

test('a closed tab’s session is listed under Recent sessions; Restore continues it here and lists this tab’s own work instead', async () => {
  const ctx = await browserContext();
  const a = await tab(ctx);
  const aAt = await trainTo(a, 5);
  const b = await tab(ctx, 'index.html?backend=cpu#dataset=grid&objective=hinge');
  await stepTo(b, 3);
  await savedAt(b, 3);
  assert.ok(await a.isHidden('#recent'), 'an open tab’s session is listed as closed');
  await b.close();
  const row = a.locator('#recent-list li', { hasText: 'Iteration 3 · grid · hinge' });
  await row.waitFor({ timeout: 10_000 });
  assert.match(await a.textContent('#recent-note'), /newest 10 are kept/);
  await row.locator('button', { hasText: 'Restore' }).click();
  await a.waitForFunction(() => document.getElementById('iteration').textContent === '3', null, { timeout: 20_000 });
  assert.equal(await a.getAttribute('[data-dataset=grid]', 'aria-checked'), 'true');
  assert.equal(await a.inputValue('#p-objective'), 'hinge');
  assert.match(await a.evaluate(() => location.hash), /dataset=grid/);
  // A's own work before the restore is now the closed one.
  await a.locator('#recent-list li', { hasText: `Iteration ${aAt} · ring` }).waitFor({ timeout: 10_000 });
  assert.equal(await a.locator('#recent-list li', { hasText: 'grid' }).count(), 0);
  // Delete removes it from the list and from storage.
  await a.locator('#recent-list li button', { hasText: 'Delete' }).click();
  await a.waitForFunction(() => document.body.dataset.recent === '0');
  assert.ok(await a.isHidden('#recent'));
  assert.deepEqual(a.problems, []);
});

test('a duplicated tab (it copies sessionStorage) takes a session of its own, starting from a copy of the original’s', async () => {
  const ctx = await browserContext();
  const a = await tab(ctx);
  const aAt = await trainTo(a, 5);
  const id = await sessionId(a);
  const hash = await a.evaluate(() => location.hash);
  // What "Duplicate tab" does: the same URL and a copy of the original's sessionStorage.
  const d = await tab(ctx, `index.html?backend=cpu${hash}`, (p) =>
    p.addInitScript((copied) => {
      if (!sessionStorage.getItem('ganplay-session')) sessionStorage.setItem('ganplay-session', copied);
    }, id),
  );
  await d.waitForFunction((k) => document.getElementById('iteration').textContent === String(k), aAt, { timeout: 10_000 });
  assert.match(await d.textContent('#message'), /copy of another tab/);
  assert.notEqual(await sessionId(d), id);
  assert.equal(await sessionId(a), id);
  await stepTo(d, aAt + 2);
  await savedAt(d, aAt + 2);
  await a.reload();
  await a.waitForSelector('body[data-restored=true]', { state: 'attached', timeout: 60_000 });
  await a.waitForFunction((k) => document.getElementById('iteration').textContent === String(k), aAt, { timeout: 10_000 });
  assert.equal(await sessionId(a), id, 'a reload keeps the tab’s id');
  await d.reload();
  await d.waitForSelector('body[data-restored=true]', { state: 'attached', timeout: 60_000 });
  await d.waitForFunction((k) => document.getElementById('iteration').textContent === String(k), aAt + 2, { timeout: 10_000 });
});

test('?fresh=1 starts from the link; the tab’s earlier session stays under Recent sessions', async () => {
  const ctx = await browserContext();
  const a = await tab(ctx);
  const aAt = await trainTo(a, 5);
  await a.goto(env.url + 'index.html?backend=cpu&fresh=1');
  await ready(a);
  assert.equal(await iteration(a), 0);
  await a.locator('#recent-list li', { hasText: `Iteration ${aAt} · ring` }).waitFor({ timeout: 10_000 });
});

test('the autosave of version 1 (one record for every tab) is kept: a new tab continues it', async () => {
  const ctx = await browserContext();
  const page = await ctx.newPage();
  // Any page of the origin will do to write the old database: the ring preset's file is a model file.
  await page.goto(env.url + 'models/ring.json');
  const savedAt = await page.evaluate(async () => {
    const model = await (await fetch('ring.json')).text();
    const db = await new Promise((ok, fail) => {
      const req = indexedDB.open('ganplay', 1);
      req.onupgradeneeded = () => req.result.createObjectStore('sessions');
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
    const at = Date.now() - 60_000;
    await new Promise((ok, fail) => {
      const tx = db.transaction('sessions', 'readwrite');
      tx.objectStore('sessions').put({ version: 1, hash: '#dataset=ring', points: null, model, charts: null, savedAt: at }, 'current');
      tx.oncomplete = ok;
      tx.onerror = () => fail(tx.error);
    });
    db.close();
    return at;
  });
  await page.goto(env.url + 'index.html?backend=cpu');
  await ready(page);
  await page.waitForSelector('body[data-restored=true]', { state: 'attached', timeout: 60_000 });
  await page.waitForFunction(() => document.getElementById('iteration').textContent === '6000', null, { timeout: 10_000 });
  assert.match(await page.textContent('#message'), /Restored your session/);
  // The old record moved into the new scheme: one session with an index row, nothing left under "current".
  const stores = await page.evaluate(async () => {
    const db = await new Promise((ok) => (indexedDB.open('ganplay').onsuccess = (e) => ok(e.target.result)));
    const all = (store) => new Promise((ok) => (db.transaction(store).objectStore(store).getAllKeys().onsuccess = (e) => ok(e.target.result)));
    const r = { version: db.version, sessions: await all('sessions'), index: await all('index') };
    db.close();
    return r;
  });
  assert.equal(stores.version, 2);
  assert.deepEqual(stores.sessions, [`s-before-${savedAt}`]);
  assert.deepEqual(stores.index, stores.sessions);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('ganplay-session')), `s-before-${savedAt}`);
});

test('Recent sessions keeps the newest 10 closed sessions and deletes the older ones', async () => {
  const ctx = await browserContext();
  const page = await tab(ctx);
  // Twelve closed sessions, a minute apart (only their index rows matter to the list).
  await page.evaluate(async () => {
    const db = await new Promise((ok) => (indexedDB.open('ganplay').onsuccess = (e) => ok(e.target.result)));
    await new Promise((ok) => {
      const tx = db.transaction(['sessions', 'index'], 'readwrite');
      for (let i = 1; i <= 12; i++) {
        const id = `s-test-${i}`;
        tx.objectStore('sessions').put({ version: 1, hash: '#', points: null, model: '{}', charts: null, savedAt: i * 60_000 }, id);
        tx.objectStore('index').put({ id, savedAt: i * 60_000, iteration: 100 * i, dataset: 'ring', objective: 'hinge', bytes: 2 }, id);
      }
      tx.oncomplete = ok;
    });
    db.close();
  });
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await page.waitForFunction(() => document.body.dataset.recent === '10');
  const rows = await page.locator('#recent-list li .what').allTextContents();
  assert.deepEqual(rows, Array.from({ length: 10 }, (_, i) => `Iteration ${(100 * (12 - i)).toLocaleString('en')} · ring · hinge`));
  const keys = await page.evaluate(async () => {
    const db = await new Promise((ok) => (indexedDB.open('ganplay').onsuccess = (e) => ok(e.target.result)));
    const keys = await new Promise((ok) => (db.transaction('sessions').objectStore('sessions').getAllKeys().onsuccess = (e) => ok(e.target.result)));
    db.close();
    return keys.filter((k) => k.startsWith('s-test-'));
  });
  assert.ok(!keys.includes('s-test-1') && !keys.includes('s-test-2'), `the oldest are still stored: ${keys}`);
  assert.equal(keys.length, 10);
});
