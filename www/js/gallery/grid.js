// The image grid view: forty samples of the current generator and the ways to explore them —
// resample, pick A and B, interpolate from A to B, A's neighbours, a random walk, and sliders that
// move A along the generator's strongest directions. All noise is made here, so every exploration is plain vector
// arithmetic; the worker only turns noise into images.
import { uniform, normals, slerp, walk, classWeights } from './latent.js';
import { drawImages, cellSide } from '../views/images.js';
import { excerpt } from '../text.js';
import { GridCells } from './cells.js';
import { $, showError, nextTask } from './page.js';
import { LiveText } from '../live.js';
import { modelText, className, directionName } from './names.js';
import { t, fmt } from '../i18n.js';

export const COLS = 10;
export const ROWS = 4;
export const N = COLS * ROWS;
export const SCALE = 2; // screen pixels per image pixel in the grid
const SLIDERS = 5;
const NEIGHBOUR_SPREAD = 0.45;
/** The random walk's pace: radians per step and the least time between steps; far slower where the system asks for reduced motion. */
const WALK = { step: 0.04, ms: 0 };
const CALM_WALK = { step: 0.01, ms: 500 };
const walkPace = () => (matchMedia('(prefers-reduced-motion: reduce)').matches ? CALM_WALK : WALK); // not shown
const MARKS = { a: '#6b4fbb', b: '#1a9850' };

const oneDecimal = (v) => fmt(v, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const percent = (v) => fmt(100 * v, { maximumFractionDigits: 0 });

/** The class between `a` and `b` at `t` ∈ [0, 1]: `a` itself where they are one class. */
export function blendClass(a, b, t, k) {
  if (k === 0) return 0;
  if (typeof a === 'number' && a === b) return a;
  const [wa, wb] = [classWeights(a, k), classWeights(b, k)];
  const w = new Float32Array(k);
  for (let c = 0; c < k; c++) w[c] = (1 - t) * wa[c] + t * wb[c];
  // A one-hot end stays a plain class.
  const top = w.indexOf(Math.max(...w));
  return w[top] > 1 - 1e-6 ? top : w;
}

/** A file name's part for a text: lower case letters, digits and dashes. */
const slug = (s) => String(s).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'x';

function download(canvas, name) {
  canvas.toBlob((blob) => {
    const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: name });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }, 'image/png');
}

