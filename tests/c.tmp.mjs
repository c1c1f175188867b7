import { launch, newPage, read, sleep } from './h.tmp.mjs';
const log = [];
const { browser, ctx } = await launch();
const page = await newPage(ctx, 'http://127.0.0.1:8090/index.html?backend=cpu&fresh=1', log);
await sleep(1500);
async function set(key, v) {
  await page.fill(`#p-${key}`, String(v)); await page.press(`#p-${key}`, 'Tab'); await sleep(300);
  const r = await read(page);
  return `${key}=${JSON.stringify(v)} -> field ${JSON.stringify(await page.$eval(`#p-${key}`, e=>e.value))} msg ${JSON.stringify(r.msg)}`;
}
async function sel(key, v) { await page.selectOption(`#p-${key}`, v); await sleep(400); return `${key}=${v} msg ${JSON.stringify((await read(page)).msg)}`; }
for (const [k, v] of [['batch','abc'],['batch','-5'],['batch','1e9'],['batch','99999999999999'],['batch','12.5'],['batch',' 64 '],['batch','0'],['batch','4096'],
  ['kd','0'],['kd','21'],['zdim','0'],['zdim','16'],['gLayers','0'],['gLayers','7'],['gWidth','1'],['gWidth','100000'],
  ['gLr','abc'],['gLr','-0.1'],['gLr','1e-7'],['gLr','1e3'],['gLr','0.002'],['gLr','.5'],['gLr','1,5'],['gLr','Infinity'],
  ['gBeta1','1'],['gBeta2','1'],['seed','-1'],['seed','2147483648'],['seed','3.5'],['ema','0.3'],['ema','0.99'],['smooth','0.6'],['smooth','0.1']]) {
  console.log(await set(k, v));
}
console.log(await sel('objective','wasserstein'));
console.log('disabled smooth?', await page.$eval('#p-smooth', e=>e.disabled), 'clip?', await page.$eval('#p-clip', e=>e.disabled));
for (const [k,v] of [['clip','0'],['clip','5']]) console.log(await set(k,v));
console.log(await sel('objective','wasserstein_gp'));
for (const [k,v] of [['gp','-1'],['gp','1000'],['gp','0']]) console.log(await set(k,v));
await page.screenshot({ path: '/tmp/shots/c-invalid.png' });
// batch 1 then play
console.log(await set('batch', '1'));
console.log(await set('gLayers', '0'));
console.log(await set('dLayers', '0'));
await page.click('#play'); await sleep(2000); await page.click('#play'); await sleep(300);
console.log('batch1/0 layers', await read(page));
console.log(await set('batch', '4096'));
console.log(await set('gLayers', '6')); console.log(await set('gWidth', '256'));
console.log(await set('dLayers', '6')); console.log(await set('dWidth', '256'));
await page.click('#play'); await sleep(3000); await page.click('#play'); await sleep(300);
const t0 = Date.now(); await page.click('#step'); 
console.log('big net', await read(page));
await page.click('[data-dataset="ring"]'); // reset to defaults by new page later
console.log(log);
await browser.close();
