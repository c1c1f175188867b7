// The property table: one list of properties drives the controls, their validation and the URL
// hash (the TF Playground way). Pure: no DOM, no worker. Every property the engine reads takes its
// type, range, options and default from the engine itself (limits.js); groups are ours, and labels,
// help and formulas are in the string tables (www/strings/), keyed prop.<key>.label|short|help|formula.
import { LIMITS, MAX_POINTS, EXTENT, NEW_RUN } from './limits.js';
import { quote } from './text.js';
import { t, has, normaliseNumber } from './i18n.js';

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

/** The numbers the property texts name. */
const PROP_PARAMS = { ratio: TTUR_RATIO, emaOff: LIMITS.ema.off, emaMin: LIMITS.ema.min, emaMax: LIMITS.ema.max };

/** The texts of a table entry (`prop.gLr`, `readout.js`): label and help, and short and formula where the table has them. */
function textsOf(base, params) {
  const out = { label: t(`${base}.label`, params), help: t(`${base}.help`, params) };
  for (const k of ['short', 'formula']) if (has(`${base}.${k}`)) out[k] = t(`${base}.${k}`, params);
  return out;
}

/** The controls both networks have, keyed `${p}Layers`, `${p}Lr`, …; `p` is also their group. */
function network(p, net, optim) {
  const group = p;
  const adam = (s) => s[`${p}Opt`] === 'adam';
  const noHidden = (s) => s[`${p}Layers`] === 0;
  return [
    { key: `${p}Layers`, group, path: `${net}.hidden_layers` },
    { key: `${p}Width`, group, path: `${net}.width`, unused: noHidden },
    { key: `${p}Act`, group, path: `${net}.activation`, unused: noHidden },
    { key: `${p}Opt`, group, path: `${optim}.kind` },
    { key: `${p}Lr`, group, path: `${optim}.lr`, ...(p === 'd' ? followsG : {}) },
    { key: `${p}Beta1`, group, path: `${optim}.beta1`, unused: (s) => !adam(s) },
    { key: `${p}Beta2`, group, path: `${optim}.beta2`, unused: (s) => !adam(s) },
    { key: `${p}Mom`, group, path: `${optim}.momentum`, unused: adam },
  ];
}

/**
 * How a change of a property reaches the run: 'new' (a new run: its config path is under one of the
 * engine's NEW_RUN fields, which Trainer::retune refuses to change in a running model), 'live' (the
 * running model takes it) or 'page'.
 */
function changeOf(p) {
  if (!p.path) return p.live ? 'live' : 'page';
  return NEW_RUN.includes(p.path.split('.')[0]) ? 'new' : 'live';
}

/** Iterations per second for each speed step (5 = as fast as the machine goes). */
export const SPEEDS = [0, 2, 10, 50, 250, Infinity];

/**
 * Every property: `key` (in the URL and the control's id), `label`, `group` (where its control
 * sits), `path` into the engine's config (absent for page-only properties), `help` (plain words for
 * the control's "?" tip: the one help text of the property) and `formula` (optional: the maths, one
 * line per case, shown under the help); the texts come from the string tables. A property
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
  { key: 'dataset', group: 'data', path: 'dataset', widget: 'thumbs' },
  { key: 'seed', group: 'data', path: 'seed' },
  { key: 'objective', group: 'train', path: 'objective' },
  { key: 'batch', group: 'train', path: 'batch_size' },
  { key: 'kd', group: 'train', path: 'k_d' },
  { key: 'kg', group: 'train', path: 'k_g' },
  { key: 'zdim', group: 'g', path: 'generator.latent_dim' },
  { key: 'noise', group: 'g', path: 'generator.noise' },
  ...network('g', 'generator', 'optim_g'),
  ...network('d', 'discriminator', 'optim_d'),
  { key: 'smooth', group: 'stab', path: 'label_smoothing', unused: (s) => !['non_saturating', 'minimax', 'least_squares'].includes(s.objective) },
  { key: 'ttur', live: true, type: 'bool', def: false, group: 'stab' },
  { key: 'ema', group: 'stab', path: 'ema' },
  { key: 'clip', group: 'stab', path: 'clip', unused: (s) => s.objective !== 'wasserstein' },
  { key: 'gp', group: 'stab', path: 'gp_weight', unused: (s) => s.objective !== 'wasserstein_gp' },
  // Page-only properties.
  { key: 'speed', type: 'int', min: 1, max: 5, def: 5, group: 'run', widget: 'range',
    readout: (v) => (Number.isFinite(SPEEDS[v]) ? t('prop.speed.rate', { n: SPEEDS[v] }) : t('prop.speed.fastest')) },
  { key: 'heatmap', type: 'bool', def: true, group: 'show' },
  { key: 'manifold', type: 'bool', def: false, group: 'show' },
  { key: 'arrows', type: 'bool', def: false, group: 'show' },
  { key: 'trueScale', type: 'bool', def: false, group: 'show', unused: (s) => !s.arrows },
  { key: 'hide', type: 'list', def: [], group: 'page' },
  { key: 'embed', type: 'bool', def: false, group: 'page' },
  // The lesson open and its step, so that a link (and a reload) returns to it; see playground/lesson.js.
  { key: 'lesson', type: 'name', def: '', group: 'page' },
  { key: 'step', type: 'int', min: 0, max: 99, def: 0, group: 'page' },
]
  .map((p) => (p.path ? { ...LIMITS[p.path], ...p } : p))
  .map((p) => ({ ...p, ...textsOf(`prop.${p.key}`, PROP_PARAMS), change: changeOf(p) }));

export const PROP = Object.fromEntries(PROPS.map((p) => [p.key, p]));

/** Parts of the page a classroom link may hide besides the property controls. */
export const HIDE_EXTRA = ['backend', 'presets', 'keep'];