export class SampleGrid {
  /** `models`: the Models (the current generator, and generating from it). */
  constructor({ models }) {
    this.models = models;
    this.noise = null; // Float32Array [N, dim], unscaled
    this.classes = null; // Uint32Array [N]
    this.mode = 'samples';
    this.a = null; // { z, cls, cell? }
    this.b = null;
    this.dirs = [];
    this.walkTargets = null;
    this.walking = false;
    this.busy = false;
    this.queued = false; // a redraw asked for while one runs
    this.described = new LiveText($('grid-desc')); // the grid in words, for screen readers
    const model = () => this.models.model;
    $('resample').addEventListener('click', () => {
      if (!model()) return;
      $('seed').value = String((Number($('seed').value) + 1) >>> 0);
      this.resample();
    });
    $('seed').addEventListener('change', () => {
      const v = Number($('seed').value);
      if (!Number.isInteger(v) || v < 0 || v > 4294967295) {
        showError(t('gal.seed.bad', { max: 4294967295, text: excerpt($('seed').value, 20) }));
        $('seed').value = '1';
      }
      if (model()) this.resample();
    });
    $('truncation').addEventListener('input', () => {
      $('truncation-value').textContent = fmt(Number($('truncation').value), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      if (model()) {
        this.redraw();
        this.updatePicks();
      }
    });
    $('class').addEventListener('change', () => model() && this.resample());
    $('grid').addEventListener('click', (ev) => this.pick(ev));
    this.cells = new GridCells($('grid-cells'), { cols: COLS, rows: ROWS, pick: (i, which) => this.pickCell(i, which) });
    $('interpolate').addEventListener('click', () => this.show('interpolation'));
    $('neighbours').addEventListener('click', () => this.show('neighbours'));
    $('walk').addEventListener('click', () => {
      if (this.walking) return this.stopWalk();
      if (!model()) return;
      this.mode = 'walk';
      this.walking = true;
      $('walk').textContent = t('gal.walk.stop');
      this.walkLoop();
    });
    $('reset-sliders').addEventListener('click', () => this.resetSliders());
    $('download-grid').addEventListener('click', () => download($('grid'), this.gridFileName()));
    $('download-one').addEventListener('click', () => download($('pick-a'), this.pickFileName()));
  }

  /** A new current model: no picks, new sliders, fresh samples. */
  async select() {
    const id = this.models.current;
    this.a = this.b = null;
    this.dirs = []; // the last model's, until buildSliders finds this one's
    this.setReady(true);
    // The grid first: the worker answers in order, and the sliders' directions can wait (a task
    // later, so the page is not held by both at once).
    this.resample();
    await nextTask();
    if (this.models.current !== id) return; // another model was picked meanwhile; its select builds them
    this.buildSliders();
    this.updatePicks();
  }

  /** The same model again, after a new worker: the grid and the picks drawn again, as they were. */
  restore() {
    this.setReady(true);
    this.redraw();
    this.updatePicks();
  }

  /** Whether there is a model to draw from: the grid's buttons follow (the picks' follow updatePicks). */
  setReady(ready) {
    for (const b of ['resample', 'download-grid', 'walk']) $(b).disabled = !ready;
    if (!ready) for (const b of ['interpolate', 'neighbours', 'download-one', 'reset-sliders']) $(b).disabled = true;
  }

  show(mode) {
    this.stopWalk();
    this.mode = mode;
    this.redraw();
  }

  /** Images for noise rows `z` and their classes, at the truncation chosen. */
  generate(z, classes) {
    return this.models.generate(z, classes, Number($('truncation').value));
  }

  /** Redraws the grid for the current mode; one generation at a time, the latest request wins. */
  async redraw() {
    document.body.dataset.pending = 'true';
    if (this.busy) {
      this.queued = true;
      return;
    }
    this.busy = true;
    try {
      if (!this.models.model) return; // between two workers
      const { z, classes } = this.gridNoise();
      const images = await this.generate(z, classes);
      if (!this.models.model) return;
      // After a pick the grid shows samples again, with the picks outlined.
      const marks = this.mode !== 'samples' ? [] : ['a', 'b'].filter((k) => this[k]?.cell !== undefined).map((k) => ({ cell: this[k].cell, colour: MARKS[k] }));
      drawImages($('grid'), images, N, COLS, SCALE, this.models.model.meta.config.image, marks);
      document.body.dataset.renders = String(Number(document.body.dataset.renders ?? 0) + 1);
      // The benchmark's start-up figure: navigation to the first samples on screen.
      if (document.body.dataset.renders === '1') {
        performance.mark('ganplay:first-sample');
        document.body.dataset.firstBackend = document.body.dataset.backend;
      }
      $('mode').textContent = this.modeText();
      this.showHeads();
      this.described.set(t('a11y.grid', { n: N, model: modelText(this.models.model.entry, 'label'), mode: $('mode').textContent }));
    } catch (e) {
      if (!e.engineLost) showError(t('gal.generate.failed', { text: excerpt(e.message, 160) }));
      this.stopWalk();
    } finally {
      this.busy = false;
      if (this.queued) {
        this.queued = false;
        this.redraw();
      } else document.body.dataset.pending = 'false';
    }
  }

  /** The grid's noise and classes for the current mode. */
  gridNoise() {
    const d = this.models.dim;
    if (this.mode === 'interpolation') {
      const z = new Float32Array(N * d);
      // The class moves with the noise: A's class blends into B's across the grid.
      for (let i = 0; i < N; i++) z.set(slerp(this.a.z, this.b.z, i / (N - 1)), i * d);
      const k = this.models.classes;
      return { z, classes: Array.from({ length: N }, (_, i) => blendClass(this.a.cls, this.b.cls, i / (N - 1), k)) };
    }
    if (this.mode === 'neighbours') {
      const rand = uniform(Number($('seed').value) ^ 0x5eed);
      const eps = normals(rand, N * d);
      const z = new Float32Array(N * d);
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < d; j++) z[i * d + j] = this.a.z[j] + (i === 0 ? 0 : NEIGHBOUR_SPREAD * eps[i * d + j]);
      }
      return { z, classes: Array(N).fill(this.a.cls) };
    }
    return { z: this.noise, classes: Array.from(this.classes) };
  }

  /** The seed of the current model's samples: the seed field, mixed with the model's id. */
  modelSeed() {
    let h = Number($('seed').value) >>> 0;
    for (const ch of this.models.current) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    return h;
  }

  /** What the grid shows, in words. */
  modeText() {
    if (this.mode === 'samples') return t('gal.mode.samples', { seed: $('seed').value });
    if (this.mode === 'interpolation' && this.models.classes > 0 && this.classText(this.a.cls) !== this.classText(this.b.cls)) {
      return t('gal.mode.interpolation.classes', { a: this.classText(this.a.cls), b: this.classText(this.b.cls) });
    }
    return t(`gal.mode.${this.mode}`);
  }

  /** A class (a number, or weights over the classes) in words: "7", or "60 % 3 + 40 % 9". */
  classText(cls) {
    const { entry } = this.models.model;
    const name = (c) => className(entry.id, entry.classes[c] ?? String(c));
    if (typeof cls === 'number') return name(cls);
    const parts = [...cls.keys()].filter((c) => cls[c] >= 0.005).sort((x, y) => cls[y] - cls[x]);
    return parts.map((c) => t('gal.class.share', { p: percent(cls[c]), name: name(c) })).join(t('gal.class.plus'));
  }

  /** Column headers naming the classes, where each column is one class (all classes, samples or walk). */
  showHeads() {
    const box = $('grid-heads');
    const { entry } = this.models.model;
    const k = this.models.classes;
    const show = k === COLS && $('class').value === 'any' && (this.mode === 'samples' || this.mode === 'walk');
    box.hidden = !show;
    if (!show) return;
    if (box.dataset.model !== entry.id || box.dataset.lang !== document.documentElement.lang) {
      box.replaceChildren(...entry.classes.map((c) => Object.assign(document.createElement('span'), { textContent: className(entry.id, c), title: className(entry.id, c) })));
      box.dataset.model = entry.id;
      box.dataset.lang = document.documentElement.lang;
    }
  }

  /** The downloaded grid's name: the model, what the grid shows and how it was made (file names stay in English, like the ids). */
  gridFileName() {
    const m = this.models.current;
    const c = (cls) => this.classSlug(cls);
    const k = this.models.classes;
    const which = k === 0 ? '' : $('class').value === 'any' ? '-all-classes' : `-${c(Number($('class').value))}`; // not shown
    const trunc = Number($('truncation').value) === 1 ? '' : `-truncation${$('truncation').value}`;
    if (this.mode === 'interpolation') return `${m}-interpolation${k ? `-${c(this.a.cls)}-to-${c(this.b.cls)}` : ''}-seed${$('seed').value}${trunc}.png`; // not shown
    if (this.mode === 'neighbours') return `${m}-neighbours-of-A${k ? `-${c(this.a.cls)}` : ''}-seed${$('seed').value}${trunc}.png`; // not shown
    if (this.mode === 'walk') return `${m}-random-walk-seed${$('seed').value}${which}${trunc}.png`; // not shown
    return `${m}-samples-seed${$('seed').value}${which}${trunc}.png`; // not shown
  }

  /** A class in a file name: its English name as a slug, or "blend". */
  classSlug(cls) {
    return slug(typeof cls === 'number' ? this.models.model.entry.classes[cls] ?? cls : 'blend'); // not shown
  }

  /** The downloaded A's name: the model, A's class and where the sliders are. */
  pickFileName() {
    const cls = this.a?.cls;
    const k = this.models.classes;
    const c = k === 0 || cls === undefined ? '' : `-${this.classSlug(cls)}`; // not shown
    const moved = [...document.querySelectorAll('#sliders input')].map((s, j) => (Number(s.value) ? `-d${j + 1}_${s.value}` : '')).join(''); // not shown
    return `${this.models.current}-A${c}${moved}.png`; // not shown
  }

  resample() {
    const d = this.models.dim;
    this.noise = normals(uniform(this.modelSeed()), N * d);
    const k = this.models.classes;
    const pick = $('class').value;
    this.classes = Uint32Array.from({ length: N }, (_, i) => (k === 0 ? 0 : pick === 'any' ? i % k : Number(pick)));
    this.mode = 'samples';
    this.stopWalk();
    this.redraw();
  }

  cellAt(ev) {
    const canvas = $('grid');
    const r = canvas.getBoundingClientRect();
    const x = ((ev.clientX - r.left) / r.width) * canvas.width;
    const y = ((ev.clientY - r.top) / r.height) * canvas.height;
    const cell = cellSide(this.models.model.meta.config.image.size, SCALE);
    const col = Math.floor(x / cell), row = Math.floor(y / cell);
    return col >= 0 && col < COLS && row >= 0 && row < ROWS ? row * COLS + col : -1;
  }

  /** A click on the grid picks A; shift-click (or a click while only A is picked) picks B. */
  pick(ev) {
    if (!this.models.model) return;
    const i = this.cellAt(ev);
    if (i < 0) return;
    this.cells.go(i, false);
    this.pickCell(i, ev.shiftKey ? 'b' : 'click');
  }

  /** Picks sample `i` as 'a', 'b', or as a click does ('click': B while only A is picked, else A). */
  pickCell(i, which) {
    if (!this.models.model) return;
    const { z, classes } = this.gridNoise();
    const d = this.models.dim;
    // A sample of the interpolation keeps its blend of classes.
    const pick = { z: z.slice(i * d, (i + 1) * d), cls: classes[i], cell: this.mode === 'samples' ? i : undefined };
    // A click starts a new pair, unless it completes one; A and B keys pick only their own.
    if (which === 'click') which = this.a && !this.b ? 'b' : 'pair';
    if (which === 'b') this.b = pick;
    else {
      this.a = pick;
      if (which === 'pair') this.b = null;
    }
    // After a pick the grid shows samples again, with the picks outlined.
    this.mode = 'samples';
    this.stopWalk();
    this.resetSliders(false);
    this.updatePicks();
    this.redraw();
  }

  /** The buttons the picks allow, and A (moved by the sliders) and B drawn large. */
  async updatePicks() {
    const ready = !!this.models.model;
    this.cells.mark(this.a?.cell, this.b?.cell);
    $('interpolate').disabled = !(ready && this.a && this.b);
    $('neighbours').disabled = !(ready && this.a);
    $('download-one').disabled = !(ready && this.a);
    $('reset-sliders').disabled = !(ready && this.a);
    for (const s of document.querySelectorAll('#sliders input')) s.disabled = !(ready && this.a);
    for (const [key, canvas] of [['a', $('pick-a')], ['b', $('pick-b')]]) {
      const pick = this[key];
      if (!pick) {
        canvas.width = canvas.height = 1;
        continue;
      }
      if (!ready) continue;
      let z = pick.z;
      if (key === 'a') {
        z = Float32Array.from(z);
        document.querySelectorAll('#sliders input').forEach((s, k) => {
          const v = Number(s.value);
          if (this.dirs[k]) for (let j = 0; j < z.length; j++) z[j] += v * this.dirs[k][j];
        });
      }
      try {
        const images = await this.generate(z, [pick.cls]);
        if (this.models.model) drawImages(canvas, images, 1, 1, 4, this.models.model.meta.config.image);
      } catch (e) {
        if (!e.engineLost) showError(t('gal.generate.failed', { text: excerpt(e.message, 160) }));
      }
    }
  }

  /**
   * The sliders: the current model's strongest latent directions (found by the worker, as GANSpace
   * does), each named after what it changes most in the images when that is clear.
   */
  async buildSliders() {
    const box = $('sliders');
    box.replaceChildren();
    const id = this.models.current;
    const d = this.models.dim;
    const labels = [];
    for (let k = 0; k < SLIDERS; k++) {
      const label = document.createElement('label');
      const name = document.createElement('span');
      name.className = 'slider-name';
      name.textContent = t('gal.slider', { n: k + 1 });
      const out = document.createElement('output');
      out.textContent = oneDecimal(0);
      const input = Object.assign(document.createElement('input'), { type: 'range', min: -4, max: 4, step: 0.1, value: 0, disabled: true });
      input.id = `slider-${k}`;
      input.addEventListener('input', () => {
        out.textContent = oneDecimal(Number(input.value));
        this.updatePicks();
      });
      label.append(name, ' ', out, input);
      box.append(label);
      labels.push({ label, name });
    }
    box.dataset.named = 'false';
    let found;
    try {
      found = await this.models.directions(SLIDERS);
    } catch (e) {
      if (!e.engineLost) showError(t('gal.generate.failed', { text: excerpt(e.message, 160) }));
      return;
    }
    if (this.models.current !== id || !this.models.model) return;
    this.dirs = Array.from({ length: SLIDERS }, (_, k) => found.vectors.slice(k * d, (k + 1) * d));
    this.updatePicks();
    // The worker also measured what each changes (directions.js nameDirections).
    const { measures: named, change } = found;
    labels.forEach(({ label, name }, j) => {
      const what = named[j] ? directionName(id, named[j]) : null;
      name.textContent = what ? t('gal.slider.named', { what, n: j + 1 }) : t('gal.slider', { n: j + 1 });
      label.title = t(what ? 'gal.slider.tip.named' : 'gal.slider.tip', { n: j + 1, share: percent(found.share[j]), what, change: percent(change[j]) });
      label.dataset.measure = named[j] ?? '';
      label.dataset.change = change[j].toFixed(4);
    });
    box.dataset.named = 'true';
  }

  resetSliders(redrawPick = true) {
    document.querySelectorAll('#sliders input').forEach((s) => {
      s.value = 0;
      s.previousElementSibling.textContent = oneDecimal(0);
    });
    if (redrawPick) this.updatePicks();
  }

  stopWalk() {
    this.walking = false;
    $('walk').textContent = t('gal.walk');
  }

  async walkLoop() {
    const d = this.models.dim;
    const rand = uniform(this.modelSeed() ^ 0xa11);
    this.walkTargets = normals(rand, N * d);
    let frames = 0;
    while (this.walking && this.models.model) {
      const pace = walkPace();
      for (let i = 0; i < N; i++) {
        const z = this.noise.subarray(i * d, (i + 1) * d);
        z.set(walk(z, this.walkTargets.subarray(i * d, (i + 1) * d), pace.step));
      }
      // New targets now and then, so the walk wanders instead of settling on one point.
      if (++frames % 30 === 0) this.walkTargets = normals(rand, N * d);
      await this.redraw();
      await new Promise((r) => requestAnimationFrame(r));
      if (pace.ms) await new Promise((r) => setTimeout(r, pace.ms));
    }
  }
}
