// Security: both pages carry a Content-Security-Policy that allows only same-origin scripts and
// WebAssembly compilation; the server (and www/_headers, for hosts) sends the same policy as a
// header, which is what reaches the workers; in both workers another origin, blob: and data: are
// blocked; the gallery refuses model files from anywhere but its models folder; nothing the pages
// do at run time asks another origin for anything; and what a user imports is shown as text, never
// run or parsed as HTML.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { open, WWW } from './browser.mjs';
import { parseHeaders, headersFor } from './serve.mjs';

let b;
/** Another origin that answers everything (CORS allowed) and counts what it was asked. */
let other;
before(async () => {
  b = await open({ webgpu: false });
  const hits = [];
  const server = createServer((req, res) => {
    hits.push(req.url);
    res.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': req.url.endsWith('.js') ? 'text/javascript' : 'application/octet-stream' });
    res.end(req.url.endsWith('.js') ? 'export default 42;' : 'GANPLAY');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  other = { url: `http://127.0.0.1:${server.address().port}/`, hits, close: () => new Promise((ok) => server.close(ok)) };
});
after(async () => {
  await b?.close();
  await other?.close();
});

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

/** A policy's text as a map of directive → sources. */
const directives = (content) => Object.fromEntries(content.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v]));

/** The policy of the page's meta tag, as a map of directive → sources. */
async function policy(page) {
  return directives(await page.getAttribute('meta[http-equiv=Content-Security-Policy]', 'content'));
}

/** The meta tag's policy in an HTML file of www/. */
const metaPolicy = (file) => readFileSync(join(WWW, file), 'utf8').match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)[1];

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

test('www/_headers sends the pages\' policy on every response (workers, wasm, a 404 too), and the policy lets the workers compile wasm but start no blob: worker', async () => {
  const rules = parseHeaders(readFileSync(join(WWW, '_headers'), 'utf8'));
  const sent = headersFor(rules, '/js/workers/gallery.js')['content-security-policy'];
  for (const page of ['index.html', 'gallery.html']) assert.equal(sent, metaPolicy(page), `www/_headers and ${page} differ`);
  const csp = directives(sent);
  assert.ok(csp['script-src'].includes("'wasm-unsafe-eval'"), 'the workers compile wasm');
  assert.deepEqual(csp['worker-src'], ["'self'"], 'no blob: or data: workers');
  assert.deepEqual(csp['connect-src'], ["'self'"]);
  for (const path of ['', 'index.html', 'gallery.html', 'js/workers/gallery.js', 'js/workers/playground.js', 'pkg/sample/ganplay_bg.wasm', 'models/manifest.json', 'no-such-file']) {
    const res = await fetch(b.url + path);
    assert.equal(res.headers.get('content-security-policy'), sent, `${path || '/'} (HTTP ${res.status})`);
    await res.arrayBuffer();
  }
  assert.equal((await fetch(b.url + '_headers')).status, 404, 'the host\'s headers file is not served');
  // Nothing in the site makes a worker from anything but a script URL of its own.
  const js = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? js(join(dir, f)) : f.endsWith('.js') ? [join(dir, f)] : []));
  const makers = js(WWW).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/new (Shared)?Worker\(([^,)]*)/g)].map((m) => `${f.slice(WWW.length)}: ${m[0]}`));
  assert.deepEqual(makers, ['/js/protocol.js: new Worker(url'], 'worker constructors');
});

/**
 * Runs, inside `worker`, an off-origin fetch and module import, a blob: and a data: module import,
 * a blob: worker and a wasm compile; returns what ran and the policy violations the worker saw.
 */
