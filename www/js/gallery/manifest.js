// The gallery's model list (models/manifest.json), checked entry by entry: a bad entry is left out
// with a short reason and the others still load. Pure (no DOM, no fetch), so the worker, the page
// and node (tests/fuzz-gallery.mjs) use the same checks. The worker reads the list (off the main
// thread) and checks every entry again before it fetches anything for it.

import { excerpt, quote } from '../text.js';
import { t, fmt, lang } from '../i18n.js';

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
  if (v === undefined) return t('gal.kind.missing');
  if (v === null) return t('gal.kind.null');
  if (Array.isArray(v)) return t('gal.kind.list');
  if (typeof v === 'string') return t('gal.kind.text', { text: quote(v, 20) });
  // The value as the list writes it (not rounded for the locale).
  if (typeof v === 'number') return t('gal.kind.number', { value: excerpt(v) });
  return typeof v === 'object' ? t('gal.kind.object') : t('gal.kind.other', { type: typeof v });
}

const own = (o, k) => (Object.hasOwn(o, k) ? o[k] : undefined);

function text(raw, key, max, { optional = false } = {}) {
  const v = own(raw, key);
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string') throw new Error(t('gal.check.text', { key, kind: kind(v) }));
  if (v.length > max) throw new Error(t('gal.check.tooLong', { key, n: v.length, max }));
  if (v.trim() === '') throw new Error(t('gal.check.empty', { key }));
  return v;
}

function whole(raw, key, min, max, { optional = false } = {}) {
  const v = own(raw, key);
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(t('gal.check.whole', { key, kind: kind(v) }));
  if (v < min || v > max) throw new Error(t('gal.check.range', { key, min, max, value: excerpt(v) }));
  return v;
}

/**
 * A file named by the model list, as a URL under `modelsUrl` (a URL ending in "models/"), or an
 * Error saying why not. Only a plain relative path inside the models folder passes: no other site,
 * no "//", no "..", no backslash, no "%" escapes; and the resolved URL is checked again.
 */
export function modelFileUrl(path, modelsUrl, endings = ['.gpk']) {
  if (typeof path !== 'string' || path === '') throw new Error(t('gal.check.fileName', { kind: kind(path) }));
  if (path.length > MAX_PATH) throw new Error(t('gal.check.fileNameLong', { n: path.length, max: MAX_PATH }));
  if (!PATH.test(path)) throw new Error(t('gal.check.notPlain', { file: quote(path) }));
  if (!endings.some((e) => path.toLowerCase().endsWith(e))) throw new Error(t('gal.check.ending', { file: quote(path), endings: new Intl.ListFormat(lang, { type: 'disjunction' }).format(endings) }));
  const base = new URL(modelsUrl);
  const url = new URL(path, base);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname) || url.search || url.hash) {
    throw new Error(t('gal.check.outside', { file: quote(path) }));
  }
  return url;
}

const IMAGES = ['.png', '.jpg', '.jpeg', '.webp'];

/** What a refused entry's button says, in plain words, by the field at fault (the message says more): gal.short.<field>. */
const short = (field) => t(`gal.short.${field}`);

/** An Error with the detailed `message` and the plain `short` reason for the button. */
const refusal = (message, short) => Object.assign(new Error(message), { short });

/** Runs `check`; an error it throws gets `field`'s short reason (and `prefix` before its message). */
function field(name, check, prefix = '') {
  try {
    return check();
  } catch (e) {
    throw refusal(`${prefix}${e.message}`, e.short ?? short(name));
  }
}

/**
 * One entry of the model list → the entry the page and the worker use (only the fields they read,
 * each checked), or an Error with the reason (`message`, detailed; `short`, in plain words).
 * `modelsUrl`: where the models folder is.
 */
