// The property table: one list of properties drives the controls, their validation and the URL
// hash (the TF Playground way). Pure: no DOM, no worker. Every property the engine reads takes its
// type, range, options and default from the engine itself (limits.js); labels, groups and help are ours.
import { LIMITS, MAX_POINTS } from './limits.js';
import { quote } from './text.js';

/** The most points a drawn or imported dataset may have (the engine's limit). */
export { MAX_POINTS };
/** The built-in datasets ('points' is the user's own cloud). */
export const DATASETS = LIMITS.dataset.options.filter((d) => d !== 'points');
export const OBJECTIVES = LIMITS.objective.options;

/** The most points a link carries (quantised into the hash). */
export const MAX_LINK_POINTS = 2_000;
/** D's learning rate is this many times G's when "two time-scale" is on. */
export const TTUR_RATIO = 4;

/** D's learning rate under "two time-scale": G's times TTUR_RATIO, within D's range. */
export const tturLr = (state) => Math.min(PROP.dLr.max, state.gLr * TTUR_RATIO);
const followsG = { unused: (s) => s.ttur, follows: (s) => (s.ttur ? tturLr(s) : undefined) };

/** The controls both networks have, keyed `${p}Layers`, `${p}Lr`, …; `p` is also their group. */
function network(p, net, optim) {
  const group = p;
  const P = p.toUpperCase();
  const adam = (s) => s[`${p}Opt`] === 'adam';
  const noHidden = (s) => s[`${p}Layers`] === 0;
  const who = p === 'g' ? 'G' : 'D';
  const layers = p === 'g'
    ? 'Layers of neurons between G’s input z and its output point. 0: G is a straight (linear) map, which can only stretch and turn the noise.'
    : 'Layers of neurons between a point and D’s verdict. 0: D can only draw a straight line between “real” and “generated”.';
  return [
    { key: `${p}Layers`, label: 'Hidden layers', group, path: `${net}.hidden_layers`, help: layers },
    { key: `${p}Width`, label: 'Neurons per layer', group, path: `${net}.width`, unused: noHidden,
      help: `How many neurons each hidden layer of ${who} has. More: a more flexible network, and slower rounds.` },
    { key: `${p}Act`, label: 'Activation', group, path: `${net}.activation`, unused: noHidden,
      help: `What each neuron of ${who} does with the sum of its inputs before passing it on.`,
      formula: 'relu: max(0, a) · leaky relu: max(0.2a, a) · tanh: tanh(a) · elu: a if a > 0, else eᵃ − 1' },
    { key: `${p}Opt`, label: 'Optimiser', short: `${P} optimiser`, group, path: `${optim}.kind`,
      help: `How ${who}’s gradient g turns into a change of its weights w (η is the learning rate).`,
      formula: 'sgd: w ← w − η·g (with momentum μ: v ← μ·v + g, w ← w − η·v)\nadam: steps along a running mean of g, divided by the root of a running mean of g² (β1, β2)\nrmsprop: w ← w − η·g / √(running mean of g²)' },
    { key: `${p}Lr`, label: 'Learning rate', short: `${P} rate`, group, path: `${optim}.lr`, ...(p === 'd' ? followsG : {}),
      help: `How big each of ${who}’s update steps is (η). Too big: training shakes or blows up. Too small: nothing seems to move.${p === 'd' ? ` With two time-scale rates on, it is G’s times ${TTUR_RATIO}.` : ''}` },
    { key: `${p}Beta1`, label: 'Adam β1', short: `${P} β1`, group, path: `${optim}.beta1`, unused: (s) => !adam(s),
      help: 'How long Adam remembers past gradients (its momentum). GANs often use 0.5 (the default here); Adam’s usual 0.9 can make them swing.',
      formula: 'm ← β1·m + (1 − β1)·g' },
    { key: `${p}Beta2`, label: 'Adam β2', short: `${P} β2`, group, path: `${optim}.beta2`, unused: (s) => !adam(s),
      help: 'How long Adam remembers the size of past gradients, which sets each weight’s step size.',
      formula: 'v ← β2·v + (1 − β2)·g²;  w ← w − η·m̂ / (√v̂ + ε)  (m̂, v̂: m and v corrected for their start at 0)' },
    { key: `${p}Mom`, label: 'Momentum (SGD, RMSProp)', short: `${P} momentum`, group, path: `${optim}.momentum`, unused: adam,
      help: 'For SGD and RMSProp: how much of the last step carries over into the next one. 0: none.',
      formula: 'SGD: v ← μ·v + g;  w ← w − η·v' },
  ];
}

