import { launch, newPage, read, sleep } from './h.tmp.mjs';
const log = [];
const { browser, ctx } = await launch();
const page = await newPage(ctx, 'http://127.0.0.1:8090/index.html?backend=cpu&fresh=1', log);
await sleep(1500);
for (const ds of ['ring','grid','spiral','moons','circles','disjoint','line','gaussian']) {
  await page.click(`[data-dataset="${ds}"]`); await sleep(400);
  await page.click('#step'); await sleep(400);
  const r = await read(page);
  console.log(ds, JSON.stringify({ it: r.it, modes: r.modes, q: r.q, js: r.js, msg: r.msg }), await page.$eval(`[data-dataset="${ds}"]`, e=>e.getAttribute('aria-checked')));
  await page.locator('#plane').screenshot({ path: `/tmp/shots/ds-${ds}.png` });
}
await page.locator('#thumbs').screenshot({ path: '/tmp/shots/thumbs.png' });
const s0 = await page.$eval('#p-seed', e=>e.value);
await page.click('#regenerate'); await sleep(400);
console.log('seed', s0, '->', await page.$eval('#p-seed', e=>e.value), (await read(page)).msg);
// Draw
await page.click('[data-dataset="points"]'); await sleep(400);
console.log('draw tools visible', await page.$eval('#draw-tools', e=>!e.hidden), await page.$eval('#draw-count', e=>e.textContent));
const box = await page.locator('#plane').boundingBox();
await page.mouse.move(box.x + 100, box.y + 100); await page.mouse.down();
for (let i = 0; i < 30; i++) await page.mouse.move(box.x + 100 + i * 8, box.y + 100 + i * 3);
await page.mouse.up();
console.log('after paint', await page.$eval('#draw-count', e=>e.textContent));
await page.screenshot({ path: '/tmp/shots/draw-painted.png' });
await page.click('#draw-erase');
await page.mouse.move(box.x + 180, box.y + 130); await page.mouse.down(); await page.mouse.move(box.x + 190, box.y + 133); await page.mouse.up();
console.log('after erase', await page.$eval('#draw-count', e=>e.textContent));
await page.click('#draw-done'); await sleep(500);
let r = await read(page); console.log('train on these', r.modes, r.msg, r.hash.slice(0,40), 'tools hidden', await page.$eval('#draw-tools', e=>e.hidden));
await page.click('#play'); await sleep(2000); await page.click('#play');
await page.locator('#plane').screenshot({ path: '/tmp/shots/draw-trained.png' });
// re-enter drawing, then clear, then Train on these with 0
await page.click('[data-dataset="points"]'); await sleep(300);
console.log('re-enter count', await page.$eval('#draw-count', e=>e.textContent));
await page.click('#draw-clear'); await page.click('#draw-done'); await sleep(300);
console.log('empty train', (await read(page)).msg);
// Pick another dataset while drawing
await page.click('[data-dataset="moons"]'); await sleep(500);
console.log('click moons while drawing: tools hidden?', await page.$eval('#draw-tools', e=>e.hidden), 'body.drawing', await page.evaluate(()=>document.body.classList.contains('drawing')));
await page.screenshot({ path: '/tmp/shots/draw-then-moons.png' });
// press Step while drawing
await page.click('[data-dataset="points"]'); await sleep(300);
await page.click('#step'); await sleep(500);
console.log('step while drawing: tools hidden?', await page.$eval('#draw-tools', e=>e.hidden), await read(page).then(r=>r.it));
await page.screenshot({ path: '/tmp/shots/draw-then-step.png' });
// Escape during drawing
await page.keyboard.press('Escape'); await sleep(200);
console.log('esc while drawing: tools hidden?', await page.$eval('#draw-tools', e=>e.hidden));
await page.click('#play'); await sleep(500); await page.click('#play');
console.log('play while drawing: tools hidden?', await page.$eval('#draw-tools', e=>e.hidden));
// Import pasted
await page.click('details.import summary');
const cases = [
  ['good', '0.5,1.2\n-1,0.3\n1,1\n-0.5,-0.5'],
  ['header+semicolon', 'x;y\n1;2\n2;1\n0;0'],
  ['big coords', '100,200\n-300,50\n0,0'],
  ['letters', '1,2\nfoo,3'],
  ['3 cols', '1,2,3'],
  ['empty', ''],
  ['single point', '0,0'],
  ['NaN', 'NaN,1'],
  ['Infinity', '1e999,1'],
  ['comma decimal', '1,5;2,5'],
  ['spaces', '1 2\n3 4'],
];
for (const [name, text] of cases) {
  await page.fill('#csv-text', text); await page.click('#csv-use'); await sleep(500);
  r = await read(page); console.log('paste', name, '=>', JSON.stringify(r.msg), r.modes, r.hash.includes('dataset=points'));
}
await page.fill('#csv-text', '0,0'); await page.click('#csv-use'); await sleep(300);
await page.click('#play'); await sleep(2000); await page.click('#play'); await sleep(300);
r = await read(page); console.log('single point training', r);
await page.locator('#plane').screenshot({ path: '/tmp/shots/single-point.png' });
console.log(log);
await browser.close();
