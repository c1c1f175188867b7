// Security: both pages carry a Content-Security-Policy that allows only same-origin scripts and
// WebAssembly compilation; nothing they do at run time asks another origin for anything; and what a
// user imports is shown as text, never run or parsed as HTML.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { open } from './browser.mjs';

let b;
before(async () => {
  b = await open({ webgpu: false });
});
after(() => b?.close());

/** Opens a page that records CSP violations, console CSP errors and every request to another origin. */
async function watched(path) {
  const seen = { violations: [], offOrigin: [] };
  const { page, problems } = await b.page(path, async (p) => {
    await p.addInitScript(() => {
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));
    });
    // Requests from the page and from its dedicated workers both come through here.
    p.on('request', (r) => {
      if (!r.url().startsWith(b.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) seen.offOrigin.push(r.url());
    });
    p.on('console', (m) => /Content.Security.Policy/i.test(m.text()) && seen.violations.push(m.text()));
  });
  seen.check = async () => {
    const inPage = await page.evaluate(() => window.cspViolations);
    assert.deepEqual([...seen.violations, ...inPage], [], 'CSP violations');
    assert.deepEqual(seen.offOrigin, [], 'requests to another origin');
    assert.deepEqual(problems, [], 'page errors');
  };
  return { page, seen };
}

/** The policy of the page's meta tag, as a map of directive → sources. */
async function policy(page) {
  const content = await page.getAttribute('meta[http-equiv=Content-Security-Policy]', 'content');
  return Object.fromEntries(content.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v]));
}

for (const path of ['index.html', 'gallery.html']) {
  test(`${path}: a strict CSP; no inline script or handler; no violation and no off-origin request while it runs`, async () => {
    const { page, seen } = await watched(`${path}?backend=cpu`);
    await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 90_000 });
    const csp = await policy(page);
    assert.deepEqual(csp['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
    assert.deepEqual(csp['default-src'], ["'self'"]);
    for (const sources of Object.values(csp)) {
      assert.ok(!sources.includes("'unsafe-eval'") && !sources.includes("'unsafe-inline'") && !sources.includes('*'), JSON.stringify(csp));
    }
    const inline = await page.evaluate(() => ({
      scripts: document.querySelectorAll('script:not([src])').length,
      handlers: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
    }));
    assert.deepEqual(inline, { scripts: 0, handlers: [] });
    if (path === 'index.html') {
      await page.click('#play');
      await page.waitForFunction(() => Number(document.getElementById('iteration').textContent) >= 20, null, { timeout: 30_000 });
      await page.click('#play');
    } else {
      await page.waitForFunction(() => Number(document.body.dataset.renders ?? 0) >= 1, null, { timeout: 60_000 });
    }
    await seen.check();
  });
}

test('the violation check can fail: an injected inline script is blocked and reported', async () => {
  const { page } = await watched('index.html?backend=cpu');
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
  const ran = await page.evaluate(async () => {
    window.inlineRan = false;
    const s = document.createElement('script');
    s.textContent = 'window.inlineRan = true';
    document.body.append(s);
    // (eval cannot be tried from here: DevTools' own evaluation is exempt from the page's policy.)
    await new Promise((r) => setTimeout(r, 100));
    return window.inlineRan;
  });
  assert.equal(ran, false);
  const reported = await page.evaluate(() => window.cspViolations);
  assert.ok(reported.some((v) => v.startsWith('script-src')), JSON.stringify(reported));
});

test('imported text is shown as text: HTML in a CSV or a model file is never inserted or run', async () => {
  const { page, seen } = await watched('index.html?backend=cpu');
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
  const payload = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script><b id=injected>b</b>';
  await page.click('.import summary');
  await page.fill('#csv-text', `1,2\n${payload},3`);
  await page.click('#csv-use');
  await page.waitForFunction(() => document.getElementById('message').textContent.includes('line 2'));
  assert.ok((await page.textContent('#message')).includes('<img src=x'), 'the message quotes the input as text');
  const model = JSON.stringify({ format: 'ganplay-2d', version: 1, config: payload });
  await page.setInputFiles('#import', { name: `${payload}.json`, mimeType: 'application/json', buffer: Buffer.from(model) });
  await page.waitForFunction(() => document.getElementById('message').textContent.includes('current model stays'));
  const after = await page.evaluate(() => ({ pwned: window.pwned ?? null, injected: !!document.getElementById('injected'), imgs: document.querySelectorAll('img[src=x]').length }));
  assert.deepEqual(after, { pwned: null, injected: false, imgs: 0 });
  await seen.check();
});