/**
 * Where the engine's config says what the model is: the data, the seed, the networks (and so the
 * latent). The engine's Trainer::retune refuses to change these in a running model, so a change
 * of a property under one of them starts a new run; every other engine setting is taken live.
 */
const NEW_RUN_ROOTS = ['dataset', 'seed', 'generator', 'discriminator'];

/** How a change of a property reaches the run: 'new' (a new run), 'live' (the running model takes it) or 'page'. */
function changeOf(p) {
  if (!p.path) return p.live ? 'live' : 'page';
  return NEW_RUN_ROOTS.includes(p.path.split('.')[0]) ? 'new' : 'live';
}

/** Iterations per second for each speed step (5 = as fast as the machine goes). */
export const SPEEDS = [0, 2, 10, 50, 250, Infinity];

/**
 * Every property: `key` (in the URL and the control's id), `label`, `group` (where its control
 * sits), `path` into the engine's config (absent for page-only properties), `help` (plain words for
 * the control's "?" tip: the one help text of the property) and `formula` (optional: the maths, one
 * line per case, shown under the help). A property
 * with a `path` takes `type` (int | float | enum), range or `options`, `def` (default) and `off` (a
 * value outside the range that means "off") from LIMITS[path]; a page-only one (int | bool | list |
 * name) carries its own. How its control looks: `widget` ('range': a slider whose `readout(v)` is shown
 * beside it; 'thumbs': drawn by its own room, not by the generic controls), `unused(state)` (true
 * while the current choices do not use it: its control is greyed out, its value stays in the link)
 * and `follows(state)` (a value the control shows instead of the property's own, else undefined).
 * `change` says what a change of it does (see changeOf: a new run, live, or the page only); a live
 * one has a `short` name for the mark its change leaves on the charts.
 */
