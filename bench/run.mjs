// `./build.sh bench`: ganplay beside TensorFlow.js 4.22 in the same headless Chromium (the tests'
// launch flags). Each measurement runs in a fresh page, twice (the machine is noisy); the table
// takes the better of the two. Prints one table and writes everything as JSON to bench/results/.
import { gzipSync } from 'node:zlib';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from '../tests/serve.mjs';
import { FLAGS, chromium } from '../tests/browser.mjs';
import { RING8, SCALING, ringFlops } from './workloads.js';
import { tabTraining, SECONDS as TAB_SECONDS } from './tab-training.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick'); // one pass, no scaling table: to check the bench itself
const scalingOnly = args.has('--scaling'); // only the scaling table (and sizes)
const soakOnly = args.has('--soak'); // only the soak (and sizes)
const noSoak = args.has('--no-soak'); // everything but the soak (about 15 minutes of it)
const tabOnly = args.has('--tab'); // only the in-tab training (and sizes): about 2 minutes
const PASSES = scalingOnly || soakOnly || tabOnly ? 0 : quick ? 1 : 2;
const log = (...a) => console.error('[bench]', ...a);

const server = await serve(ROOT, 0);
const launch = (webgpu) => chromium.launch({
  executablePath: '/usr/bin/chromium', headless: true, args: webgpu ? [...FLAGS, '--enable-unsafe-webgpu'] : FLAGS,
});
// One browser with WebGPU (SwiftShader here) and one without; a crashed one is started again.
const browsers = { gpu: await launch(true), cpu: await launch(false) };
async function browserFor(kind) {
  if (!browsers[kind].isConnected()) browsers[kind] = await launch(kind === 'gpu');
  return browsers[kind];
}
const TIMEOUT_MS = 300_000;

// The GPU-path backends run on SwiftShader here (a CPU Vulkan/GL at ~0.3 GFLOP/s), where the full
// counts take many minutes per run: they get shortened counts, marked in the table.
const SHORT = { ring8: { warmup: 5, timed: 20, readEvery: 5 }, dcgan28: { warmup: 1, timed: 3 } };

/** Runs `window.bench(...)` on a fresh page (a fresh context: nothing cached). */
async function measure(kind, page, ...benchArgs) {
  return measureWithin(TIMEOUT_MS, kind, page, ...benchArgs);
}

async function measureWithin(timeoutMs, kind, page, ...benchArgs) {
  const browser = await browserFor(kind);
  const context = await browser.newContext();
  const p = await context.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(e.message));
  try {
    await p.goto(server.url + page);
    await p.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 60_000 });
    let timer;
    const timeout = new Promise((_, fail) => { timer = setTimeout(() => fail(new Error(`no result in ${timeoutMs / 1000} s`)), timeoutMs); });
    try {
      return await Promise.race([p.evaluate((a) => window.bench(...a), benchArgs), timeout]);
    } finally {
      clearTimeout(timer);
    }
  } catch (e) {
    return { error: (e.message.split('\n')[0] + (errors.length ? ` (${errors[0]})` : '')).slice(0, 300) };
  } finally {
    await context.close().catch(() => {});
  }
}

/** Page load to the gallery's first samples on screen, cache cold; WebGPU where the browser has it. */
async function startup(kind) {
  const browser = await browserFor(kind);
  const context = await browser.newContext();
  const p = await context.newPage();
  try {
    await p.goto(server.url + 'www/gallery.html');
    await p.waitForFunction(() => performance.getEntriesByName('ganplay:first-sample').length > 0, null, { timeout: 60_000, polling: 50 });
    return await p.evaluate(() => ({ ms: performance.getEntriesByName('ganplay:first-sample')[0].startTime, backend: document.body.dataset.backend }));
  } catch (e) {
    return { error: e.message.split('\n')[0] };
  } finally {
    await context.close();
  }
}

// [library, backend, browser, shortened counts]
const SUBJECTS = [
  ['ganplay', 'cpu', 'cpu', false], ['ganplay', 'webgpu', 'gpu', true],
  ['tfjs', 'cpu', 'cpu', false], ['tfjs', 'wasm', 'cpu', false], ['tfjs', 'webgl', 'gpu', true], ['tfjs', 'webgpu', 'gpu', true],
];
const WARM_SUBJECTS = [['ganplay', 'cpu'], ['tfjs', 'wasm']];
const WARM_SECONDS = 5;
const results = { date: new Date().toISOString(), chromium: browsers.gpu.version(), short: SHORT, passes: PASSES, ring8: [], ring8warm: [], dcgan28: [], matmul: [], scaling: [], startup: [], tabTraining: [], sizes: {} };