export function checkEntry(raw, modelsUrl) {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw refusal(t('gal.check.entry', { kind: kind(raw) }), short('entry'));
  const entry = {};
  entry.id = field('id', () => {
    const id = text(raw, 'id', MAX_ID);
    if (!ID.test(id)) throw new Error(t('gal.check.id', { id: quote(id, 20) }));
    return id;
  });
  entry.label = field('label', () => text(raw, 'label', MAX_LABEL));
  field('file', () => {
    if (own(raw, 'file') === undefined) throw refusal(t('gal.check.noFile'), t('gal.short.noFile'));
    modelFileUrl(own(raw, 'file'), modelsUrl);
  }, '"file": ');
  entry.file = raw.file;
  entry.bytes = field('bytes', () => {
    const bytes = whole(raw, 'bytes', 1, Number.MAX_SAFE_INTEGER);
    if (bytes > MAX_MODEL_BYTES) {
      const sizes = { mb: fmt(bytes / 1e6, { maximumFractionDigits: 1 }), max: MAX_MODEL_BYTES / 1e6 };
      throw refusal(t('gal.check.tooLarge', sizes), t('gal.short.tooLarge', sizes));
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
    if (channels === 2) throw new Error(t('gal.check.channels'));
    return channels;
  });
  entry.latent_dim = field('latent_dim', () => whole(raw, 'latent_dim', 1, 4096));
  entry.classes = field('classes', () => {
    const classes = own(raw, 'classes');
    if (!Array.isArray(classes)) throw new Error(t('gal.check.classes', { kind: kind(classes) }));
    if (classes.length > MAX_CLASSES) throw new Error(t('gal.check.manyClasses', { n: classes.length, max: MAX_CLASSES }));
    for (let i = 0; i < classes.length; i++) {
      const c = classes[i];
      if (typeof c !== 'string' || c === '') throw new Error(t('gal.check.className', { i: i + 1, kind: kind(c) }));
      if (c.length > MAX_CLASS_NAME) throw new Error(t('gal.check.classLong', { i: i + 1, n: c.length, max: MAX_CLASS_NAME }));
    }
    return [...classes];
  });
  entry.dataset = field('dataset', () => text(raw, 'dataset', MAX_TEXT, { optional: true })) ?? t('gal.entry.noDataset');
  entry.licence = field('licence', () => text(raw, 'licence', MAX_TEXT, { optional: true })) ?? t('gal.entry.noLicence');
  entry.steps = field('steps', () => whole(raw, 'steps', 0, 1e12, { optional: true })) ?? 0;
  const metrics = quality(own(raw, 'metrics'));
  if (metrics) entry.metrics = metrics;
  return entry;
}

/**
 * The figures of `ganplay evaluate` that the page shows ("How good is it?"), under the names the
 * list gives them, or null when they are missing or out of range: they only inform, so the model
 * is used either way. Checking the result again gives the same.
 */
export function quality(m) {
  if (m === null || typeof m !== 'object' || Array.isArray(m)) return null;
  const fraction = (k) => {
    const v = own(m, k);
    return typeof v === 'number' && v >= 0 && v <= 1 ? v : null;
  };
  const share = fraction('requested_class_share');
  const real = fraction('real_requested_class_share');
  const ratio = own(m, 'frechet_ratio');
  const samples = own(m, 'samples');
  const perClass = own(m, 'per_class');
  const reference = own(m, 'reference');
  if (share === null || real === null || !(typeof ratio === 'number' && ratio > 0 && ratio < 1e6)) return null;
  if (!Number.isInteger(samples) || samples < 1 || samples > 1e9) return null;
  // Like for like: as many of each class on every side, and what the real figures are measured on.
  if (!Number.isInteger(perClass) || perClass < 1 || perClass > samples) return null;
  if (!REFERENCES.includes(reference)) return null;
  return { requested_class_share: share, real_requested_class_share: real, frechet_ratio: ratio, samples, per_class: perClass, reference };
}

/**
 * What a model's "real" figures are measured on (`ganplay evaluate`, crate/src/tools/evaluate.rs):
 * `held_out`, real images neither the GAN nor the judges learned from; `other_styles`, the judges
 * learned the classes from other drawing styles, so the real share is on the GAN's own training
 * images and the Fréchet floor is the other styles' distance.
 */
export const REFERENCES = ['held_out', 'other_styles'];

/**
 * The in-tab trainer's measured figures (`ganplay tab-training`) that the page uses: the step by
 * which most digits are recognisable, or null when the list has none (or one out of range).
 */
export function inTab(v) {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const by = own(v, 'recognisable_by');
  return Number.isInteger(by) && by >= 1 && by <= 1e6 ? { recognisable_by: by } : null;
}

/**
 * What to call an entry: its label, else its id, else its place in the list; `name` in quotation
 * marks, for a sentence, `label` without, for its button; `named` false where it has only its place.
 */
export function entryName(raw, index) {
  const label = raw && typeof raw === 'object' ? own(raw, 'label') : undefined;
  const id = raw && typeof raw === 'object' ? own(raw, 'id') : undefined;
  for (const [v, max] of [[label, MAX_LABEL], [id, MAX_ID]]) {
    if (typeof v === 'string' && v.length <= max && v.trim()) return { name: quote(v.trim()), label: excerpt(v.trim()), named: true };
  }
  const place = t('gal.list.entry', { n: index + 1 });
  return { name: place, label: place, named: false };
}

/**
 * The parsed model list → { entries, refused, ignored, total }: `entries` the usable ones (checked,
 * in order, ids unique), `refused` [{ index, name, label, named, id, reason, short }] the others (`reason`
 * detailed, for the message; `short` in plain words, for the button), `ignored` how many past
 * MAX_ENTRIES were not looked at. Throws (with a sentence) when the list itself is unusable.
 */
export function readManifest(data, modelsUrl) {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error(t('gal.check.list', { kind: kind(data) }));
  const list = own(data, 'models');
  if (!Array.isArray(list)) throw new Error(t('gal.check.models', { kind: kind(list) }));
  if (list.length === 0) throw new Error(t('gal.check.noModels'));
  const entries = [];
  const refused = [];
  const seen = new Set();
  const n = Math.min(list.length, MAX_ENTRIES);
  for (let index = 0; index < n; index++) {
    const raw = list[index];
    try {
      const entry = checkEntry(raw, modelsUrl);
      if (seen.has(entry.id)) throw refusal(t('gal.check.sameId', { id: quote(entry.id) }), t('gal.short.sameId'));
      seen.add(entry.id);
      entries.push({ ...entry, index });
    } catch (e) {
      // The id of a refused entry only where it is a well-formed one (a link may name it).
      const rawId = raw && typeof raw === 'object' ? own(raw, 'id') : undefined;
      const id = typeof rawId === 'string' && rawId.length <= MAX_ID && ID.test(rawId) ? rawId : null;
      refused.push({ index, ...entryName(raw, index), id, reason: e.message, short: e.short ?? t('gal.short.other') });
    }
  }
  return { entries, refused, ignored: list.length - n, total: list.length, inTab: inTab(own(data, 'in_tab')) };
}