export const PROPS = [
  { key: 'dataset', label: 'Dataset', group: 'data', path: 'dataset', widget: 'thumbs',
    help: 'The real data: the green points that G must learn to imitate. Ring and grid are made of small clusters (modes); draw or import points to use your own.' },
  { key: 'seed', label: 'Seed', group: 'data', path: 'seed',
    help: 'The number that fixes every random choice: the data samples, the first weights and the noise. The same seed and settings give the same run again.' },
  { key: 'objective', label: 'Objective', short: 'objective', group: 'train', path: 'objective',
    help: 'The game D and G play: the loss each one tries to make small (averaged over the batch). D(x) is D’s output for a point x, σ the sigmoid, G(z) a generated point.',
    formula: [
      'non saturating: L_D = −log σ(D(x)) − log(1 − σ(D(G(z)))),  L_G = −log σ(D(G(z)))',
      'minimax: L_D as above,  L_G = log(1 − σ(D(G(z)))): its gradient vanishes when D is sure',
      'least squares: L_D = ½(D(x) − 1)² + ½D(G(z))²,  L_G = ½(D(G(z)) − 1)²',
      'hinge: L_D = max(0, 1 − D(x)) + max(0, 1 + D(G(z))),  L_G = −D(G(z))',
      'wasserstein: L_D = D(G(z)) − D(x) with D’s weights clipped,  L_G = −D(G(z))',
      'wasserstein gp: the same, plus λ(‖∇D(x̂)‖ − 1)² at points x̂ between real and generated',
    ].join('\n') },
  { key: 'batch', label: 'Batch size', short: 'batch', group: 'train', path: 'batch_size',
    help: 'How many real and how many generated points each update looks at. Bigger: steadier steps, but slower rounds.' },
  { key: 'kd', label: 'D steps per round (k_D)', short: 'k_D', group: 'train', path: 'k_d',
    help: 'How many times D is updated in each round, before G’s turn. More: a stronger D.' },
  { key: 'kg', label: 'G steps per round (k_G)', short: 'k_G', group: 'train', path: 'k_g',
    help: 'How many times G is updated in each round, after D’s turn.' },
  { key: 'zdim', label: 'Latent dimension', group: 'g', path: 'generator.latent_dim',
    help: 'How many random numbers G gets as input (its noise z). G turns each z into one point.' },
  { key: 'noise', label: 'Noise', group: 'g', path: 'generator.noise',
    help: 'Where G’s input z comes from: a Gaussian (bell curve, mean 0, spread 1) or uniform between −1 and 1.' },
  ...network('g', 'generator', 'optim_g'),
  ...network('d', 'discriminator', 'optim_d'),
  { key: 'smooth', label: 'One-sided label smoothing', short: 'smoothing', group: 'stab', path: 'label_smoothing',
    help: 'D is taught to say 1 − s for real points instead of 1, so it never becomes over-sure. Used by the minimax, non-saturating and least-squares objectives.',
    unused: (s) => !['non_saturating', 'minimax', 'least_squares'].includes(s.objective) },
  { key: 'ttur', label: `Two time-scale rates (D = ${TTUR_RATIO}× G)`, short: 'TTUR', live: true, type: 'bool', def: false, group: 'stab',
    help: `D’s learning rate follows G’s, times ${TTUR_RATIO} (the two time-scale update rule, TTUR): a quicker D often steadies training.` },
  { key: 'ema', label: 'Moving average of G (decay; 0 = off)', short: 'EMA', group: 'stab', path: 'ema',
    help: `Shows samples from an average of G’s recent weights, which smooths out G’s swings. ${LIMITS.ema.off} = off, or ${LIMITS.ema.min}–${LIMITS.ema.max}.`,
    formula: 'w̄ ← d·w̄ + (1 − d)·w after each of G’s updates' },
  { key: 'clip', label: 'Weight clipping (WGAN)', short: 'clip', group: 'stab', path: 'clip', unused: (s) => s.objective !== 'wasserstein',
    help: 'Wasserstein only: after each update every weight of D is cut back into [−c, c], to keep the critic smooth. Too small and D learns almost nothing.' },
  { key: 'gp', label: 'Gradient penalty λ (WGAN-GP)', short: 'λ', group: 'stab', path: 'gp_weight', unused: (s) => s.objective !== 'wasserstein_gp',
    help: 'Wasserstein GP only: how strongly D is pushed to keep the slope of its output near 1, at points between real and generated ones.',
    formula: 'penalty = λ·(‖∇D(x̂)‖ − 1)²' },
  // Page-only properties.
  { key: 'speed', label: 'Speed', type: 'int', min: 1, max: 5, def: 5, group: 'run', widget: 'range',
    help: 'How many rounds per second while playing. Slow it down to watch each change.',
    readout: (v) => (Number.isFinite(SPEEDS[v]) ? `${SPEEDS[v]} rounds/s` : 'as fast as possible') },
  { key: 'heatmap', label: 'Discriminator heatmap', type: 'bool', def: true, group: 'show',
    help: 'Colours the background with D’s verdict at each spot: green where D says “real”, purple where it says “generated”, white where it is unsure.' },
  { key: 'manifold', label: 'Generator manifold', type: 'bool', def: false, group: 'show',
    help: 'Draws where G sends a regular grid of inputs z: a sheet that G stretches and folds onto the data.' },
  { key: 'arrows', label: 'Gradient arrows', type: 'bool', def: false, group: 'show',
    help: 'At each generated point, an arrow in the direction G’s next update pushes it.',
    formula: 'arrow = −∂ℓ_G/∂x, ℓ_G: G’s loss at that one point' },
  { key: 'trueScale', label: 'Arrows at their true length', type: 'bool', def: false, group: 'show', unused: (s) => !s.arrows,
    help: 'Off: the longest arrow of each picture is drawn the same length, so you always see the directions. On: one fixed scale for every picture, so a tiny gradient (G has almost nothing to learn from) draws tiny arrows.' },
  { key: 'hide', label: 'Hidden controls', type: 'list', def: [], group: 'page',
    help: 'A classroom link can hide controls: property keys, or backend, presets, keep, dataset.' },
  { key: 'embed', label: 'Embed mode', type: 'bool', def: false, group: 'page',
    help: 'Only the picture and a play button, for showing the playground inside another page.' },
  // The lesson open and its step, so that a link (and a reload) returns to it; see playground/lesson.js.
  { key: 'lesson', label: 'Lesson', type: 'name', def: '', group: 'page', help: 'The lesson open: a file www/lessons/<name>.json.' },
  { key: 'step', label: 'Lesson step', type: 'int', min: 0, max: 99, def: 0, group: 'page', help: 'The step of the lesson open, from 1; 0 = the one remembered.' },
]
  .map((p) => (p.path ? { ...LIMITS[p.path], ...p } : p))
  .map((p) => ({ ...p, change: changeOf(p) }));

