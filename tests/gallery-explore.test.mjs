// End-to-end: exploring a shipped generator does what the page says (CPU backend). The class
// interpolation blends the class too, each slider moves A by a stated amount along a direction
// found from the generator, the columns name their classes and a downloaded grid is named after
// what it holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { session, afterRender } from './session.mjs';
import { gridCells, digitJudge } from './digit-judge.mjs';

const load = session();

async function gallery(hash) {
  const { page, problems } = await load(`gallery.html${hash}`);
  await page.waitForSelector('body[data-ready=true]', { state: 'attached', timeout: 90_000 });
  await page.waitForFunction(() => document.body.dataset.pending === 'false' && Number(document.body.dataset.renders ?? 0) > 0, null, { timeout: 60_000 });
  return { page, problems };
}

/** Clicks cell `k` of the grid (a click picks A, a second one B). */
async function clickCell(page, k) {
  const box = await page.locator('#grid').boundingBox();
  await page.mouse.click(box.x + ((k % 10) + 0.5) * (box.width / 10), box.y + (Math.floor(k / 10) + 0.5) * (box.height / 4));
}

test('interpolating from a 0 to a 9 blends the class: the nearest digit changes from 0 to 9 along the way', async () => {
  const { page, problems } = await gallery('#model=digits');
  // With all classes, column c holds digit c: each column's mean is that digit's prototype.
  const nearest = digitJudge(await gridCells(page, '#grid'));
  await afterRender(page, () => clickCell(page, 0));
  await afterRender(page, () => clickCell(page, 9));
  await afterRender(page, () => page.click('#interpolate'));
  const labels = (await gridCells(page, '#grid')).map(nearest);
  assert.equal(labels[0], 0, `the path does not start at a 0: ${labels}`);
  assert.equal(labels[39], 9, `the path does not end at a 9 (the class did not move): ${labels}`);
  const changes = labels.slice(1).filter((l, i) => l !== labels[i]).length;
  assert.ok(changes >= 1, `the nearest digit never changes: ${labels}`);
  assert.match(await page.textContent('#mode'), /from A \(0, top left\) to B \(9, bottom right\).*the class change together/);
  // A sample picked from the middle keeps its blend: A's name says so.
  const download = page.waitForEvent('download');
  await page.click('#download-grid');
  assert.equal((await download).suggestedFilename(), 'digits-interpolation-0-to-9-seed1.png');
  assert.deepEqual(problems, []);
});

test('every slider moves A along a direction of the generator, by the amount its help states', async () => {
  const { page, problems } = await gallery('#model=digits');
  await page.waitForSelector('#sliders[data-named=true]', { state: 'attached', timeout: 60_000 });
  await afterRender(page, () => clickCell(page, 3));
  const read = () =>
    page.evaluate(() => {
      const c = document.getElementById('pick-a');
      return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.filter((_, i) => i % 4 === 0));
    });
  await page.waitForFunction(() => document.getElementById('pick-a').width > 1);
  const base = await read();
  const sliders = await page.$$eval('#sliders label', (ls) => ls.map((l) => ({ change: Number(l.dataset.change), measure: l.dataset.measure, title: l.title, name: l.querySelector('.slider-name').textContent })));
  assert.equal(sliders.length, 5);
  for (const [k, s] of sliders.entries()) {
    // The help states the mean change of a pixel from −3 to 3; it is at least 2 %.
    assert.ok(s.change >= 0.02, `slider ${k + 1} barely changes the images (${s.change})`);
    assert.match(s.title, /a pixel changes by \d+ % on average/);
    await page.fill(`#slider-${k}`, '4');
    await page.dispatchEvent(`#slider-${k}`, 'input');
    await page.waitForFunction((b) => {
      const c = document.getElementById('pick-a');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let s = 0;
      for (let i = 0; i < d.length; i += 4) s += Math.abs(d[i] - b[i / 4]);
      return s / (d.length / 4) > 5;
    }, base, { timeout: 30_000 });
    await page.fill(`#slider-${k}`, '0');
    await page.dispatchEvent(`#slider-${k}`, 'input');
  }
  // Directions whose effect is clear carry its name.
  const named = sliders.filter((s) => s.measure);
  assert.ok(named.length >= 1, `no slider is named: ${JSON.stringify(sliders.map((s) => s.name))}`);
  for (const s of named) assert.doesNotMatch(s.name, /^Direction/);
  assert.deepEqual(problems, []);
});

test('with all classes each column is named after its class; one class has no headers; the file name says what the grid holds', async () => {
  const { page, problems } = await gallery('#model=fashion');
  const heads = await page.$$eval('#grid-heads span', (s) => s.map((x) => x.textContent));
  assert.ok(await page.isVisible('#grid-heads'));
  assert.deepEqual(heads, ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
  let download = page.waitForEvent('download');
  await page.click('#download-grid');
  assert.equal((await download).suggestedFilename(), 'fashion-samples-seed1-all-classes.png');
  await afterRender(page, () => page.selectOption('#class', '7'));
  assert.ok(await page.isHidden('#grid-heads'));
  download = page.waitForEvent('download');
  await page.click('#download-grid');
  assert.equal((await download).suggestedFilename(), 'fashion-samples-seed1-sneaker.png');
  assert.deepEqual(problems, []);
});