/** The gallery's own in-tab training on the CPU backend, for TAB_SECONDS. */
async function timeTabTraining(pass) {
  log(`pass ${pass}: in-tab training, ${TAB_SECONDS} s on the CPU backend`);
  results.tabTraining.push({ pass, ...(await tabTraining(await browserFor('cpu'), `${server.url}www/gallery.html`)) });
}
for (let pass = 1; pass <= PASSES; pass++) {
  // ring8 once more on each library's best CPU-side backend after 5 s of warm-up instead of 50
  // iterations. V8 first runs wasm with its baseline compiler and moves hot functions to the
  // optimising one as they prove hot; on two cores this takes a few seconds, so the 50-iteration row
  // partly times baseline code (measured: passes of 100 iterations in one page ran 95, 165, 181, 179,
  // 185 and 202 it/s). Both libraries get the same warm-up. These go first in a pass, before any
  // SwiftShader work, whose GPU process can stay busy after its page has closed (placed after it, they
  // once came out below the 50-iteration rows).
  for (const [lib, backend] of WARM_SUBJECTS) {
    log(`pass ${pass}: ring8 warm on ${lib} ${backend}`);
    const r = await measure('cpu', `bench/${lib}.html`, 'ring8', backend, { warmupSeconds: WARM_SECONDS });
    results.ring8warm.push({ lib, backend, pass, ...r });
    log('  ', r.error ?? `${r.perSecond.toFixed(1)} it/s`);
  }
  for (const workload of ['ring8', 'dcgan28']) {
    for (const [lib, backend, kind, short] of SUBJECTS) {
      log(`pass ${pass}: ${workload} on ${lib} ${backend}`);
      const r = await measure(kind, `bench/${lib}.html`, workload, backend, short ? SHORT[workload] : {});
      results[workload].push({ lib, backend, pass, short, ...r });
      log('  ', r.error ?? (workload === 'ring8' ? `${r.perSecond.toFixed(1)} it/s` : `${r.imagesPerSecond.toFixed(0)} images/s`));
    }
  }
  log(`pass ${pass}: matmul yardstick`);
  results.matmul.push({ pass, ...(await measure('cpu', 'bench/ganplay.html', 'matmul', 'cpu')) });
  for (const [name, kind] of [['cpu', 'cpu'], ['webgpu', 'gpu']]) {
    results.startup.push({ pass, expected: name, ...(await startup(kind)) });
  }
  await timeTabTraining(pass);
}
if (tabOnly) await timeTabTraining(1);
if (!quick && !soakOnly && !tabOnly) {
  for (const batch of SCALING.batches) {
    for (const width of SCALING.widths) {
      log(`scaling: batch ${batch}, width ${width}`);
      const spec = { ...RING8, batch, width };
      const r = await measure('cpu', 'bench/ganplay.html', 'scaling', 'cpu', { spec, seconds: SCALING.seconds, minIterations: SCALING.minIterations });
      results.scaling.push({ batch, width, ...r });
    }
  }
}
// Soak: memory must stay flat over a long run. 20,000 rounds of the playground's default model on
// the CPU; on WebGPU 300 rounds of a small model (SwiftShader here runs the default one at < 1 it/s).
// Warm-up: the first 10 % on the CPU; on WebGPU the first 20 %, as burn's buffer pool fills over the
// first ~40 rounds (measured: 302 → 628 live buffers by round 40, then 628 to round 300).
const SOAK = {
  cpu: { iterations: quick ? 2000 : 20_000, every: 100, warmupShare: 0.1, config: {} },
  webgpu: { iterations: quick ? 80 : 300, every: 10, warmupShare: quick ? 0.5 : 0.2, config: { batch_size: 32, generator: { hidden_layers: 2, width: 16 }, discriminator: { hidden_layers: 2, width: 16 } } },
};
results.soak = [];
if (!scalingOnly && !noSoak && !tabOnly) {
  for (const [backend, kind] of [['cpu', 'cpu'], ['webgpu', 'gpu']]) {
    log(`soak: ${SOAK[backend].iterations} iterations on ganplay ${backend}`);
    // SwiftShader takes about 2.5 s per round of even the small model: allow the WebGPU soak 30 minutes.
    const r = await measureWithin(1_800_000, kind, 'bench/ganplay.html', 'soak', backend, SOAK[backend]);
    results.soak.push({ backend, ...r });
    log('  ', r.error ?? `wasm memory ${(100 * r.wasmGrowth).toFixed(2)} %, in ${r.seconds.toFixed(0)} s`);
  }
}
for (const m of ['sample', 'cpu', 'gpu']) {
  const bytes = readFileSync(`${ROOT}www/pkg/${m}/ganplay_bg.wasm`);
  results.sizes[m] = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}
