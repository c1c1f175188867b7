// The generators on offer: the manifest, a button per model, loading one through the worker (and
// the backend it runs on), and generating images from it.
import { GalleryCall as Call } from '../protocol.js';
import { MAX_ENTRIES } from './manifest.js';
import { classWeights } from './latent.js';
import { excerpt, quote } from '../text.js';
import { $, showError, setStatus, nextTask } from './page.js';
import { modelText, className } from './names.js';
import { t, fmt } from '../i18n.js';

/** Models tried one after the other at the start, before the page stops and asks the user to pick. */
export const AUTO_TRIES = 3;
/** Refused entries named one by one in the error list; the rest are counted. */
const NAMED_REFUSALS = 5;

/** The timing line's name for where a model runs. */
export function describeBackend(info) {
  if (info.backend !== 'webgpu') return t('gal.backend.cpu');
  const a = info.adapter;
  if (!a) return 'WebGPU';
  const name = excerpt(a.description || a.vendor || t('gal.backend.unknownAdapter'));
  return t(a.fallback ? 'gal.backend.software' : 'gal.backend.gpu', { name });
}

/** A size in bytes as MB, two decimals. */
const megabytes = (bytes) => fmt(bytes / 1e6, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "How good is it?": the figures `ganplay evaluate` wrote to the model list, if any; a short line, opened for the details. */
function showQuality(m) {
  const box = $('quality');
  box.hidden = !m;
  if (!m) return [$('quality-summary'), $('quality-text')].forEach((e) => e.replaceChildren());
  const pct = (v) => fmt(v, { style: 'percent', maximumFractionDigits: 0 });
  const [share, real] = [pct(m.requested_class_share), pct(m.real_requested_class_share)];
  const ratio = fmt(m.frechet_ratio, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  // Where the samples beat real images, say why, so that nobody reads it as "more real than real".
  const above = m.requested_class_share > m.real_requested_class_share && share !== real;
  const more = [above && t('gal.quality.easy'), m.frechet_ratio < 1 && t('gal.quality.nearer')].filter(Boolean);
  $('quality-summary').textContent = t('gal.quality.summary', { share, real, ratio });
  // Each model says what its real figures are measured on (a field of the list).
  const said = t(m.reference === 'other_styles' ? 'gal.quality.otherStyles' : 'gal.quality', { n: m.samples, per: m.per_class, share, real, ratio });
  $('quality-text').textContent = more.reduce((text, next) => t('gal.quality.then', { text, next }), said);
}

export class Models {
  /**
   * `client`: the worker's (gallery/engine.js); `base`: the page's URL; `selected()`: a model became
   * current (draw it); `changed()`: the current model moved to another backend (draw it again);
   * `restored()`: the current model is back after a new worker (draw it again, picks kept);
   * `trainingLost()`: the in-tab training run went with a lost GPU.
   */
  constructor({ client, base, selected, changed, restored, trainingLost }) {
    Object.assign(this, { client, base, selected, changed, restored, trainingLost });
    this.entries = []; // the usable ones
    this.refused = []; // [{ index, name, label, id, reason, short }]
    this.loaded = new Map(); // id → { entry, meta, info, fromCache, bytes, loadMs }
    this.failed = new Map(); // id → message
    this.current = null;
  }

  /** The current model, if any. */
  get model() {
    return this.loaded.get(this.current);
  }

  /** The current model's latent size. */
  get dim() {
    return this.model.meta.config.latent_dim;
  }

  /** `k` principal latent directions of the current model and what each changes (see GalleryCall.DIRECTIONS). */
  directions(k) {
    return this.client.call(Call.DIRECTIONS, { model: this.current, k });
  }

  /** The current model's number of classes (0: unconditional). */
  get classes() {
    return this.model.meta.config.classes;
  }

  /**
   * Asks the worker for the checked model list and makes the model buttons: a usable entry's can be
   * picked; a refused one's is greyed out with its reason. Resolves to the number of usable models
   * (0 with a message when there are none), or null when the worker died meanwhile.
   */
  async loadManifest() {
    let list;
    try {
      list = await this.client.call(Call.MANIFEST);
    } catch (e) {
      if (e.engineLost) return null;
      document.body.dataset.manifest = 'failed';
      showError(t('gal.sentence', { text: excerpt(e.message, 200) }));
      return 0;
    }
    this.entries = list.entries;
    this.refused = list.refused;
    this.inTab = list.inTab ?? null;
    const nav = $('models');
    nav.replaceChildren();
    const buttons = [];
    for (const e of this.entries) {
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.model = e.id;
      b.textContent = modelText(e, 'label');
      b.title = t('gal.model.title', {
        size: e.size,
        colours: t(e.channels === 3 ? 'gal.model.colour' : 'gal.model.grey'),
        classes: e.classes.length ? t('gal.model.classes', { n: e.classes.length }) : t('gal.model.unconditional'),
        mb: megabytes(e.bytes),
        dataset: modelText(e, 'dataset'),
        licence: excerpt(e.licence),
      });
      // The model on show stays as it is (its class, picks and sliders are kept).
      b.addEventListener('click', () => e.id !== this.current && this.select(e.id));
      buttons[e.index] = b;
    }
    for (const r of this.refused) {
      const b = document.createElement('button');
      b.type = 'button';
      b.disabled = true;
      b.className = 'invalid';
      if (r.id) b.dataset.refused = r.id;
      b.dataset.index = String(r.index);
      b.title = t('gal.refused.title', { reason: r.reason });
      const why = document.createElement('small');
      why.textContent = t('gal.refused.short', { why: excerpt(r.short, 90) });
      b.append(r.label, why);
      buttons[r.index] = b;
    }
    nav.append(...buttons.filter(Boolean));
    for (const r of this.refused.slice(0, NAMED_REFUSALS)) {
      showError(r.named ? t('gal.refused.named', { name: r.name, reason: r.reason }) : t('gal.refused.numbered', { n: r.index + 1, reason: r.reason }));
    }
    if (this.refused.length > NAMED_REFUSALS) showError(t('gal.refused.more', { n: this.refused.length - NAMED_REFUSALS }));
    if (this.refused.length && this.entries.length) showError(t('gal.refused.othersWork'));
    if (list.ignored) showError(t('gal.list.cut', { total: list.total, max: MAX_ENTRIES, n: list.ignored }));
    if (!this.entries.length) showError(t('gal.list.noneUsable', { n: Math.min(list.total, MAX_ENTRIES) }));
    document.body.dataset.manifest = 'ok';
    return this.entries.length;
  }

  markNav() {
    for (const b of document.querySelectorAll('#models button')) {
      const id = b.dataset.model;
      b.setAttribute('aria-pressed', String(id === this.current));
      b.classList.toggle('failed', this.failed.has(id));
    }
  }

  /**
   * Loads (if need be) and shows model `id`; false when it could not be loaded (the current one
   * stays). `again`: the same model after a new worker (drawn again with the picks kept).
   */
  async select(id, { again = false } = {}) {
    const entry = this.entries.find((e) => e.id === id);
    if (!entry) return false;
    const label = modelText(entry, 'label');
    if (!this.loaded.has(id)) {
      setStatus(t('gal.status.loading', { name: label }), 0);
      try {
        const r = await this.client.call(Call.LOAD, { entry });
        this.loaded.set(id, { entry, ...r });
        this.failed.delete(id);
        await nextTask(); // the model is shown in a task of its own
      } catch (e) {
        if (e.engineLost) return false;
        this.failed.set(id, e.message);
        showError(t('gal.model.failed', { name: label, text: excerpt(e.message, 160) }));
        setStatus(this.current ? t('gal.status.notLoadedStill', { name: label, current: modelText(this.model.entry, 'label') }) : t('gal.status.notLoaded', { name: label }));
        this.markNav();
        return false;
      }
    }
    this.current = id;
    const m = this.model;
    document.body.dataset.model = id;
    document.body.dataset.fromCache = String(m.fromCache);
    history.replaceState(null, '', `#model=${id}`);
    setStatus(t(m.fromCache ? 'gal.status.shownCached' : 'gal.status.shownDownloaded', {
      name: label,
      mb: megabytes(m.bytes),
      steps: typeof m.meta.steps === 'number' ? m.meta.steps : excerpt(m.meta.steps),
      dataset: modelText(m.entry, 'dataset'),
      licence: excerpt(m.entry.licence),
    }));
    const sel = $('class');
    sel.replaceChildren();
    $('class-label').hidden = m.meta.config.classes === 0;
    sel.append(new Option(t('gal.class.every'), 'any'));
    m.meta.class_names.forEach((name, i) => sel.append(new Option(className(id, name), String(i))));
    showQuality(m.entry.metrics);
    // The preview is named by the checked entry, so it is a file in the models folder.
    $('preview').hidden = !m.entry.preview;
    if (m.entry.preview) $('preview').src = new URL(`models/${m.entry.preview}`, this.base).href;
    else $('preview').removeAttribute('src');
    this.markNav();
    again ? this.restored() : this.selected();
    return true;
  }

  /**
   * Shows the first model that loads: the link's, else the list's first; after AUTO_TRIES that fail
   * it stops and asks the user to pick one (so a long list of broken entries is not tried one by one).
   */
  async selectFirst() {
    const wanted = new URLSearchParams(location.hash.slice(1)).get('model');
    if (wanted && !this.entries.some((e) => e.id === wanted) && !this.refused.some((r) => r.id === wanted)) {
      showError(t('gal.link.unknownModel', { id: quote(wanted) }));
    }
    const order = [wanted, ...this.entries.map((e) => e.id)].filter((id, i, a) => id && a.indexOf(id) === i && this.entries.some((e) => e.id === id));
    let tried = 0;
    for (const id of order.slice(0, AUTO_TRIES)) {
      tried++;
      if (await this.select(id)) return true;
      if (this.client.lost) return false;
    }
    if (!tried) {
      setStatus(t('gal.status.noModels'));
    } else {
      const more = this.entries.length - tried;
      setStatus(`${t('gal.status.noneLoaded', { n: tried })}${more > 0 ? t('gal.status.pickOther', { n: more }) : ''}`);
    }
    return false;
  }

  /** After a new worker: the engine started again, the current model loaded again (from the cache); its label, or null. */
  async restart() {
    const keep = this.current;
    this.current = null; // nothing draws from the new worker before it has the model
    let info;
    try {
      info = await this.startEngine();
    } catch (e) {
      if (!e.engineLost) showError(t('gal.engine.newNoStart', { text: excerpt(e.message, 160) }));
      return null;
    }
    if (!keep || !(await this.select(keep, { again: true }))) {
      if (!keep && !this.client.lost) setStatus(t('gal.status.pick'));
      return null;
    }
    this.upgrade(info);
    return modelText(this.model.entry, 'label');
  }

  /** Starts the engine on the chosen backend; every model is to be loaded again. */
  async startEngine() {
    setStatus(t('gal.status.startingEngine'));
    const info = await this.client.call(Call.INIT, { backend: $('backend').value });
    document.body.dataset.backend = info.backend;
    this.loaded.clear();
    return info;
  }

  /**
   * After the first samples (drawn by the small CPU module), "auto" moves to WebGPU where the browser
   * has an adapter: the WebGPU module is fetched now, not before the first picture.
   */
  async upgrade(info) {
    if (!info.upgrade || !this.current) return;
    document.body.dataset.upgrading = 'true';
    try {
      const r = await this.client.call(Call.UPGRADE);
      this.takeInfos(r.infos);
      document.body.dataset.backend = r.backend;
      if (this.model) this.changed();
    } catch (e) {
      if (!e.engineLost) showError(t('gal.webgpu.noStart', { text: excerpt(e.message, 160) }));
    } finally {
      document.body.dataset.upgrading = 'false';
    }
  }

  /** The backend select changed: a new engine, the current model loaded on it again. `before()` stops what draws. */
  async switchBackend(before) {
    before();
    const keep = this.current;
    this.current = null;
    try {
      const info = await this.startEngine();
      if (keep) await this.select(keep);
      this.upgrade(info);
    } catch (e) {
      if (e.engineLost) return;
      showError(t('gal.backend.switchFailed', { text: excerpt(e.message, 160) }));
      $('backend').value = 'cpu';
      await this.startEngine().then(() => keep && this.select(keep)).catch((e2) => e2.engineLost || showError(excerpt(e2.message, 160)));
    }
  }

  takeInfos(infos) {
    for (const [id, modelInfo] of Object.entries(infos ?? {})) {
      const l = this.loaded.get(id);
      if (l) l.info = modelInfo;
    }
  }

  /** GalleryNote.PROGRESS: bytes of a model file so far. */
  progress({ model: id, loaded, total }) {
    const e = this.entries.find((x) => x.id === id);
    setStatus(t('gal.status.loadingMb', { name: e ? modelText(e, 'label') : excerpt(id), mb: megabytes(loaded) }), total ? Math.min(1, loaded / total) : undefined);
  }

  /** GalleryNote.DEVICE_LOST: the worker has moved the generators to the CPU module (or says why not). */
  deviceLost({ why, trainingLost, infos, error }) {
    document.body.dataset.backend = 'cpu';
    this.takeInfos(infos);
    const training = trainingLost ? t('gal.gpuLost.training') : '';
    showError(
      error
        ? t('gal.gpuLost.noCpu', { why: excerpt(why), text: excerpt(error, 160) })
        : `${t('gal.gpuLost.cpu', { why: excerpt(why) })}${training}`,
    );
    if (trainingLost) this.trainingLost();
    document.body.dataset.deviceLost = 'true';
    if (!error && this.model) this.changed();
  }

  /**
   * `n` images for noise rows `z` (scaled by `truncation`) and classes, from the current model; the
   * timing line says how long they took, and where. A class is a number, or a Float32Array of
   * weights over the classes (a blend, for the class interpolation).
   */
  async generate(z, classes, truncation) {
    const scaled = Float32Array.from(z, (v) => v * truncation);
    const k = this.classes;
    const call = { model: this.current, z: scaled, classes: new Uint32Array(0) };
    if (k > 0 && classes.some((c) => typeof c !== 'number')) {
      // A class may be a blend (a row of k weights): then every row goes as weights.
      call.weights = new Float32Array(classes.length * k);
      classes.forEach((c, i) => call.weights.set(classWeights(c, k), i * k));
    } else if (k > 0) call.classes = Uint32Array.from(classes);
    const r = await this.client.call(Call.GENERATE, call, [scaled.buffer]);
    const n = z.length / this.dim;
    $('timing').textContent = t('gal.timing', { n, ms: fmt(r.ms, { maximumFractionDigits: 0, useGrouping: false }), backend: describeBackend(this.model.info) });
    return r.images;
  }
}