export const PROP = Object.fromEntries(PROPS.map((p) => [p.key, p]));

/** Parts of the page a classroom link may hide besides the property controls. */
export const HIDE_EXTRA = ['backend', 'presets', 'keep'];

/** Names of the control groups, for people. */
export const GROUP_NAMES = { data: 'Data', train: 'Training', g: 'Generator', d: 'Discriminator', stab: 'Stabilisers', run: 'Run', show: 'Pictures', backend: 'Backend choice', presets: 'Pretrained presets', keep: 'Keep and share' };

/**
 * The readout table: each readout of the page (keyed by the id of its `<dd>`), what it measures and
 * what good looks like, with its formula where one helps. The readouts' "?" tips come from here.
 */
export const READOUTS = {
  'backend-info': { label: 'Backend', help: 'Where the training runs: on the processor (CPU, as WebAssembly) or on the graphics card (WebGPU). Both train the same kind of model; only the speed differs.' },
  iteration: { label: 'Iteration', help: 'How many rounds have been trained. One round: k_D updates of D, then k_G updates of G.' },
  ips: { label: 'Iterations / s', help: 'Rounds trained per second. It depends on the computer, the batch size and the size of the networks.' },
  'explain-round': { label: 'Explained round', help: 'While a round is explained: which round, and which of its eight phases the readouts and the picture show.' },
  'round-progress': { label: 'This round', help: 'How far the engine is through a slow round (big networks take seconds per round).' },
  'd-loss': { label: 'D loss', help: 'The loss D tries to make small, on the last batch (its formula: see Objective). For non-saturating and minimax: near 0 means D tells real from generated easily; about 1.39 (= 2 ln 2) means D cannot tell them apart, which is where a finished GAN ends up. Under Wasserstein, −(D loss) estimates how far apart the two distributions are.' },
  'g-loss': { label: 'G loss', help: 'The loss G tries to make small, on the last batch (its formula: see Objective). It rises when D gets better and falls when G fools D, so GAN losses see-saw instead of falling steadily. Non-saturating: 0.69 (= ln 2) when D is unsure.' },
  modes: { label: 'Modes covered', help: 'Ring and grid are made of small clusters (modes). A mode counts as covered when at least 1 % of the generated points land close to it (within 3 σ of its centre). Good: all of them (8 / 8 on the ring). Fewer means mode collapse: G makes only some kinds of points. Missing modes are ringed on the picture.' },
  quality: { label: 'High-quality samples', help: 'The share of generated points that land close to a mode (within 3 σ of its centre). Good: near 100 %.' },
  js: { label: 'Jensen–Shannon', help: 'How different the generated points are from the real ones, counted on a grid of squares over the plane: 0 = the two distributions are the same, 1 = nothing in common. Good: close to 0 (a finite sample never quite reaches it).',
    formula: 'JS(P, Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M),  M = ½(P + Q), logarithms in base 2' },
  'samples-from': { label: 'Samples from', help: 'Which generator draws the purple points: G itself, or the moving average of G’s weights (see Moving average of G).' },
  'grad-norm': { label: 'G’s gradient norm', help: 'How hard G’s update pulls its points: the mean length of the arrows at their true scale. Near 0: G’s gradient has vanished and G cannot learn (minimax against a sure D does this).',
    formula: 'mean over up to 256 generated points of ‖∂ℓ_G/∂x‖' },
};

/** Help for the page's own controls that are not properties: the Run group's buttons and the backend choice. */
export const PAGE_HELP = {
  run: { label: 'Run', help: 'Play trains round after round (space pauses). Step trains one round (→). Step D and Step G update only D or only G once (d, g). Reset starts new networks from the seed (r). Explain a round trains one round slowly, phase by phase (e).' },
  backend: { label: 'Backend', help: 'Where the training runs. auto: the graphics card (WebGPU) when the networks are big enough to gain from it, else the processor (CPU). The run carries over when you switch.' },
};

export function defaults() {
  return Object.fromEntries(PROPS.map((p) => [p.key, Array.isArray(p.def) ? [...p.def] : p.def]));
}

