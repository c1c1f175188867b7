import { launch, newPage, read, sleep } from './h.tmp.mjs';
const log = [];
const { browser, ctx } = await launch();
const h = 'dataset=ring&seed=1&objective=wasserstein_gp&batch=4096&kd=5&kg=1&zdim=2&gLayers=6&gWidth=256&dLayers=6&dWidth=256';
const page = await newPage(ctx, 'http://127.0.0.1:8090/index.html?backend=cpu&fresh=1#' + h, log);
console.log('msg', (await read(page)).msg);
let t = Date.now(); await page.click('#step');
await page.waitForFunction(() => document.getElementById('iteration').textContent !== '0', null, { timeout: 120000 });
console.log('one step took', Date.now() - t, 'ms', await read(page).then(r=>[r.it, r.d, r.g]));
await page.click('#play'); await sleep(4000);
t = Date.now(); await page.click('#play');
await page.waitForFunction(() => document.getElementById('play').textContent === 'Play');
const r1 = await read(page); await sleep(3000); const r2 = await read(page);
console.log('pause latency (button label)', Date.now() - t, 'iter', r1.it, r2.it, 'ips', r2.ips);
// explain on big
t = Date.now(); await page.click('#explain'); await page.waitForFunction(() => !document.getElementById('explain-panel').hidden, null, { timeout: 120000 });
console.log('explain took', Date.now() - t);
console.log(log);
await browser.close();