for (const b of Object.values(browsers)) await b.close().catch(() => {});
await server.close();

// ---- the table ----
const best = (rows, key) => {
  const ok = rows.filter((r) => !r.error);
  return ok.length ? ok.reduce((a, b) => (b[key] > a[key] ? b : a)) : null;
};
const fmt = (x, d = 1) => (x == null ? '—' : x.toFixed(d));
const lines = [];
const limit = best(results.matmul, 'gflops')?.gflops;
lines.push(`ganplay bench, ${results.date}, Chromium ${results.chromium}; best of ${PASSES} run(s), each in a fresh page`);
lines.push('');
const summary = {};
if (PASSES > 0) {
lines.push('| workload | library | backend | result (each run) | best |');
lines.push('|---|---|---|---|---|');
// One table row per subject: each run, then the best; and the best of each library, and their ratio.
const addRows = (label, all, subjects, key, unit) => {
  for (const [lib, backend, , short] of subjects) {
    const rows = all.filter((r) => r.lib === lib && r.backend === backend);
    const each = rows.map((r) => (r.error ? `error: ${r.error.slice(0, 80)}` : fmt(r[key], r[key] < 10 ? 2 : 1))).join(' / ');
    const b = best(rows, key);
    lines.push(`| ${label} | ${lib} | ${backend}${short ? ' †' : ''} | ${each} | ${b ? `${fmt(b[key], b[key] < 10 ? 2 : 1)} ${unit}` : '—'} |`);
  }
  const g = best(all.filter((r) => r.lib === 'ganplay'), key);
  const t = best(all.filter((r) => r.lib === 'tfjs'), key);
  return { ganplay: g && { backend: g.backend, value: g[key] }, tfjs: t && { backend: t.backend, value: t[key] }, ratio: g && t ? g[key] / t[key] : null };
};
summary.ring8 = addRows('ring8', results.ring8, SUBJECTS, 'perSecond', 'it/s');
summary.dcgan28 = addRows('dcgan28', results.dcgan28, SUBJECTS, 'imagesPerSecond', 'images/s');
summary.ring8warm = addRows('ring8, warm ‡', results.ring8warm, WARM_SUBJECTS, 'perSecond', 'it/s');
lines.push('');
lines.push(`‡ After ${WARM_SECONDS} s of warm-up instead of ${RING8.warmup} iterations, so that V8's optimising compiler has caught up with the hot wasm (both libraries alike).`);
lines.push(`† SwiftShader here (software WebGPU/WebGL): shortened counts, ring8 ${SHORT.ring8.warmup}+${SHORT.ring8.timed} iterations, dcgan28 ${SHORT.dcgan28.warmup}+${SHORT.dcgan28.timed} batches.`);
lines.push('');
lines.push('| workload | ganplay best | TF.js best | ganplay ÷ TF.js | target |');
lines.push('|---|---|---|---|---|');
for (const [w, target] of [['ring8', 4], ['ring8warm', 4], ['dcgan28', 2]]) {
  const s = summary[w];
  lines.push(`| ${w} | ${s.ganplay ? `${fmt(s.ganplay.value)} (${s.ganplay.backend})` : '—'} | ${s.tfjs ? `${fmt(s.tfjs.value)} (${s.tfjs.backend})` : '—'} | ${fmt(s.ratio, 2)}× | ≥ ${target}× ${s.ratio >= target ? 'met' : 'NOT met'} |`);
}
}
const cpuRing = best(results.ring8.filter((r) => r.lib === 'ganplay' && r.backend === 'cpu'), 'perSecond');
const flops = ringFlops(RING8);
lines.push('');
lines.push(`ring8 work: ${(flops / 1e6).toFixed(1)} MFLOP per iteration (dense layers, forward and backward).`);
if (cpuRing && limit) {
  const yardstick = best(results.matmul, 'gflops');
  lines.push(`One core's limit (SIMD128 matrix product, n = ${yardstick.sizes.map((s) => `${s.n}: ${fmt(s.gflops)}`).join(', ')} GFLOP/s): ${fmt(limit)} GFLOP/s.`);
  const shareLine = (label, perSecond) => {
    const achieved = (perSecond * flops) / 1e9;
    lines.push(`${label}: ${fmt(achieved, 2)} GFLOP/s = ${fmt((100 * achieved) / limit)} % of it (target ≥ 40 %: ${achieved / limit >= 0.4 ? 'met' : 'NOT met'}).`);
    return achieved / limit;
  };
  results.flopShare = shareLine('ganplay CPU ring8', cpuRing.perSecond);
  const warm = best(results.ring8warm.filter((r) => r.lib === 'ganplay' && r.backend === 'cpu'), 'perSecond');
  if (warm) results.flopShareWarm = shareLine('ganplay CPU ring8, warm ‡', warm.perSecond);
}
if (results.scaling.length) {
  lines.push('');
  lines.push('ganplay CPU, ring8 iterations/s (GFLOP/s) by batch × width:');
  lines.push('');
  lines.push(`| batch | ${SCALING.widths.map((w) => `width ${w}`).join(' | ')} |`);
  lines.push(`|---|${SCALING.widths.map(() => '---').join('|')}|`);
  for (const batch of SCALING.batches) {
    const cells = SCALING.widths.map((width) => {
      const r = results.scaling.find((x) => x.batch === batch && x.width === width);
      if (!r || r.error) return r?.error ? 'error' : '—';
      return `${fmt(r.perSecond, r.perSecond < 10 ? 2 : 1)} (${fmt((r.perSecond * r.flopsPerIteration) / 1e9, 2)})`;
    });
    lines.push(`| ${batch} | ${cells.join(' | ')} |`);
  }
}
if (results.soak.length) {
  const pct = (x) => (x == null ? 'n/a' : `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)} %`);
  const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
  lines.push('');
  lines.push('Soak (growth from the end of the warm-up to the end; target < 5 %):');
  lines.push('');
  lines.push('| backend | model | iterations | warm-up | time | wasm memory | growth | live GPU buffers (bytes) | growth | target |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results.soak) {
    if (r.error) {
      lines.push(`| ${r.backend} | — | — | — | — | error: ${r.error} | | | | NOT met |`);
      continue;
    }
    const model = Object.keys(r.config).length ? 'batch 32, 2 × 16' : 'default (batch 256, 3 × 64)';
    const gpuCell = r.backend === 'webgpu' ? `${r.warm.gpuBuffers} → ${r.end.gpuBuffers} (${mb(r.warm.gpuBytes)} → ${mb(r.end.gpuBytes)})` : 'n/a';
    const worst = Math.max(r.wasmGrowth, r.gpuBufferGrowth ?? 0, r.gpuByteGrowth ?? 0);
    lines.push(`| ${r.backend}${r.backend === 'webgpu' ? ' †' : ''} | ${model} | ${r.iterations.toLocaleString('en')} | ${r.warm.iteration} | ${r.seconds.toFixed(0)} s | ${mb(r.warm.wasmBytes)} → ${mb(r.end.wasmBytes)} | ${pct(r.wasmGrowth)} | ${gpuCell} | ${r.backend === 'webgpu' ? pct(Math.max(r.gpuBufferGrowth, r.gpuByteGrowth)) : 'n/a'} | ${worst < 0.05 ? 'met' : 'NOT met'} |`);
  }
}
lines.push('');
// The module the first sample needs (the gallery's sampling-only CPU module) ≤ 0.8 MB; the WebGPU
// module ≤ 2.5 MB. The full CPU module (the playground's trainer) has no target of its own.
const SIZE_TARGETS = { sample: 0.8e6, gpu: 2.5e6 };
for (const [m, s] of Object.entries(results.sizes)) {
  const target = SIZE_TARGETS[m];
  const verdict = target ? `target ≤ ${target / 1e6} MB: ${s.gzip <= target ? 'met' : 'NOT met'}` : 'the trainer; loaded by the playground and by in-tab training';
  lines.push(`www/pkg/${m}/ganplay_bg.wasm: ${s.raw.toLocaleString('en')} B raw, ${s.gzip.toLocaleString('en')} B gzipped (${verdict})`);
}
for (const expected of ['cpu', 'webgpu']) {
  const rows = results.startup.filter((r) => r.expected === expected);
  const each = rows.map((r) => (r.error ? `error: ${r.error}` : `${fmt(r.ms, 0)} ms (${r.backend})`)).join(' / ');
  lines.push(`Gallery, navigation to first samples, cache cold, ${expected === 'cpu' ? 'browser without WebGPU' : 'browser with WebGPU'}: ${each}${expected === 'cpu' ? ' (target ≤ 1500 ms on CPU)' : ''}`);
}
for (const r of results.tabTraining) {
  const each = r.error ? `error: ${r.error}` : r.scores.map((x) => `${x.seconds} s: step ${x.step}, ${fmt(100 * x.score, 0)} %`).join(' · ');
  lines.push(`In-tab training from scratch (CPU), cells whose nearest prototype is their digit: ${each} (target ≥ 80 % at ${TAB_SECONDS} s)`);
}
results.summary = summary;
mkdirSync(`${ROOT}bench/results`, { recursive: true });
const file = `${ROOT}bench/results/${results.date.replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify(results, null, 1));
console.log(lines.join('\n'));
console.log(`\nwrote ${file.slice(ROOT.length)}`);