/** Names of the control groups, for people. */
export const GROUP_NAMES = Object.fromEntries(['data', 'train', 'g', 'd', 'stab', 'run', 'show', 'backend', 'presets', 'keep'].map((g) => [g, t(`prop.group.${g}`)]));

/** How option `value` of enum property `key` reads: its table entry (prop.<key>.option.<value>), else the value in words. */
export function optionLabel(key, value) {
  const entry = `prop.${key}.option.${value}`;
  return has(entry) ? t(entry) : String(value).replaceAll('_', ' ');
}

/**
 * The readout table: each readout of the page (keyed by the id of its `<dd>`), what it measures and
 * what good looks like, with its formula where one helps (readout.<id>.label|help|formula in the
 * string tables). The readouts' "?" tips come from here.
 */
export const READOUTS = Object.fromEntries(
  ['backend-info', 'iteration', 'ips', 'explain-round', 'round-progress', 'd-loss', 'g-loss', 'modes', 'quality', 'js', 'samples-from', 'grad-norm'].map((id) => [id, textsOf(`readout.${id}`)]),
);

/** Help for the page's own controls that are not properties: the Run group's buttons and the backend choice. */
export const PAGE_HELP = { run: textsOf('prop.page.run'), backend: textsOf('prop.page.backend') };

export function defaults() {
  return Object.fromEntries(PROPS.map((p) => [p.key, Array.isArray(p.def) ? [...p.def] : p.def]));
}

/** A limit as a person types it (and as the engine's messages write it): no grouping, so it can be copied back. */
const typed = (v) => String(v);

/** The widest span a property's values may come from: its range, and its "off" value if it has one. */
function span(prop) {
  const off = prop.off ?? prop.min;
  return [Math.min(prop.min, off), Math.max(prop.max, off)];
}

function outOfRange(prop) {
  const [lo, hi] = span(prop);
  return { error: t('prop.error.range', { label: prop.label, min: typed(lo), max: typed(hi) }) };
}

