// End-to-end: the diagnosis line under the readouts names a collapsing run and links to its lesson,
// and says nothing on the healthy defaults. The detectors themselves are tested on recorded traces
// (tests/diagnose.test.mjs); this checks the page feeds them and shows what they say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open } from './browser.mjs';

const iteration = (page) => page.evaluate(() => Number(document.getElementById('iteration').textContent));

test('a collapsing run is named mode collapse, with a link to the lesson; a new run clears it', async (t) => {
  const b = await open({ webgpu: false });
  try {
    // tests/record-trace.mjs's collapse trace: latent dimension 1 settles on 2–3 of the 8 modes by ~2,300 rounds.
    const { page, problems } = await b.page('index.html?backend=cpu&fresh=1#zdim=1');
    await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
    assert.equal(await page.textContent('#diagnosis'), '');
    await page.click('#play');
    await page.waitForFunction(() => document.getElementById('diagnosis').dataset.kind === 'mode-collapse', null, { timeout: 240_000 });
    await page.click('#play'); // pause
    t.diagnostic(`named at iteration ${await iteration(page)}`);
    const line = page.locator('#diagnosis');
    assert.match(await line.textContent(), /mode collapse/);
    assert.equal(await line.getAttribute('aria-live'), 'polite');
    const link = line.locator('a');
    assert.equal(await link.getAttribute('href'), '#lesson=mode-collapse');
    assert.match(await link.textContent(), /Why\?/);
    // The diagnosis line sits under the readouts.
    assert.ok(await page.evaluate(() => document.querySelector('.readouts dl').compareDocumentPosition(document.getElementById('diagnosis')) & Node.DOCUMENT_POSITION_FOLLOWING));
    await page.click('#reset');
    await page.waitForFunction(() => document.getElementById('iteration').textContent === '0');
    assert.equal(await page.textContent('#diagnosis'), '', 'a new run still shows the old diagnosis');
    assert.deepEqual(problems, []);
  } finally {
    await b.close();
  }
});

test('the healthy defaults get no diagnosis', async (t) => {
  const b = await open({ webgpu: false });
  try {
    const { page, problems } = await b.page('index.html?backend=cpu&fresh=1');
    await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
    await page.click('#play');
    // Past the start's swings and long enough for every detector to judge (the oscillation and
    // no-progress windows need 1,000–1,500 rounds).
    await page.waitForFunction(() => Number(document.getElementById('iteration').textContent) >= 3000, null, { timeout: 240_000 });
    await page.click('#play');
    t.diagnostic(`paused at iteration ${await iteration(page)}`);
    assert.equal(await page.textContent('#diagnosis'), '');
    assert.equal(await page.evaluate(() => document.getElementById('diagnosis').dataset.kind), '');
    assert.deepEqual(problems, []);
  } finally {
    await b.close();
  }
});

test('a divergence is named on the diagnosis line too, and a new run clears it', async () => {
  const b = await open({ webgpu: false });
  try {
    // Plain SGD at rate 10 blows up within ten rounds.
    const { page, problems } = await b.page('index.html?backend=cpu&fresh=1#gOpt=sgd&dOpt=sgd&gLr=10&dLr=10');
    await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 60_000 });
    await page.click('#play');
    await page.waitForFunction(() => document.body.dataset.diverged !== undefined, null, { timeout: 60_000 });
    await page.waitForFunction(() => document.getElementById('diagnosis').dataset.kind === 'divergence');
    assert.match(await page.textContent('#diagnosis'), /blew up/);
    assert.equal(await page.getAttribute('#diagnosis a', 'href'), '#lesson=learning-rates');
    await page.click('#reset');
    await page.waitForFunction(() => document.getElementById('iteration').textContent === '0');
    await page.waitForFunction(() => document.getElementById('diagnosis').textContent === '', null, { timeout: 5_000 });
    assert.deepEqual(problems, []);
  } finally {
    await b.close();
  }
});
