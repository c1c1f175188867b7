// End-to-end: the page explains itself. The introduction on a first visit (and not once dismissed),
// help for every control of the property table and every readout (by focus, hover and tap), a
// rejected value shown next to its field, and gradient arrows at their true length.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WWW } from './browser.mjs';
import { session } from './session.mjs';
import { PROPS, READOUTS, PAGE_HELP, fieldOf } from '../www/js/state.js';

const load = session();

async function ready(hash = '', setup = undefined) {
  const r = await load(`index.html?backend=cpu${hash}`, setup);
  await r.page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
  return r;
}

const visible = (page, selector) => page.isVisible(selector);

/** Whether two elements' boxes overlap. */
async function overlap(page, a, b) {
  const [ra, rb] = [await page.locator(a).boundingBox(), await page.locator(b).boundingBox()];
  return ra.x < rb.x + rb.width && rb.x < ra.x + ra.width && ra.y < rb.y + rb.height && rb.y < ra.y + ra.height;
}

test('the property table gives every property its help; every readout of the page has help; engine errors name their field', () => {
  for (const p of PROPS) assert.ok(typeof p.help === 'string' && p.help.length >= 20, `${p.key} has no help text`);
  for (const [id, r] of Object.entries({ ...READOUTS, ...PAGE_HELP })) assert.ok(r.help.length >= 20 && r.label, `${id} has no help text`);
  const html = readFileSync(join(WWW, 'index.html'), 'utf8');
  const readouts = [...html.matchAll(/<dd[^>]* id="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(readouts.length >= 9, `only ${readouts.length} readouts found in index.html`);
  for (const id of readouts) assert.ok(READOUTS[id], `the readout #${id} has no entry in READOUTS`);
  assert.match(READOUTS.js.help, /0 = the two distributions are the same, 1 = nothing in common/);
  assert.equal(fieldOf('batch_size must be in 1–4096, got 5000 — the previous settings stay.'), 'batch');
  assert.equal(fieldOf('optim_g.beta1 must be in [0, 0.999], got 2'), 'gBeta1');
  assert.equal(fieldOf('generator.width changes the model itself: that needs a new run'), 'gWidth');
  assert.equal(fieldOf('optim_d.lr must be in [1e-6, 10], got 40', { ttur: true }), 'gLr', 'under two time-scale D’s rate is G’s');
  assert.equal(fieldOf('optim_d.lr must be in [1e-6, 10], got 40', { ttur: false }), 'dLr');
  assert.equal(fieldOf('invalid config: expected value at line 1'), null);
});

test('the introduction shows on a first visit, labels the picture, covers no control, and stays away once dismissed for good', async () => {
  const { page, problems } = await ready();
  assert.ok(await visible(page, '#intro'), 'no introduction on a first visit');
  assert.equal(await page.getAttribute('#about', 'aria-expanded'), 'true');
  assert.match(await page.textContent('#intro'), /generator, G,.*discriminator, D,/s);
  // The picture is labelled where its parts are.
  await page.waitForSelector('#callout-real b', { state: 'visible' });
  for (const id of ['#callout-real b', '#callout-fake b', '#callout-bg b']) {
    assert.ok(await visible(page, id), `${id} is not shown`);
    const box = await page.locator(id).boundingBox();
    const plane = await page.locator('#plane').boundingBox();
    assert.ok(box.x >= plane.x && box.x <= plane.x + plane.width && box.y >= plane.y && box.y <= plane.y + plane.height, `${id} is not on the picture`);
  }
  for (const other of ['.controls', '#plane', '#play']) assert.ok(!(await overlap(page, '#intro', other)), `the introduction covers ${other}`);
  await page.click('#play'); // not blocked
  await page.click('#play');
  // Closed for now: back on the next visit.
  await page.click('#intro-close');
  assert.ok(!(await visible(page, '#intro')));
  assert.ok(!(await visible(page, '#callouts')), 'the labels stay on the picture after the introduction closed');
  await page.reload();
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
  assert.ok(await visible(page, '#intro'), 'closing once dismissed it for good');
  // Dismissed for good: not on the next visit, but "What is this?" opens it.
  await page.click('#intro-dismiss');
  await page.reload();
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
  assert.ok(!(await visible(page, '#intro')), 'the introduction came back after “Don’t show this again”');
  assert.equal(await page.getAttribute('#about', 'aria-expanded'), 'false');
  await page.click('#about');
  assert.ok(await visible(page, '#intro'));
  // The lesson runner answers the link (and may rewrite it): record the change itself.
  await page.evaluate(() => {
    window.hashes = [];
    window.addEventListener('hashchange', (e) => window.hashes.push(new URL(e.newURL).hash));
  });
  await page.click('#intro-lesson');
  await page.waitForFunction(() => window.hashes.length > 0);
  assert.equal(await page.evaluate(() => window.hashes[0]), '#lesson=game');
  assert.ok(!(await visible(page, '#intro')));
  assert.deepEqual(problems, []);
});

test('the introduction is not shown in embed mode, nor when a lesson link opens the page', async () => {
  for (const hash of ['#embed=1', '#lesson=game']) {
    const { page } = await ready(hash);
    assert.ok(!(await visible(page, '#intro')), `the introduction shows for ${hash}`);
    assert.ok(!(await visible(page, '#callouts')));
  }
});

/** Focuses a "?" button and returns whether its tip shows `text`, with the button's aria-expanded. */
async function focusShows(page, button, tipId, text) {
  await page.focus(button);
  const tip = page.locator(`#${tipId}`);
  const shown = await tip.isVisible();
  const said = shown ? await tip.textContent() : '';
  const expanded = await page.getAttribute(button, 'aria-expanded');
  const describedBy = await page.getAttribute(button, 'aria-describedby');
  await page.evaluate(() => document.activeElement.blur());
  return { shown, has: said.includes(text), expanded, describedBy, hidAfter: !(await tip.isVisible()) };
}

test('every control of the property table has its help, which focus, hover and a tap reveal and the control announces', async () => {
  const { page, problems } = await ready();
  let walked = 0;
  for (const p of PROPS) {
    const onPage = p.widget === 'thumbs' ? await page.$('#thumbs') : await page.$(`#p-${p.key}`);
    const placed = await page.$(`#group-${p.group}`);
    if (!placed) {
      assert.equal(onPage, null, `${p.key} has a control but its group has no place`);
      continue;
    }
    assert.ok(onPage, `${p.key} has no control on the page`);
    walked++;
    const button = p.widget === 'thumbs' ? 'fieldset[data-prop=dataset] > legend button.help' : `[data-prop=${p.key}] button.help`;
    const r = await focusShows(page, button, `help-${p.key}`, p.help);
    assert.ok(r.shown, `focus does not show ${p.key}'s help`);
    assert.ok(r.has, `${p.key}'s tip does not say its help text`);
    assert.equal(r.expanded, 'true', `${p.key}'s button does not say it is expanded`);
    assert.equal(r.describedBy, `help-${p.key}`);
    assert.ok(r.hidAfter, `${p.key}'s tip stays after focus left`);
    if (p.formula) assert.ok((await page.textContent(`#help-${p.key}`)).includes(p.formula.split('\n')[0]), `${p.key}'s formula is missing`);
    const describes = p.widget === 'thumbs' ? '#thumbs' : `#p-${p.key}`;
    assert.match((await page.getAttribute(describes, 'aria-describedby')) ?? '', new RegExp(`\\bhelp-${p.key}\\b`), `${p.key}'s control does not announce its help`);
  }
  assert.ok(walked >= 30, `only ${walked} controls walked`);
  // Hover shows it, leaving hides it; a tap (click) keeps it open until Escape.
  await page.hover('[data-prop=gLr] button.help');
  assert.ok(await visible(page, '#help-gLr'), 'hover does not show the help');
  await page.mouse.move(5, 5);
  assert.ok(!(await visible(page, '#help-gLr')), 'the help stays after the pointer left');
  await page.click('[data-prop=objective] button.help');
  await page.mouse.move(5, 5);
  await page.evaluate(() => document.activeElement.blur());
  assert.ok(await visible(page, '#help-objective'), 'a tap does not keep the help open');
  assert.equal(await page.getAttribute('[data-prop=objective] button.help', 'aria-expanded'), 'true');
  await page.keyboard.press('Escape');
  assert.ok(!(await visible(page, '#help-objective')), 'Escape does not close the help');
  // Every readout of the page, and the page's own controls.
  const ids = await page.$$eval('.readouts dd[id]:not([hidden])', (dds) => dds.map((d) => d.id));
  assert.ok(ids.length >= 9);
  for (const id of ids) {
    assert.ok(READOUTS[id], `#${id} has no entry in READOUTS`);
    const r = await focusShows(page, `dt:has(+ #${id}) button.help`, `help-${id}`, READOUTS[id].help);
    assert.ok(r.shown && r.has, `the readout ${id} does not show its help on focus`);
    assert.equal(await page.getAttribute(`#${id}`, 'aria-describedby'), `help-${id}`);
  }
  for (const [id, button] of [['run', 'fieldset.run > legend button.help'], ['backend', '[data-prop=backend] button.help']]) {
    const r = await focusShows(page, button, `help-${id}`, PAGE_HELP[id].help);
    assert.ok(r.shown && r.has, `${id} does not show its help on focus`);
  }
  assert.deepEqual(problems, []);
});

test('a rejected value is shown next to its field (aria-invalid) until a good one is entered', async () => {
  const { page, problems } = await ready();
  await page.fill('#p-gLr', '-3');
  await page.press('#p-gLr', 'Enter');
  await page.waitForSelector('#p-gLr[aria-invalid=true]', { state: 'attached' });
  assert.ok(await visible(page, '[data-prop=gLr] #error-gLr'), 'no message next to the field');
  assert.match(await page.textContent('#error-gLr'), /"-3" was not taken: Learning rate must be in .*; kept 0\.001/);
  assert.match(await page.getAttribute('#p-gLr', 'aria-describedby'), /\berror-gLr\b/);
  assert.match(await page.textContent('#message'), /Learning rate must be/, 'the message line no longer says it');
  assert.equal(await page.getAttribute('#p-zdim', 'aria-invalid'), null, 'another field is marked');
  // The value in force typed again is good too: the mark goes as it is typed.
  await page.fill('#p-gLr', '');
  assert.equal(await page.getAttribute('#p-gLr', 'aria-invalid'), 'true', 'an empty field cleared the mark');
  await page.type('#p-gLr', '0.001');
  await page.waitForFunction(() => !document.getElementById('p-gLr').hasAttribute('aria-invalid'), null, { timeout: 5_000 });
  await page.fill('#p-gLr', 'fast');
  await page.press('#p-gLr', 'Enter');
  await page.waitForSelector('#p-gLr[aria-invalid=true]', { state: 'attached' });
  assert.match(await page.textContent('#error-gLr'), /"fast" was not taken: Learning rate must be a number/);
  await page.fill('#p-gLr', '0.002');
  await page.press('#p-gLr', 'Enter');
  await page.waitForFunction(() => location.hash.includes('gLr=0.002'));
  assert.equal(await page.getAttribute('#p-gLr', 'aria-invalid'), null);
  assert.ok(!(await visible(page, '#error-gLr')), 'the message stays after a good value');
  assert.doesNotMatch(await page.getAttribute('#p-gLr', 'aria-describedby'), /error-gLr/);
  assert.deepEqual(problems, []);
});

test('a value the engine refuses is shown next to the field the engine names', async () => {
  // A page whose limits are wider than the engine's (a page out of step with its engine): the engine's own check speaks.
  const { page, problems } = await ready('', (p) =>
    p.route('**/js/limits.js', async (route) => {
      const res = await route.fetch();
      const text = (await res.text()).replace(/("batch_size": \{\s*"def": 256,\s*"max": )4096/, '$1100000');
      await route.fulfill({ response: res, body: text });
    }));
  await page.fill('#p-batch', '5000');
  await page.press('#p-batch', 'Enter');
  await page.waitForSelector('#p-batch[aria-invalid=true]', { state: 'attached', timeout: 30_000 });
  assert.match(await page.textContent('#error-batch'), /batch_size must be in 1–4096, got 5000.*kept 256/);
  assert.match(await page.textContent('#message'), /batch_size must be in/);
  await page.fill('#p-batch', '64');
  await page.press('#p-batch', 'Enter');
  await page.waitForFunction(() => location.hash.includes('batch=64&'));
  assert.equal(await page.getAttribute('#p-batch', 'aria-invalid'), null);
  assert.ok(!(await visible(page, '#error-batch')));
  assert.deepEqual(problems, []);
});

/** The drawn arrows' mean and longest length, in pixels of a 480-pixel plane. */
const arrowPx = (page) => page.evaluate(() => ({ mean: Number(document.body.dataset.arrowPx), max: Number(document.body.dataset.arrowMaxPx) }));

/** The drawn arrows after the next frame (a change of the pictures posts one). */
async function arrowPxAfter(page, act) {
  const before = await page.evaluate(() => document.body.dataset.arrowPx);
  await act();
  await page.waitForFunction((b) => document.body.dataset.arrowPx !== b, before, { timeout: 30_000 });
  return arrowPx(page);
}

/** D alone trains `n` updates (its loss changes with each), so D grows sure and G's gradient shrinks under minimax. */
async function trainD(page, n) {
  for (let i = 0; i < n; i++) {
    const before = await page.evaluate(() => document.getElementById('d-loss').title);
    await page.click('#step-d');
    await page.waitForFunction((b) => document.getElementById('d-loss').title !== b, before);
  }
}

test('true-scale arrows show a vanishing gradient; the default scale does not depend on the gradient’s size', async (t) => {
  const seen = {};
  for (const objective of ['minimax', 'non_saturating']) {
    // The same seed and the same D updates (both objectives train D the same way): only G's gradient differs.
    const { page, problems } = await ready(`#objective=${objective}&arrows=1&heatmap=0&dLr=0.01`);
    assert.ok(await page.isDisabled('#p-trueScale') === false);
    await trainD(page, 40);
    const scaled = await arrowPx(page);
    const trueLen = await arrowPxAfter(page, () => page.check('#p-trueScale'));
    assert.match(await page.evaluate(() => location.hash), /arrows=1&trueScale=1/);
    assert.match(await page.textContent('#legend-arrows'), /true length/);
    await page.uncheck('#p-arrows');
    assert.ok(await page.isDisabled('#p-trueScale'), 'the option is not greyed out without arrows');
    seen[objective] = { scaled, trueLen };
    assert.deepEqual(problems, []);
  }
  t.diagnostic(JSON.stringify(seen));
  const { minimax: mm, non_saturating: ns } = seen;
  // Minimax against a sure D: G's gradient all but vanishes, and so do its true-length arrows.
  assert.ok(mm.trueLen.mean < ns.trueLen.mean / 10, `minimax's true-length arrows (${mm.trueLen.mean} px) are not much shorter than non-saturating's (${ns.trueLen.mean} px)`);
  assert.ok(ns.trueLen.mean > 1, 'non-saturating draws no true-length arrows');
  // The default: the longest arrow is the same length whatever the gradient's size.
  for (const s of [mm.scaled, ns.scaled]) assert.ok(Math.abs(s.max - 0.08 * 480) < 0.5, `the longest default arrow is ${s.max} px`);
  assert.ok(mm.scaled.mean > 1, 'the default draws minimax’s arrows too short to see');
});