/** The widest span a property's values may come from: its range, and its "off" value if it has one. */
function span(prop) {
  const off = prop.off ?? prop.min;
  return [Math.min(prop.min, off), Math.max(prop.max, off)];
}

function outOfRange(prop) {
  const [lo, hi] = span(prop);
  return { error: `${prop.label} must be in ${lo}–${hi}` };
}

/** { value } when `v` is in the property's range or is its "off" value; else { error }. */
function inRange(prop, v) {
  const [lo, hi] = span(prop);
  if (!Number.isFinite(v) || v < lo || v > hi) return outOfRange(prop);
  if (v === prop.off || (v >= prop.min && v <= prop.max)) return { value: v };
  return { error: `${prop.label} must be ${prop.off} (off) or in ${prop.min}–${prop.max}` };
}

/** A lesson's name (its file www/lessons/<name>.json): small letters, digits and "-". */
export const LESSON_NAME = /^[a-z0-9][a-z0-9-]{0,47}$/;

/**
 * A decimal number: digits with an optional point, sign and exponent (`4096`, `+2`, `4096.0`, `1e3`,
 * `.5`). Written so that no text makes it backtrack: a digit run is never split two ways.
 */
export const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;
const DECIMAL = /^[-+]?(\d*)(?:\.(\d*))?(?:e([-+]?\d+))?$/i;

/** Whether a text that NUMBER accepts denotes a whole number (exactly, digit by digit: `1.5e1` does, `4096.0000001` does not). */
function isWhole(s) {
  const [, int, frac = '', exp = '0'] = DECIMAL.exec(s);
  const digits = int + frac;
  // The decimal point sits `point` digits into `digits`; every digit after it must be 0.
  const point = int.length + Math.max(-1e9, Math.min(1e9, Number(exp)));
  const after = point <= 0 ? digits : point >= digits.length ? '' : digits.slice(point);
  return !/[1-9]/.test(after);
}

/**
 * Parses one value for a property from text (a control or the URL). Returns { value } or
 * { error } with a sentence a person can act on. A whole-number property takes every spelling of a
 * whole number (`4096.0`, `1e3`, `+2`); a number with a fraction is "not a whole number".
 */
export function parseValue(prop, text) {
  const s = String(text).trim();
  switch (prop.type) {
    case 'int': {
      if (!NUMBER.test(s) || !isWhole(s)) return { error: `${prop.label} must be a whole number` };
      // In range, a whole number is exact as a double (the widest range is 0–2³¹−1); -0 is 0.
      return inRange(prop, Number(s) + 0);
    }
    case 'float': {
      if (!NUMBER.test(s)) return { error: `${prop.label} must be a number` };
      return inRange(prop, Number(s));
    }
    case 'enum':
      return prop.options.includes(s) ? { value: s } : { error: `${prop.label} must be one of ${prop.options.join(', ')}` };
    case 'bool':
      if (s === '1' || s === 'true') return { value: true };
      if (s === '0' || s === 'false') return { value: false };
      return { error: `${prop.label} must be 0 or 1` };
    case 'name':
      if (s === '' || LESSON_NAME.test(s)) return { value: s };
      return { error: `${prop.label} must be a name of small letters, digits and "-", not ${quote(s)}` };
    case 'list': {
      const items = s === '' ? [] : s.split(',');
      const bad = items.find((k) => !HIDE_EXTRA.includes(k) && (!Object.hasOwn(PROP, k) || PROP[k].group === 'page'));
      if (bad !== undefined) return { error: `${prop.label}: ${quote(bad)} is not a control` };
      return { value: items };
    }
  }
  return { error: `unknown property type` };
}

/**
 * The property an engine error is about, or null. The engine's config errors start with the field's
 * config path ("optim_g.lr must be in …", see crate/src/limits.rs ConfigError); D's rate under
 * "two time-scale" is G's times TTUR_RATIO, so an error about it belongs to G's rate.
 */
export function fieldOf(text, state = {}) {
  const s = String(text);
  const p = PROPS.find((q) => q.path && (s.startsWith(`${q.path} `) || s.startsWith(`${q.path}:`)));
  if (!p) return null;
  return p.key === 'dLr' && state.ttur ? 'gLr' : p.key;
}

export function formatValue(prop, v) {
  if (prop.type === 'bool') return v ? '1' : '0';
  if (prop.type === 'list') return v.join(',');
  return String(v);
}