/** { value } when `v` is in the property's range or is its "off" value; else { error }. */
function inRange(prop, v) {
  const [lo, hi] = span(prop);
  if (!Number.isFinite(v) || v < lo || v > hi) return outOfRange(prop);
  if (v === prop.off || (v >= prop.min && v <= prop.max)) return { value: v };
  return { error: t('prop.error.rangeOff', { label: prop.label, off: typed(prop.off), min: typed(prop.min), max: typed(prop.max) }) };
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
 * whole number (`4096.0`, `1e3`, `+2`); a number with a fraction is "not a whole number". Numbers
 * are read as normaliseNumber gives them: full-width digits (Chinese input methods) and a decimal
 * comma where the page's language writes one are taken too.
 */
export function parseValue(prop, text) {
  const s = String(text).trim();
  // Plain ASCII without a comma is already what normaliseNumber would give (and a long one costs nothing more).
  const number = () => (/[^\x21-\x7e]|,/.test(s) ? normaliseNumber(s) : s);
  const label = prop.label;
  switch (prop.type) {
    case 'int': {
      const n = number();
      if (!NUMBER.test(n) || !isWhole(n)) return { error: t('prop.error.whole', { label }) };
      // In range, a whole number is exact as a double (the widest range is 0–2³¹−1); -0 is 0.
      return inRange(prop, Number(n) + 0);
    }
    case 'float': {
      const n = number();
      if (!NUMBER.test(n)) return { error: t('prop.error.number', { label }) };
      return inRange(prop, Number(n));
    }
    case 'enum':
      return prop.options.includes(s) ? { value: s } : { error: t('prop.error.option', { label, options: prop.options.join(', ') }) };
    case 'bool':
      if (s === '1' || s === 'true') return { value: true };
      if (s === '0' || s === 'false') return { value: false };
      return { error: t('prop.error.bool', { label }) };
    case 'name':
      if (s === '' || LESSON_NAME.test(s)) return { value: s };
      return { error: t('prop.error.name', { label, value: quote(s) }) };
    case 'list': {
      const items = s === '' ? [] : s.split(',');
      const bad = items.find((k) => !HIDE_EXTRA.includes(k) && (!Object.hasOwn(PROP, k) || PROP[k].group === 'page'));
      if (bad !== undefined) return { error: t('prop.error.control', { label, value: quote(bad) }) };
      return { value: items };
    }
  }
  // A programming error: every type is handled above.
  return { error: `unknown property type ${prop.type}` }; // not shown
}

/**
 * The property an engine error is about, or null. The engine's config errors start with the field's
 * config path ("optim_g.lr must be in …", see crate/src/limits.rs ConfigError), in every language
 * (engine-messages.js keeps it in front); D's rate under "two time-scale" is G's times TTUR_RATIO,
 * so an error about it belongs to G's rate.
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
    if (parsed.error) notices.push(t('prop.notice.fileValue', { label: p.label, value: quote(String(v)), why: parsed.error }));
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
    notices.push(t('link.tooLong', { kb: MAX_HASH / 1024 }));
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
      if (decoded.error) bad.set(key, t('link.points', { why: decoded.error }));
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
      if (raw.length > MAX_PACKED) bad.set(key, t('link.points', { why: t('link.why.chars', { n: MAX_PACKED }) }));
      else if (!/^[A-Za-z0-9_-]+$/.test(raw)) bad.set(key, t('link.points', { why: t('link.why.base64') }));
      else packed = raw;
      continue;
    }
    if (!Object.hasOwn(PROP, key)) {
      unknown.push(key);
      continue;
    }
    const parsed = parseValue(PROP[key], raw);
    if (parsed.error) bad.set(key, t('link.ignored', { key, why: parsed.error }));
    else {
      state[key] = parsed.value;
      bad.delete(key);
    }
  }
  notices.push(...bad.values());
  if (unknown.length === 1) notices.push(t('link.unknown', { name: quote(unknown[0]) }));
  else if (unknown.length > 1) {
    const names = unknown.slice(0, NAMED_UNKNOWN).map((k) => quote(k, 30)).join(', ');
    const more = unknown.length - NAMED_UNKNOWN;
    notices.push(more > 0 ? t('link.unknownsMore', { n: unknown.length, names, more }) : t('link.unknowns', { n: unknown.length, names }));
  }
  if (malformed.length) {
    const part = quote(malformed[0], 40);
    notices.push(malformed.length > 1 ? t('link.malformedMore', { part, more: malformed.length - 1 }) : t('link.malformed', { part }));
  }
  if (state.dataset !== 'points' || points) packed = null;
  if (state.dataset === 'points' && !points && !packed && basePoints) points = basePoints;
  if (state.dataset === 'points' && !points && !packed) {
    notices.push(t('link.noPoints'));
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
      bad.push({ item, why: t('link.why.edits', { n: MAX_EDITS }), count: items.length - MAX_EDITS });
      break;
    }
    const m = EDIT.exec(item);
    if (!m) {
      bad.push({ item, why: t('link.why.edit') });
      continue;
    }
    const at = Number(m[1]);
    const p = Object.hasOwn(PROP, m[2]) ? PROP[m[2]] : null;
    if (at > MAX_AT) bad.push({ item, why: t('link.why.late') });
    else if (!p) bad.push({ item, why: t('link.why.setting', { name: quote(m[2], 20) }) });
    else if (p.change !== 'live') bad.push({ item, why: t('link.why.notLive', { label: p.label }) });
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
  const what = { item: quote(bad[0].item, 40), why: bad[0].why };
  return n === 1 ? t('link.edit', what) : t('link.edits', { ...what, n, more: n - 1 });
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
  const shown = (p, v) => (p.type === 'bool' ? t(v ? 'prop.value.on' : 'prop.value.off') : p.type === 'enum' ? optionLabel(p.key, v) : formatValue(p, v));
  return edits.map((e) => `${PROP[e.key].short ?? e.key} ${shown(PROP[e.key], e.value)}`).join(', ');
}

// Points in links: each coordinate in [−EXTENT, EXTENT] as a 16-bit integer, little-endian, base64url
// (`pts=`); a larger cloud's bytes deflated first (`ptz=`).
const SCALE = 32767 / EXTENT;

function quantise(points) {
  const q = new Int16Array(points.length);
  for (let i = 0; i < points.length; i++) q[i] = Math.round(Math.max(-EXTENT, Math.min(EXTENT, points[i])) * SCALE);
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
  if (bytes.length === 0 || bytes.length % 4 !== 0) return { error: t('link.why.whole') };
  if (bytes.length / 4 > max) return { error: t('link.why.points', { n: max }) };
  const q = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
  // −32768 has no partner in the encoding (found by tests/fuzz.mjs): read it as −32767, so every point stays in the plane.
  return { points: Float32Array.from(q, (v) => Math.max(-32767, v) / SCALE) };
}

export function encodePoints(points) {
  return toBase64url(quantise(points));
}

export function decodePoints(text) {
  const bytes = fromBase64url(text);
  if (!bytes) return { error: t('link.why.base64') };
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
  if (!bytes || bytes.length === 0) return { error: t('link.why.base64') };
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
        return { error: t('link.why.points', { n: MAX_POINTS }) };
      }
      chunks.push(value);
    }
  } catch {
    return { error: t('link.why.packed') };
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return fromQuantised(all, MAX_POINTS);
}
