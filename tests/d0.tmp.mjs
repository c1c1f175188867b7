import { launch, sleep } from './h.tmp.mjs';
const { browser, ctx } = await launch();
const page = await ctx.newPage();
const h = 'dataset=ring&seed=1&objective=wasserstein_gp&batch=4096&kd=5&kg=1&zdim=2&gLayers=6&gWidth=256&dLayers=6&dWidth=256';
const t0 = Date.now();
await page.goto('http://127.0.0.1:8090/index.html?backend=cpu&fresh=1#' + h);
for (let i = 0; i < 60; i++) {
  const s = await page.evaluate(() => [document.getElementById('backend-info').textContent, document.getElementById('play').disabled, document.body.dataset.ready, document.getElementById('iteration').textContent]);
  console.log(((Date.now()-t0)/1000).toFixed(0)+'s', JSON.stringify(s));
  if (s[2] === 'true') break;
  await sleep(5000);
}
await page.screenshot({ path: '/tmp/shots/bigstart.png' });
await browser.close();