/** The pictures a state asks for: { heatmap, manifold, arrows, trueScale } (the 'show' group). */
export const viewOf = (state) => Object.fromEntries(PROPS.filter((p) => p.group === 'show').map((p) => [p.key, state[p.key]]));

/** The engine's TrainConfig for a state. */
export function toConfig(state) {
  const config = {};
  for (const p of PROPS) {
    if (!p.path) continue;
    const parts = p.path.split('.');
    let o = config;
    for (const k of parts.slice(0, -1)) o = o[k] ??= {};
    o[parts.at(-1)] = state[p.key];
  }
  if (state.ttur) config.optim_d.lr = tturLr(state);
  return config;
}

/**
 * The state that a TrainConfig (from a model file) describes; page-only properties come from
 * `base`. A value the page's controls cannot hold (their ranges are the engine's, so only a page
 * out of step with its engine meets one) keeps `base`'s and gets a notice that says so.
 */
export function fromConfig(config, base = defaults()) {
  const state = { ...base, ttur: false };
  const notices = [];
  for (const p of PROPS) {
    if (!p.path) continue;
    const v = p.path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), config);
    if (v === undefined) continue;
    const parsed = parseValue(p, v);
    if (parsed.error) notices.push(`${p.label}: the file's value ${quote(String(v))} runs, but the controls cannot show it (${parsed.error})`);
    else state[p.key] = parsed.value;
  }
  return { state, notices };
}

const MAX_HASH = 64 * 1024;
/** The longest compressed point list (`ptz=`) a link may carry, in characters: what fits in a link with every setting. */
export const MAX_PACKED = 60_000;
/** Unknown settings a notice names; the rest are counted. */
const NAMED_UNKNOWN = 5;

/**
 * Reads a URL hash. Every field is checked on its own: a bad or unknown field is ignored with a
 * notice and the rest still applies. The notices are few whatever the link holds: one per setting,
 * one for all unknown names, one for all malformed parts. Returns { state, points, packed, edits,
 * notices }: `packed` is a compressed point list (`ptz=`, see packPoints) that the caller unpacks,
 * when the link's dataset is drawn points and it carries them that way; `state` is the run's start
 * and `edits` the changes made while it trained (`edits=`, see decodeEdits).
 */
export function fromHash(hash, base = defaults(), basePoints = null) {
  const state = { ...base, hide: [...base.hide] };
  const notices = [];
  let points = null;
  let packed = null;
  let edits = [];
  const text = String(hash ?? '').replace(/^#/, '');
  if (text.length > MAX_HASH) {
    notices.push(`the link is longer than ${MAX_HASH / 1024} kB and was ignored`);
    return { state, points, packed, edits, notices };
  }
  if (text === '') return { state, points, packed, edits, notices };
  const bad = new Map(); // setting → its notice (the last bad value wins)
  const unknown = [];
  const malformed = [];
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let key, raw;
    try {
      key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      raw = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    } catch {
      malformed.push(part);
      continue;
    }
    if (key === 'pts') {
      const decoded = decodePoints(raw);
      if (decoded.error) bad.set(key, `ignored the link's points: ${decoded.error}`);
      else points = decoded.points;
      continue;
    }
    if (key === 'edits') {
      const read = decodeEdits(raw);
      edits = read.edits;
      if (read.bad.length) bad.set(key, editsNotice(read.bad));
      else bad.delete(key);
      continue;
    }
    if (key === 'ptz') {
      if (raw.length > MAX_PACKED) bad.set(key, `ignored the link's points: more than ${MAX_PACKED.toLocaleString('en')} characters`);
      else if (!/^[A-Za-z0-9_-]+$/.test(raw)) bad.set(key, "ignored the link's points: not base64url");
      else packed = raw;
      continue;
    }
    if (!Object.hasOwn(PROP, key)) {
      unknown.push(key);
      continue;
    }
    const parsed = parseValue(PROP[key], raw);
    if (parsed.error) bad.set(key, `ignored ${key}: ${parsed.error}`);
    else {
      state[key] = parsed.value;
      bad.delete(key);
    }
  }
  notices.push(...bad.values());
  if (unknown.length === 1) notices.push(`ignored unknown setting ${quote(unknown[0])}`);
  else if (unknown.length > 1) {
    const named = unknown.slice(0, NAMED_UNKNOWN).map((k) => quote(k, 30)).join(', ');
    const more = unknown.length - NAMED_UNKNOWN;
    notices.push(`ignored ${unknown.length.toLocaleString('en')} unknown settings: ${named}${more > 0 ? ` and ${more.toLocaleString('en')} more` : ''}`);
  }
  if (malformed.length) {
    const more = malformed.length > 1 ? ` (and ${(malformed.length - 1).toLocaleString('en')} more)` : '';
    notices.push(`ignored a malformed part of the link: ${quote(malformed[0], 40)}${more}`);
  }
  if (state.dataset !== 'points' || points) packed = null;
  if (state.dataset === 'points' && !points && !packed && basePoints) points = basePoints;
  if (state.dataset === 'points' && !points && !packed) {
    notices.push('the link names drawn points but carries none: showing the ring instead');
    state.dataset = 'ring';
  }
  return { state, points, packed, edits, notices };
}

