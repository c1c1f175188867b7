// Wires controls, the worker and the views. The main thread only draws.
import { Request, Event, WorkerClient } from './protocol.js';
import { DATASETS, defaultConfig } from './state.js';
import { Scatter } from './views/scatter.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);

const config = defaultConfig();
const datasetSelect = $('dataset');
for (const name of DATASETS) datasetSelect.add(new Option(name, name));
datasetSelect.value = config.dataset;
$('backend').value = params.get('backend') ?? 'auto';

const scatter = new Scatter($('plane'));
let latest = null; // the newest frame, drawn on the next animation frame
let playing = false;

function fmt(x, digits = 4) {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

function show(frame) {
  const fresh = frame.iteration === 0; // no step yet: losses are not defined
  $('iteration').textContent = frame.iteration;
  $('ips').textContent = frame.itersPerSec >= 100 ? frame.itersPerSec.toFixed(0) : frame.itersPerSec.toPrecision(2);
  $('d-loss').textContent = fresh ? '–' : fmt(frame.dLoss);
  $('g-loss').textContent = fresh ? '–' : fmt(frame.gLoss);
  const m = frame.metrics;
  $('modes').textContent = m.modes ? `${m.modes.covered} / ${m.modes.total}` : 'n/a (not a mixture)';
  $('quality').textContent = m.modes ? `${(100 * m.modes.high_quality).toFixed(1)} %` : 'n/a';
  $('js').textContent = fmt(m.js, 3);
}

function render() {
  if (latest) {
    scatter.draw(latest.real, latest.fake);
    show(latest);
    latest = null;
  }
  requestAnimationFrame(render);
}
requestAnimationFrame(render);

function message(text) {
  $('message').textContent = text ?? '';
}

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
const client = new WorkerClient(worker, (event) => {
  if (event.kind === Event.FRAME) latest = event;
  if (event.kind === Event.ERROR) {
    setPlaying(false);
    message(event.message);
  }
});

function setPlaying(on) {
  playing = on;
  $('play').textContent = on ? 'Pause' : 'Play';
  $('play').classList.toggle('primary', !on);
}

function setEnabled(on) {
  for (const id of ['play', 'step', 'reset']) $(id).disabled = !on;
}

function describe(info) {
  if (info.backend === 'cpu') return 'CPU (WebAssembly)';
  const a = info.adapter;
  const name = [a.vendor, a.architecture, a.device].filter(Boolean).join(' ') || 'unknown adapter';
  return `WebGPU — ${name}${a.fallback ? ' (software adapter, not your GPU)' : ''}`;
}

async function start() {
  setEnabled(false);
  setPlaying(false);
  message('');
  $('backend-info').textContent = 'starting…';
  try {
    const info = await client.call(Request.INIT, { backend: $('backend').value, config });
    $('backend-info').textContent = describe(info);
    document.body.dataset.backend = info.backend;
    setEnabled(true);
  } catch (e) {
    $('backend-info').textContent = 'not running';
    message(e.message);
  }
}

async function act(kind, args) {
  try {
    return await client.call(kind, args);
  } catch (e) {
    message(e.message);
  }
}

$('play').addEventListener('click', async () => {
  setPlaying(!playing);
  await act(playing ? Request.PLAY : Request.PAUSE);
});
$('step').addEventListener('click', async () => {
  setPlaying(false);
  await act(Request.STEP, { rounds: 1 });
});
$('reset').addEventListener('click', () => act(Request.RESET, { config }));
datasetSelect.addEventListener('change', () => {
  config.dataset = datasetSelect.value;
  act(Request.RESET, { config });
});
$('backend').addEventListener('change', start);

start();
