import { launch, newPage, read, sleep } from './h.tmp.mjs';
const log = [];
const { browser, ctx } = await launch();
const page = await newPage(ctx, undefined, log);
console.log('initial', await read(page));
await page.screenshot({ path: '/tmp/shots/01-initial.png', fullPage: true });
await page.click('#play'); await sleep(3000);
console.log('after 3s play', await read(page));
await page.screenshot({ path: '/tmp/shots/02-playing.png', fullPage: true });
await page.click('#play'); await sleep(500);
const a = await read(page); await sleep(1000); const b = await read(page);
console.log('paused stable?', a.it, b.it);
await page.click('#step'); await sleep(300); console.log('step', (await read(page)).it);
await page.click('#step-d'); await sleep(300); console.log('stepD', (await read(page)).it, (await read(page)).d);
await page.click('#step-g'); await sleep(300); console.log('stepG', (await read(page)).it, (await read(page)).g);
await page.click('#reset'); await sleep(500); console.log('reset', await read(page));
// keyboard
await page.click('h1');
await page.keyboard.press(' '); await sleep(1500); await page.keyboard.press(' '); await sleep(300);
console.log('space x2', (await read(page)).it);
await page.keyboard.press('ArrowRight'); await sleep(300); console.log('right', (await read(page)).it);
await page.keyboard.press('d'); await sleep(300); console.log('d', (await read(page)).it);
await page.keyboard.press('g'); await sleep(300); console.log('g', (await read(page)).it);
await page.keyboard.press('e'); await sleep(800); console.log('e: panel hidden?', await page.$eval('#explain-panel', (e) => e.hidden), (await read(page)).it);
await page.keyboard.press('Escape'); await sleep(300); console.log('esc: panel hidden?', await page.$eval('#explain-panel', (e) => e.hidden));
await page.keyboard.press('r'); await sleep(500); console.log('r', (await read(page)).it);
// speed slider
for (const s of [1,2,3]) {
  await page.$eval('#p-speed', (el, v) => { el.value = v; el.dispatchEvent(new Event('change')); }, String(s));
  await page.click('#play'); await sleep(3000); await page.click('#play'); await sleep(300);
  const r = await read(page); console.log('speed', s, 'it', r.it, 'ips', r.ips); await page.click('#reset'); await sleep(300);
}
// Does speed 0 mean paused? speed 1 => 2 ips
// space while focus on button
await page.focus('#step');
await page.keyboard.press(' '); await sleep(1000);
console.log('space with focus on Step button -> ', await read(page), await page.$eval('#play', e=>e.textContent));
await page.keyboard.press(' '); await sleep(500);
console.log(log);
await browser.close();
