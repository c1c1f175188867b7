// The generators on offer: the manifest, a button per model, loading one through the worker (and
// the backend it runs on), and generating images from it.
import { GalleryCall as Call } from '../protocol.js';
import { $, showError, setStatus } from './page.js';

/** The timing line's name for where a model runs. */
export function describeBackend(info) {
  if (info.backend !== 'webgpu') return 'CPU (WebAssembly)';
  const a = info.adapter;
  if (!a) return 'WebGPU';
  const name = a.description || a.vendor || 'unknown adapter';
  return a.fallback ? `WebGPU on a software adapter (${name}), not a GPU` : `WebGPU (${name})`;
}

export class Models {
  /**
   * `client`: the worker's; `base`: the page's URL; `selected()`: a model became current (draw it);
   * `changed()`: the current model moved to another backend (draw it again); `trainingLost()`: the
   * in-tab training run went with a lost GPU.
   */
  constructor({ client, base, selected, changed, trainingLost }) {
    Object.assign(this, { client, base, selected, changed, trainingLost });
    this.entries = [];
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

  /** The current model's number of classes (0: unconditional). */
  get classes() {
    return this.model.meta.config.classes;
  }

  /** Reads models/manifest.json and makes the model buttons; false (with a message) when it cannot. */
  async loadManifest() {
    let manifest;
    try {
      const res = await fetch(new URL('models/manifest.json', this.base));
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      manifest = await res.json();
      if (!Array.isArray(manifest.models)) throw new Error('it has no "models" list');
    } catch (e) {
      setStatus('No models.');
      showError(`The model list (models/manifest.json) could not be read: ${e.message}`);
      return false;
    }
    this.entries = manifest.models.filter((m) => m && typeof m.id === 'string' && typeof m.file === 'string');
    const nav = $('models');
    nav.replaceChildren();
    for (const e of this.entries) {
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.model = e.id;
      b.textContent = e.label;
      b.title = `${e.size}×${e.size} ${e.channels === 3 ? 'colour' : 'grey'}, ${e.classes.length ? `${e.classes.length} classes` : 'unconditional'}, ${(e.bytes / 1e6).toFixed(2)} MB; ${e.dataset} (${e.licence})`;
      b.addEventListener('click', () => this.select(e.id));
      nav.append(b);
    }
    return true;
  }

  markNav() {
    for (const b of document.querySelectorAll('#models button')) {
      const id = b.dataset.model;
      b.setAttribute('aria-pressed', String(id === this.current));
      b.classList.toggle('failed', this.failed.has(id));
    }
  }

  /** Loads (if need be) and shows model `id`; false when it could not be loaded (the current one stays). */
  async select(id) {
    const entry = this.entries.find((e) => e.id === id);
    if (!entry) return;
    if (!this.loaded.has(id)) {
      setStatus(`Loading ${entry.label}…`, 0);
      try {
        const r = await this.client.call(Call.LOAD, { entry, base: new URL('models/', this.base).href });
        this.loaded.set(id, { entry, ...r });
        this.failed.delete(id);
      } catch (e) {
        this.failed.set(id, e.message);
        showError(`${entry.label}: ${e.message}`);
        setStatus(this.current ? `${entry.label} could not be loaded; still showing ${this.model.entry.label}.` : `${entry.label} could not be loaded.`);
        this.markNav();
        return false;
      }
    }
    this.current = id;
    const m = this.model;
    document.body.dataset.model = id;
    document.body.dataset.fromCache = String(m.fromCache);
    history.replaceState(null, '', `#model=${id}`);
    setStatus(`${m.entry.label}: ${(m.bytes / 1e6).toFixed(2)} MB ${m.fromCache ? 'from the cache' : 'downloaded'}, ${m.meta.steps} training steps · ${m.entry.dataset} (${m.entry.licence})`);
    const sel = $('class');
    sel.replaceChildren();
    $('class-label').hidden = m.meta.config.classes === 0;
    sel.append(new Option('every class (one per column)', 'any'));
    m.meta.class_names.forEach((name, i) => sel.append(new Option(name, String(i))));
    $('preview').src = new URL(`models/${m.entry.preview}`, this.base).href;
    this.markNav();
    this.selected();
    return true;
  }

  /** Shows the first model that loads: the link's, else the manifest's first. */
  async selectFirst() {
    const wanted = new URLSearchParams(location.hash.slice(1)).get('model');
    const order = [wanted, ...this.entries.map((e) => e.id)].filter((id, i, a) => id && a.indexOf(id) === i);
    for (const id of order) if (await this.select(id)) break;
  }

  /** Starts the engine on the chosen backend; every model is to be loaded again. */
  async startEngine() {
    setStatus('Starting the engine…');
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
    if (!info.upgrade) return;
    document.body.dataset.upgrading = 'true';
    try {
      const r = await this.client.call(Call.UPGRADE);
      this.takeInfos(r.infos);
      document.body.dataset.backend = r.backend;
      if (this.model) this.changed();
    } catch (e) {
      showError(`WebGPU did not start, so the gallery stays on the CPU: ${e.message}`);
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
      showError(`Switching the backend failed: ${e.message}`);
      $('backend').value = 'cpu';
      await this.startEngine().then(() => keep && this.select(keep)).catch((e2) => showError(e2.message));
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
    setStatus(`Loading ${e?.label ?? id}… ${(loaded / 1e6).toFixed(2)} MB`, total ? loaded / total : undefined);
  }

  /** GalleryNote.DEVICE_LOST: the worker has moved the generators to the CPU module (or says why not). */
  deviceLost({ why, trainingLost, infos, error }) {
    document.body.dataset.backend = 'cpu';
    this.takeInfos(infos);
    const training = trainingLost ? ' The in-tab training run was on the GPU and is lost with it: start it again to train on the CPU.' : '';
    showError(
      error
        ? `The GPU device was lost (${why}) and the CPU module did not start: ${error}. Reload the page.`
        : `The GPU device was lost (${why}). The gallery switched to the CPU backend.${training}`,
    );
    if (trainingLost) this.trainingLost();
    document.body.dataset.deviceLost = 'true';
    if (!error && this.model) this.changed();
  }

  /**
   * `n` images for noise rows `z` (scaled by `truncation`) and classes, from the current model; the
   * timing line says how long they took, and where.
   */
  async generate(z, classes, truncation) {
    const scaled = Float32Array.from(z, (v) => v * truncation);
    const cls = this.classes > 0 ? Uint32Array.from(classes) : new Uint32Array(0);
    const r = await this.client.call(Call.GENERATE, { model: this.current, z: scaled, classes: cls }, [scaled.buffer]);
    const n = z.length / this.dim;
    $('timing').textContent = `${n} image${n > 1 ? 's' : ''} in ${r.ms.toFixed(0)} ms · ${describeBackend(this.model.info)}`;
    return r.images;
  }
}