const probe = (worker) =>
  worker.evaluate(async (elsewhere) => {
    const seen = [];
    const listen = (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`);
    self.addEventListener('securitypolicyviolation', listen);
    const ran = {};
    const attempt = async (name, f) => {
      try {
        ran[name] = await f();
      } catch {
        ran[name] = 'blocked';
      }
    };
    await attempt('fetch', () => fetch(`${elsewhere}x.gpk`).then((r) => `HTTP ${r.status}`));
    await attempt('import', () => import(`${elsewhere}x.js`).then((m) => `ran ${m.default}`));
    await attempt('blob import', () => import(URL.createObjectURL(new Blob(['export default 1'], { type: 'text/javascript' }))).then((m) => `ran ${m.default}`));
    await attempt('data import', () => import('data:text/javascript,export default 2').then((m) => `ran ${m.default}`));
    await attempt('blob worker', () => new Promise((ok) => {
      const w = new Worker(URL.createObjectURL(new Blob(['postMessage(3)'], { type: 'text/javascript' })));
      w.onmessage = () => ok('ran 3');
      w.onerror = () => ok('blocked');
      setTimeout(() => ok('blocked'), 2000);
    }));
    await attempt('wasm', () => WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => 'compiled'));
    await new Promise((r) => setTimeout(r, 100));
    self.removeEventListener('securitypolicyviolation', listen);
    return { ran, seen };
  }, other.url);

for (const [path, script] of [['index.html?backend=cpu', 'playground.js'], ['gallery.html', 'gallery.js']]) {
  test(`the ${script.replace('.js', '')} worker has the policy: another origin, blob: and data: are blocked; wasm compiles`, async () => {
    const before = other.hits.length;
    const { page } = await b.page(path);
    await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 90_000 });
    const worker = page.workers().find((w) => w.url().endsWith(`/js/workers/${script}`));
    assert.ok(worker, 'the worker');
    const { ran, seen } = await probe(worker);
    assert.deepEqual(ran, { fetch: 'blocked', import: 'blocked', 'blob import': 'blocked', 'data import': 'blocked', 'blob worker': 'blocked', wasm: 'compiled' });
    for (const directive of ['connect-src', 'script-src-elem', 'worker-src']) assert.ok(seen.some((v) => v.startsWith(directive)), `no ${directive} violation: ${JSON.stringify(seen)}`);
    assert.deepEqual(other.hits.slice(before), [], 'the other origin was asked');
  });
}

test('gallery: manifest entries naming files elsewhere are refused by name, in the page and in the worker; nothing is fetched from another origin', async () => {
  const manifest = JSON.parse(readFileSync(join(WWW, 'models/manifest.json'), 'utf8'));
  const good = manifest.models[0];
  const host = new URL(other.url).host;
  const forged = [
    ['off-origin', `${other.url}x.gpk`],
    ['scheme-relative', `//${host}/x.gpk`],
    ['parent', '../x.gpk'],
    ['escaped-parent', '%2e%2e/x.gpk'],
    ['backslash', '..\\x.gpk'],
    ['absolute', '/models/digits.gpk'],
    ['data', 'data:application/octet-stream;base64,R0FOUExBWQ==.gpk'],
  ];
  const models = [
    ...forged.map(([id, file]) => ({ ...good, id, label: `Forged ${id}`, file })),
    { ...good, id: 'bad-preview', label: 'Forged preview', preview: `${other.url}x.png` },
    good,
  ];
  const before = other.hits.length;
  const { page, problems } = await b.page('gallery.html', (p) =>
    p.route('**/models/manifest.json', (r) => r.fulfill({ contentType: 'application/json', body: JSON.stringify({ models }) })));
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 90_000 });
  await page.waitForFunction((id) => document.body.dataset.model === id, good.id);
  const refused = await page.$$eval('#models button.invalid', (bs) => bs.map((b) => ({ id: b.dataset.refused, disabled: b.disabled, text: b.textContent })));
  assert.deepEqual(refused.map((r) => r.id), [...forged.map(([id]) => id), 'bad-preview']);
  assert.ok(refused.every((r) => r.disabled && /can't be used: its (weight file|preview picture) is not in the models folder$/.test(r.text)), JSON.stringify(refused));
  const errors = await page.textContent('#errors');
  assert.match(errors, /"Forged off-origin" in the model list can't be used: "file": "http:\/\/127\.0\.0\.1:\d+\/x\.gpk" is not a plain file name in the models folder/);
  // The worker does not trust the page: a LOAD of a forged entry sent to it straight is refused too.
  const worker = page.workers().find((w) => new URL(w.url()).pathname.endsWith('/js/workers/gallery.js'));
  const replies = await worker.evaluate(async (entries) => {
    const out = [];
    const post = self.postMessage;
    self.postMessage = (m, t) => (m.id >= 1e6 ? out.push(m) : post.call(self, m, t));
    entries.forEach((entry, i) => self.dispatchEvent(new MessageEvent('message', { data: { id: 1e6 + i, kind: 'load', entry, base: 'http://elsewhere.invalid/' } })));
    while (out.length < entries.length) await new Promise((r) => setTimeout(r, 20));
    self.postMessage = post;
    return out.map((m) => (m.ok ? 'loaded' : m.error));
  }, models.slice(0, -1));
  assert.equal(replies.length, forged.length + 1);
  for (const r of replies) assert.match(r, /^the model list entry is refused: "(file|preview)": .* (is not a plain file name in the models folder|must end in)/);
  assert.deepEqual(other.hits.slice(before), [], 'the other origin was asked');
  assert.deepEqual(problems, []);
});
