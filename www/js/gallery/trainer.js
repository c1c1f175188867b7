// The trainer panel: a small conditional DCGAN learns digits in the tab (from scratch, or from the
// shipped digits generator), and its fixed-noise grid, one column per digit, shows how far it got.
import { GalleryCall as Call } from '../protocol.js';
import { drawImages } from '../views/images.js';
import { N, COLS, SCALE } from './grid.js';
import { excerpt } from '../text.js';
import { $, showError } from './page.js';
import { t, fmt } from '../i18n.js';

const DIGITS = { size: 28, channels: 1 };
/** The seed of the grid's fixed noise: the same samples as training goes on. */
const GRID_NOISE = 2024;

export class TrainerPanel {
  /** `client`: the worker's; `models`: the Models (the shipped digits generator, to fine-tune); `base`: the page's URL. */
  constructor({ client, models, base }) {
    Object.assign(this, { client, models, base });
    this.running = false; // a training run was started and not lost
    this.paused = false;
    $('train-scratch').addEventListener('click', () => this.start(false));
    $('train-finetune').addEventListener('click', () => this.start(true));
    $('train-pause').addEventListener('click', () => this.togglePause());
  }

  /** The engine runs: training may start (fine-tuning where the manifest has the digits generator). */
  enable() {
    $('train-scratch').disabled = false;
    $('train-finetune').disabled = !this.models.entries.some((e) => e.id === 'digits');
  }

  /** GalleryNote.TRAIN_FRAME. */
  frame(f) {
    drawImages($('train-grid'), f.images, N, COLS, SCALE, DIGITS);
    const loss = (v) => fmt(v, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
    $('train-stats').textContent = t('gal.train.stats', { step: f.step, d: loss(f.dLoss), g: loss(f.gLoss), rate: fmt(f.stepsPerSec, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) });
    document.body.dataset.trainStep = String(f.step);
    // A frame still on its way when Pause was pressed keeps the paused line.
    $('train-expect').textContent = this.paused ? t('gal.train.expect.paused', { step: f.step }) : this.expectation(f);
  }

  /** What to expect next, in words, from the step and the current speed. */
  expectation(f) {
    const secs = (steps) => fmt(Math.max(0, steps) / Math.max(f.stepsPerSec, 0.1), { maximumFractionDigits: 0 });
    if (this.finetuning) {
      const warm = this.warmup;
      if (f.step < warm) return t('gal.train.expect.warmup', { step: f.step, warm, secs: secs(warm - f.step) });
      return t('gal.train.expect.finetune');
    }
    // The step the model list's measurement (ganplay tab-training) found on every seed; none without it.
    const by = this.models.inTab?.recognisable_by;
    if (!by) return t('gal.train.expect.unmeasured');
    if (f.step < by) return t('gal.train.expect.scratch', { step: f.step, by, secs: secs(by - f.step) });
    return t('gal.train.expect.done', { by });
  }

  /** GalleryNote.TRAIN_ERROR. */
  error(message) {
    showError(t('gal.train.stopped', { text: excerpt(message, 160) }));
    this.lost();
  }

  /** No engine any more (the worker died too often): nothing can be trained. */
  disable() {
    for (const b of ['train-scratch', 'train-finetune', 'train-pause']) $(b).disabled = true;
  }

  /** The run is gone (an error, a lost GPU, a dead worker): nothing to pause. */
  lost() {
    this.running = false;
    $('train-pause').disabled = true;
  }

  async start(finetune) {
    const models = this.models;
    let ft = null;
    if (finetune) {
      const entry = models.entries.find((e) => e.id === 'digits');
      if (!models.loaded.has('digits') && !(await models.select('digits'))) return;
      ft = { entry };
    }
    // The engine makes the config (the one `ganplay tab-training` measures) and the grid's fixed noise.
    const classes = Uint32Array.from({ length: N }, (_, i) => i % 10);
    $('train-pause').disabled = false;
    this.showPaused(false);
    $('train-stats').textContent = t('gal.status.starting');
    $('train-expect').textContent = '';
    this.finetuning = finetune;
    try {
      const { warmup } = await this.client.call(Call.TRAIN_START, { backend: $('train-backend').value, finetune: ft, noiseSeed: GRID_NOISE, classes });
      this.warmup = warmup;
      this.running = true;
      document.body.dataset.training = finetune ? 'finetune' : 'scratch';
    } catch (e) {
      if (e.engineLost) return;
      showError(t('gal.train.noStart', { text: excerpt(e.message, 160) }));
      $('train-pause').disabled = true;
      $('train-stats').textContent = '';
    }
  }

  showPaused(paused) {
    this.paused = paused;
    $('train-pause').textContent = t(paused ? 'gal.train.resume' : 'gal.train.pause');
  }

  async togglePause() {
    const pausing = !this.paused;
    try {
      await this.client.call(pausing ? Call.TRAIN_PAUSE : Call.TRAIN_RESUME);
      this.showPaused(pausing);
      if (pausing) $('train-expect').textContent = t('gal.train.expect.paused', { step: Number(document.body.dataset.trainStep ?? 0) });
    } catch (e) {
      if (!e.engineLost) showError(excerpt(e.message, 160));
    }
  }
}