/**
 * The hash for a state (every property, so a link stays exact when defaults change), and the
 * changes made while training, `edits` (see encodeEdits), when there are any. Drawn points go in
 * as `pts=` up to MAX_LINK_POINTS; a larger cloud only as `packed`, its packPoints text (computed by
 * the caller, as compressing is asynchronous), when given.
 */
export function toHash(state, points, packed = null, edits = []) {
  const parts = PROPS.filter((p) => p.group !== 'page' || (p.type === 'list' ? state[p.key].length : state[p.key]))
    .map((p) => `${p.key}=${encodeURIComponent(formatValue(p, state[p.key]))}`);
  if (edits.length) parts.push(`edits=${encodeEdits(edits)}`);
  if (state.dataset === 'points' && points) {
    if (points.length / 2 <= MAX_LINK_POINTS) parts.push(`pts=${encodePoints(points)}`);
    else if (packed) parts.push(`ptz=${packed}`);
  }
  return '#' + parts.join('&');
}

// Changes while training, in links: `edits=<iteration>:<key>=<value>,…`, in the order they were
// made, e.g. `edits=500:gLr=0.0003,500:dLr=0.0012,2000:objective=minimax`. Each is a live
// property's new value, taken by the running model when training reaches that iteration (before
// the round after it). Only live properties can change mid-run: any other change is a new run.

/** The most changes a link carries; later ones are dropped with a notice. */
export const MAX_EDITS = 500;
/** Iterations a change may name: whole numbers the engine's counter reaches (and a double holds exactly). */
const MAX_AT = Number.MAX_SAFE_INTEGER;
const EDIT = /^(\d{1,16}):([A-Za-z0-9]{1,20})=(.*)$/s;

/** The `edits=` text of a run's changes ({ at, key, value }, in order). */
export function encodeEdits(edits) {
  return edits.map((e) => `${e.at}:${e.key}=${encodeURIComponent(formatValue(PROP[e.key], e.value))}`).join(',');
}

/**
 * The changes of an `edits=` text, each checked on its own as fromHash checks a setting: a bad one
 * is left out and named in `bad` ({ item, why }), the rest apply. Returns { edits, bad }, `edits`
 * sorted by iteration (a change keeps its place among those of its iteration).
 */
export function decodeEdits(text) {
  const edits = [];
  const bad = [];
  const items = String(text).split(',');
  for (const [i, item] of items.entries()) {
    if (i >= MAX_EDITS) {
      bad.push({ item, why: `more than ${MAX_EDITS} changes`, count: items.length - MAX_EDITS });
      break;
    }
    const m = EDIT.exec(item);
    if (!m) {
      bad.push({ item, why: 'not <iteration>:<setting>=<value>' });
      continue;
    }
    const at = Number(m[1]);
    const p = Object.hasOwn(PROP, m[2]) ? PROP[m[2]] : null;
    if (at > MAX_AT) bad.push({ item, why: 'the iteration is too large' });
    else if (!p) bad.push({ item, why: `${quote(m[2], 20)} is not a setting` });
    else if (p.change !== 'live') bad.push({ item, why: `${p.label} cannot change while training (it needs a new run)` });
    else {
      const parsed = parseValue(p, m[3]);
      if (parsed.error) bad.push({ item, why: parsed.error });
      else edits.push({ at, key: p.key, value: parsed.value });
    }
  }
  edits.sort((a, b) => a.at - b.at);
  return { edits, bad };
}

