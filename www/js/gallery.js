// The gallery page: lists the shipped generators (models/manifest.json, read and checked by the
// worker), asks the worker for images, and draws them. Makes its rooms (www/js/gallery/) and wires
// them together; the worker is workers/gallery.js, spoken to through protocol.js.
import { GalleryNote as Note } from './protocol.js';
import { Engine, Recovery } from './gallery/engine.js';
import { Models } from './gallery/models.js';
import { SampleGrid } from './gallery/grid.js';
import { TrainerPanel } from './gallery/trainer.js';
import { excerpt } from './text.js';
import { $, showError, setStatus, nextTask } from './gallery/page.js';
import { startPage } from './language-picker.js';
import { foldSections } from './fold.js';
import { t, lang, urlIn } from './i18n.js';

startPage();
foldSections(document.querySelectorAll('.gallery-main .controls > fieldset:not(:first-child), .gallery-main .train > fieldset'));
// The way back to the playground keeps a language the address chose (it may not be remembered).
for (const a of document.querySelectorAll('header a[href="index.html"]')) a.href = urlIn(lang, a.href);
// The page shows its texts first; the engine and the model list start in a task of their own, so neither start blocks the page long.
await nextTask();

const base = new URL('.', location.href).href;

/** What the page does with each note of the worker. */
const NOTES = {
  [Note.PROGRESS]: (note) => models.progress(note),
  [Note.DEVICE_LOST]: (note) => models.deviceLost(note),
  [Note.TRAIN_FRAME]: (note) => trainer.frame(note),
  [Note.TRAIN_ERROR]: (note) => trainer.error(note.message),
  // The worker closes next; the recovery names the reason.
  [Note.FATAL]: (note) => recovery.crash(note.reason),
};

const engine = new Engine({
  onNote: (note) => NOTES[note.kind]?.(note),
  onLost: (reason) => recovery.recover(reason),
  onError: (text) => showError(t('gal.engine.error', { text: excerpt(text, 160) })),
});
const models = new Models({
  client: engine,
  base,
  selected: () => grid.select(),
  changed: () => grid.redraw(),
  restored: () => grid.restore(),
  trainingLost: () => trainer.lost(),
});
const grid = new SampleGrid({ models });
const trainer = new TrainerPanel({ client: engine, models, base });
const recovery = new Recovery({ engine, models, grid, trainer, boot });
$('backend').addEventListener('change', () => models.switchBackend(() => grid.stopWalk()));

/** The start: the model list, the engine, the first model that loads. A dead worker meanwhile: the recovery boots again. */
async function boot() {
  setStatus(t('gal.status.readingList'));
  const usable = await models.loadManifest();
  if (usable === null) return;
  let info;
  try {
    info = await models.startEngine();
  } catch (e) {
    if (e.engineLost) return;
    setStatus(t('gal.status.noEngine'));
    showError(t('gal.engine.noStart', { text: excerpt(e.message, 160) }));
    return;
  }
  if (usable) await models.selectFirst();
  else setStatus(t('gal.status.noModels'));
  // Then the trainer and the service worker's start (offline.js waits for data-ready), in a task of their own.
  await nextTask();
  if (engine.lost) return;
  document.body.dataset.ready = 'true';
  trainer.enable();
  models.upgrade(info);
}

boot();
