// The gallery page: lists the shipped generators (models/manifest.json), asks the worker for
// images, and draws them. Makes its rooms (www/js/gallery/) and wires them together; the worker is
// workers/gallery.js, spoken to through protocol.js.
import { GalleryNote as Note, connect } from './protocol.js';
import { Models } from './gallery/models.js';
import { SampleGrid } from './gallery/grid.js';
import { TrainerPanel } from './gallery/trainer.js';
import { $, showError } from './gallery/page.js';

const base = new URL('.', location.href).href;

/** What the page does with each note of the worker. */
const NOTES = {
  [Note.PROGRESS]: (note) => models.progress(note),
  [Note.DEVICE_LOST]: (note) => models.deviceLost(note),
  [Note.TRAIN_FRAME]: (note) => trainer.frame(note),
  [Note.TRAIN_ERROR]: (note) => trainer.error(note.message),
};

const client = connect(new URL('./workers/gallery.js', import.meta.url), {
  onNote: (note) => NOTES[note.kind]?.(note),
  onLost: (reason) => showError(`The engine ${reason} unexpectedly. Reload the page.`),
  onError: (text) => showError(`The worker stopped: ${text}. Reload the page.`),
});
const models = new Models({
  client,
  base,
  selected: () => grid.select(),
  changed: () => grid.redraw(),
  trainingLost: () => trainer.lost(),
});
const grid = new SampleGrid({ models });
const trainer = new TrainerPanel({ client, models, base });
$('backend').addEventListener('change', () => models.switchBackend(() => grid.stopWalk()));

async function main() {
  if (!(await models.loadManifest())) return;
  let info;
  try {
    info = await models.startEngine();
  } catch (e) {
    showError(`The engine did not start: ${e.message}`);
    return;
  }
  await models.selectFirst();
  document.body.dataset.ready = 'true';
  trainer.enable();
  models.upgrade(info);
}

main();
