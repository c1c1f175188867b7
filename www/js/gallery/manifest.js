// The gallery's model list (models/manifest.json), checked entry by entry: a bad entry is left out
// with a short reason and the others still load. Pure (no DOM, no fetch), so the worker, the page
// and node (tests/fuzz-gallery.mjs) use the same checks. The worker reads the list (off the main
// thread) and checks every entry again before it fetches anything for it.

import { excerpt, quote } from '../text.js';

/** At most this many entries are used; the page says how many more were left out. */
export const MAX_ENTRIES = 50;
/** The largest weight file the gallery downloads (the shipped ones are 0.5–1.2 MB; crate/tests/shipped.rs). */
export const MAX_MODEL_BYTES = 2_000_000;
/** The largest model list the worker reads. */
export const MAX_MANIFEST_BYTES = 4_000_000;
/** The most classes a generator may have (the engine's limit, crate/src/model/conv.rs). */
export const MAX_CLASSES = 1000;

const MAX_ID = 40;
const MAX_LABEL = 60;
const MAX_TEXT = 200; // dataset, licence
const MAX_CLASS_NAME = 60;
const MAX_PATH = 200;
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
// Path segments of letters, digits, '.', '_' and '-', none starting with '.': so no '..', no
// scheme (no ':'), no '//', no backslash, no '%' escapes, no '?' or '#'.
const PATH = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/** What a value is, in words, for "… got …". */
function kind(v) {
  if (v === undefined) return 'it is missing';
  if (v === null) return 'it is null';
  if (Array.isArray(v)) return 'it is a list';
  if (typeof v === 'string') return `it is the text ${quote(v, 20)}`;
  if (typeof v === 'number') return `it is ${excerpt(v)}`;
  return `it is ${typeof v === 'object' ? 'an object' : `a ${typeof v}`}`;
}

const own = (o, k) => (Object.hasOwn(o, k) ? o[k] : undefined);

function text(raw, key, max, { optional = false } = {}) {
  const v = own(raw, key);
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string') throw new Error(`"${key}" must be some text; ${kind(v)}`);
  if (v.length > max) throw new Error(`"${key}" is ${v.length.toLocaleString('en')} characters long; at most ${max} are allowed`);
  if (v.trim() === '') throw new Error(`"${key}" is empty`);
  return v;
}

function whole(raw, key, min, max, { optional = false } = {}) {
  const v = own(raw, key);
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`"${key}" must be a whole number; ${kind(v)}`);
  if (v < min || v > max) throw new Error(`"${key}" must be from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}; it is ${excerpt(v)}`);
  return v;
}

/**
 * A file named by the model list, as a URL under `modelsUrl` (a URL ending in "models/"), or an
 * Error saying why not. Only a plain relative path inside the models folder passes: no other site,
 * no "//", no "..", no backslash, no "%" escapes; and the resolved URL is checked again.
 */
export function modelFileUrl(path, modelsUrl, endings = ['.gpk']) {
  if (typeof path !== 'string' || path === '') throw new Error(`it must be a file name; ${kind(path)}`);
  if (path.length > MAX_PATH) throw new Error(`the file name is ${path.length.toLocaleString('en')} characters long; at most ${MAX_PATH} are allowed`);
  if (!PATH.test(path)) throw new Error(`${quote(path)} is not a plain file name in the models folder (like "digits.gpk"): the gallery loads only its own files`);
  if (!endings.some((e) => path.toLowerCase().endsWith(e))) throw new Error(`${quote(path)} must end in ${endings.join(' or ')}`);
  const base = new URL(modelsUrl);
  const url = new URL(path, base);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname) || url.search || url.hash) {
    throw new Error(`${quote(path)} leads outside the models folder`);
  }
  return url;
}

const IMAGES = ['.png', '.jpg', '.jpeg', '.webp'];

/** What a refused entry's button says, in plain words, by the field at fault (the message says more). */
const SHORT = {
  entry: 'these are not a model\'s details',
  id: 'its id is missing or wrong',
  label: 'its name is missing or too long',
  file: 'its weight file is not in the models folder',
  bytes: 'its file size is missing or wrong',
  preview: 'its preview picture is not in the models folder',
  size: 'its image size is wrong',
  channels: 'its colour channels are wrong',
  latent_dim: 'its noise size is wrong',
  classes: 'its list of classes is missing or wrong',
  dataset: 'its dataset text is wrong',
  licence: 'its licence text is wrong',
  steps: 'its step count is wrong',
};

/** An Error with the detailed `message` and the plain `short` reason for the button. */
const refusal = (message, short) => Object.assign(new Error(message), { short });

/** Runs `check`; an error it throws gets `field`'s short reason (and `prefix` before its message). */
function field(name, check, prefix = '') {
  try {
    return check();
  } catch (e) {
    throw refusal(`${prefix}${e.message}`, e.short ?? SHORT[name]);
  }
}

/**
 * One entry of the model list → the entry the page and the worker use (only the fields they read,
 * each checked), or an Error with the reason (`message`, detailed; `short`, in plain words).
 * `modelsUrl`: where the models folder is.
 */
