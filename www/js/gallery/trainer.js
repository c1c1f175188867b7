// The trainer panel: a small conditional DCGAN learns digits in the tab (from scratch, or from the
// shipped digits generator), and its fixed-noise grid, one column per digit, shows how far it got.
import { GalleryCall as Call } from '../protocol.js';
import { uniform, normals } from './latent.js';
import { drawImages } from '../views/images.js';
import { N, COLS, SCALE } from './grid.js';
import { excerpt } from '../text.js';
import { $, showError } from './page.js';
import { t, fmt } from '../i18n.js';

// The class loss (AC-GAN) and the higher rates made digits recognisable about four times sooner
// (measured natively on this config: 94 % of samples confidently the requested digit at step 600,
// 13 % with 5e-4 and no class loss).
const TRAIN_SCRATCH = {
  batch_size: 32, lr_g: 1e-3, lr_d: 1e-3, ema: 0.99, label_smoothing: 0.1, aux_weight: 1,
  generator: { latent_dim: 32, classes: 10, width: 32, image: { size: 28, channels: 1 } },
  discriminator: { classes: 10, width: 16, auxiliary: true, image: { size: 28, channels: 1 } },
};
const DIGITS = { size: 28, channels: 1 };
/** Steps by which most digits from scratch are recognisable (measured natively, see the README). */
export const RECOGNISABLE_BY = 600;
/** Fine-tuning: steps in which only the fresh discriminator learns, so the shipped digits stay as they are. */
export const FINETUNE_WARMUP = 150;

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
      if (f.step < FINETUNE_WARMUP) return t('gal.train.expect.warmup', { step: f.step, warm: FINETUNE_WARMUP, secs: secs(FINETUNE_WARMUP - f.step) });
      return t('gal.train.expect.finetune');
    }
    if (f.step < RECOGNISABLE_BY) return t('gal.train.expect.scratch', { step: f.step, by: RECOGNISABLE_BY, secs: secs(RECOGNISABLE_BY - f.step) });
    return t('gal.train.expect.done', { by: RECOGNISABLE_BY });
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
    let config = TRAIN_SCRATCH;
    let ft = null;
    if (finetune) {
      const entry = models.entries.find((e) => e.id === 'digits');
      if (!models.loaded.has('digits') && !(await models.select('digits'))) return;
      const g = models.loaded.get('digits').meta.config;
      // A low rate for G, and a warm-up in which only the fresh D learns: otherwise D's first,
      // random gradients make the shipped digits noisier before they get better.
      config = { ...TRAIN_SCRATCH, batch_size: 16, lr_g: 5e-5, lr_d: 2e-4, ema: 0, d_warmup: FINETUNE_WARMUP, generator: g, discriminator: { classes: g.classes, width: 32, auxiliary: true, image: g.image } };
      ft = { entry };
    }
    const d = config.generator.latent_dim;
    // Fixed noise, one column per digit: the grid shows the same samples as training goes on.
    const z = normals(uniform(2024), N * d);
    const classes = Uint32Array.from({ length: N }, (_, i) => i % 10);
    $('train-pause').disabled = false;
    this.showPaused(false);
    $('train-stats').textContent = t('gal.status.starting');
    $('train-expect').textContent = '';
    this.finetuning = finetune;
    try {
      await this.client.call(Call.TRAIN_START, { backend: $('train-backend').value, config, finetune: ft, z, classes });
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