/** One notice for every bad change of a link. */
function editsNotice(bad) {
  const n = bad.reduce((sum, b) => sum + (b.count ?? 1), 0);
  const more = n > 1 ? ` (and ${(n - 1).toLocaleString('en')} more)` : '';
  return `ignored ${n === 1 ? 'a change' : `${n.toLocaleString('en')} changes`} of the link: ${quote(bad[0].item, 40)}: ${bad[0].why}${more}`;
}

/** The settings in force after the first `count` changes of a run that started with `start`. */
export function stateAfter(start, edits, count = edits.length) {
  const state = { ...start };
  for (const e of edits.slice(0, count)) state[e.key] = e.value;
  return state;
}

/** How many of a run's changes (sorted) are made by iteration `at`. */
export const editsBy = (edits, at) => edits.filter((e) => e.at <= at).length;

/** The engine's schedule of a run's changes: one config per iteration that has any, with all of them up to it. */
export function scheduleOf(start, edits) {
  const out = [];
  let state = { ...start };
  edits.forEach((e, i) => {
    state = { ...state, [e.key]: e.value };
    if (edits[i + 1]?.at !== e.at) out.push({ at: e.at, config: toConfig(state) });
  });
  return out;
}

/** Changes in a few words, for a mark on the charts: "G rate 0.0003, k_D 2". */
export function editLabel(edits) {
  const shown = (p, v) => (p.type === 'bool' ? (v ? 'on' : 'off') : p.type === 'enum' ? v.replaceAll('_', ' ') : formatValue(p, v));
  return edits.map((e) => `${PROP[e.key].short ?? e.key} ${shown(PROP[e.key], e.value)}`).join(', ');
}

// Points in links: each coordinate in [−3, 3] as a 16-bit integer, little-endian, base64url
// (`pts=`); a larger cloud's bytes deflated first (`ptz=`).
const SCALE = 32767 / 3;

function quantise(points) {
  const q = new Int16Array(points.length);
  for (let i = 0; i < points.length; i++) q[i] = Math.round(Math.max(-3, Math.min(3, points[i])) * SCALE);
  return new Uint8Array(q.buffer);
}

function toBase64url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** Bytes from base64url text, or null when it is not base64url. */
function fromBase64url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const bin = atob(text.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (text.length % 4)) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Points from quantised bytes: { points } or { error }. */
function fromQuantised(bytes, max) {
  if (bytes.length === 0 || bytes.length % 4 !== 0) return { error: 'not a whole number of points' };
  if (bytes.length / 4 > max) return { error: `more than ${max.toLocaleString('en')} points` };
  const q = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
  // −32768 has no partner in the encoding (found by tests/fuzz.mjs): read it as −32767, so every point stays in the plane.
  return { points: Float32Array.from(q, (v) => Math.max(-32767, v) / SCALE) };
}

export function encodePoints(points) {
  return toBase64url(quantise(points));
}

export function decodePoints(text) {
  const bytes = fromBase64url(text);
  if (!bytes) return { error: 'not base64url' };
  return fromQuantised(bytes, MAX_LINK_POINTS);
}

/** The `ptz=` text of a point cloud: its quantised bytes, deflated, base64url; null when longer than MAX_PACKED. */
export async function packPoints(points) {
  const deflated = await new Response(new Blob([quantise(points)]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer();
  // Base64 makes 4 characters of every 3 bytes: do not encode what cannot fit.
  if (Math.ceil((deflated.byteLength * 4) / 3) > MAX_PACKED) return null;
  return toBase64url(new Uint8Array(deflated));
}

/**
 * The points of a `ptz=` text: { points } or { error }. Stops inflating past MAX_POINTS points, so
 * a small text that inflates to gigabytes costs no more than a full cloud.
 */
export async function unpackPoints(text) {
  const bytes = typeof text === 'string' && text.length <= MAX_PACKED ? fromBase64url(text) : null;
  if (!bytes || bytes.length === 0) return { error: 'not base64url' };
  const limit = MAX_POINTS * 4;
  const chunks = [];
  let size = 0;
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        reader.cancel().catch(() => {});
        return { error: `more than ${MAX_POINTS.toLocaleString('en')} points` };
      }
      chunks.push(value);
    }
  } catch {
    return { error: 'not compressed points' };
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return fromQuantised(all, MAX_POINTS);
}