export function checkEntry(raw, modelsUrl) {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw refusal(`an entry must be an object with the model's details; ${kind(raw)}`, SHORT.entry);
  const entry = {};
  entry.id = field('id', () => {
    const id = text(raw, 'id', MAX_ID);
    if (!ID.test(id)) throw new Error(`"id" must be letters, digits, "-" and "_" only; it is ${quote(id, 20)}`);
    return id;
  });
  entry.label = field('label', () => text(raw, 'label', MAX_LABEL));
  field('file', () => {
    if (own(raw, 'file') === undefined) throw refusal('the weight file\'s name is missing', 'it names no weight file');
    modelFileUrl(own(raw, 'file'), modelsUrl);
  }, '"file": ');
  entry.file = raw.file;
  entry.bytes = field('bytes', () => {
    const bytes = whole(raw, 'bytes', 1, Number.MAX_SAFE_INTEGER);
    if (bytes > MAX_MODEL_BYTES) {
      const mb = (bytes / 1e6).toLocaleString('en', { maximumFractionDigits: 1 });
      throw refusal(`its file is ${mb} MB; the gallery loads files of at most ${MAX_MODEL_BYTES / 1e6} MB`, `its file is too large (${mb} MB; at most ${MAX_MODEL_BYTES / 1e6} MB)`);
    }
    return bytes;
  });
  const preview = own(raw, 'preview');
  if (preview !== undefined) {
    field('preview', () => modelFileUrl(preview, modelsUrl, IMAGES), '"preview": ');
    entry.preview = preview;
  }
  entry.size = field('size', () => whole(raw, 'size', 1, 1024));
  entry.channels = field('channels', () => {
    const channels = whole(raw, 'channels', 1, 3);
    if (channels === 2) throw new Error('"channels" must be 1 (grey) or 3 (colour); it is 2');
    return channels;
  });
  entry.latent_dim = field('latent_dim', () => whole(raw, 'latent_dim', 1, 4096));
  entry.classes = field('classes', () => {
    const classes = own(raw, 'classes');
    if (!Array.isArray(classes)) throw new Error(`"classes" must be a list of class names ([] for none); ${kind(classes)}`);
    if (classes.length > MAX_CLASSES) throw new Error(`"classes" has ${classes.length.toLocaleString('en')} names; at most ${MAX_CLASSES} are allowed`);
    for (let i = 0; i < classes.length; i++) {
      const c = classes[i];
      if (typeof c !== 'string' || c === '') throw new Error(`class ${i + 1} must be a name; ${kind(c)}`);
      if (c.length > MAX_CLASS_NAME) throw new Error(`class ${i + 1} is ${c.length.toLocaleString('en')} characters long; at most ${MAX_CLASS_NAME} are allowed`);
    }
    return [...classes];
  });
  entry.dataset = field('dataset', () => text(raw, 'dataset', MAX_TEXT, { optional: true })) ?? 'dataset not given';
  entry.licence = field('licence', () => text(raw, 'licence', MAX_TEXT, { optional: true })) ?? 'licence not given';
  entry.steps = field('steps', () => whole(raw, 'steps', 0, 1e12, { optional: true })) ?? 0;
  return entry;
}

/**
 * What to call an entry: its label, else its id, else its place in the list; `name` in quotation
 * marks, for a sentence, `label` without, for its button.
 */
export function entryName(raw, index) {
  const label = raw && typeof raw === 'object' ? own(raw, 'label') : undefined;
  const id = raw && typeof raw === 'object' ? own(raw, 'id') : undefined;
  for (const [v, max] of [[label, MAX_LABEL], [id, MAX_ID]]) {
    if (typeof v === 'string' && v.length <= max && v.trim()) return { name: quote(v.trim()), label: excerpt(v.trim()) };
  }
  return { name: `entry ${index + 1}`, label: `entry ${index + 1}` };
}

/**
 * The parsed model list → { entries, refused, ignored, total }: `entries` the usable ones (checked,
 * in order, ids unique), `refused` [{ index, name, label, id, reason, short }] the others (`reason`
 * detailed, for the message; `short` in plain words, for the button), `ignored` how many past
 * MAX_ENTRIES were not looked at. Throws (with a sentence) when the list itself is unusable.
 */
export function readManifest(data, modelsUrl) {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error(`it must be an object with a "models" list; ${kind(data)}`);
  const list = own(data, 'models');
  if (!Array.isArray(list)) throw new Error(`its "models" must be a list; ${kind(list)}`);
  if (list.length === 0) throw new Error('its "models" list is empty');
  const entries = [];
  const refused = [];
  const seen = new Set();
  const n = Math.min(list.length, MAX_ENTRIES);
  for (let index = 0; index < n; index++) {
    const raw = list[index];
    try {
      const entry = checkEntry(raw, modelsUrl);
      if (seen.has(entry.id)) throw refusal(`its "id" ${quote(entry.id)} is used by an earlier entry`, 'a model above has the same id');
      seen.add(entry.id);
      entries.push({ ...entry, index });
    } catch (e) {
      // The id of a refused entry only where it is a well-formed one (a link may name it).
      const rawId = raw && typeof raw === 'object' ? own(raw, 'id') : undefined;
      const id = typeof rawId === 'string' && rawId.length <= MAX_ID && ID.test(rawId) ? rawId : null;
      refused.push({ index, ...entryName(raw, index), id, reason: e.message, short: e.short ?? 'its details are wrong' });
    }
  }
  return { entries, refused, ignored: list.length - n, total: list.length };
}
