// The string table for English (the reference language): every text the site shows, by key. Keys and {parameters} match zh-CN.js;
// a test checks it. An entry may be { one, other } for words that change with a count (params.n).
export default {
  // --- common: common words: language, units
  'lang.label': 'Language',

  // --- h16-pg: the playground page: index.html, js/main.js, js/playground/*.js, js/views/*.js

  // --- h16-props: properties, readouts, phases, diagnosis, link notices: js/state.js, js/playground/phases.js, diagnose.js, workers/playground.js

  // --- h16-gallery: the gallery: gallery.html, js/gallery.js, js/gallery/*.js, workers/gallery.js, workers/kit.js, workers/backend.js
  'gal.page.title': 'ganplay — pretrained image generators',
  'gal.page.heading': 'ganplay · image generators',
  'gal.page.intro': 'Generators trained with ganplay\'s own Rust code, dreaming in this tab. <a href="index.html">← the 2D playground</a>',
  'gal.models.label': 'models',
  'gal.status.starting': 'Starting…',
  'gal.sampling.label': 'sampling',
  'gal.samples.legend': 'Samples',
  'gal.resample': 'Resample',
  'gal.download.grid': 'Download grid',
  'gal.seed': 'Seed',
  'gal.truncation': 'Truncation (noise scale)',
  'gal.class': 'Class',
  'gal.backend': 'Backend',
  'gal.backend.auto': 'auto (WebGPU if present)',
  'gal.explore.legend': 'Explore',
  'gal.explore.hint': 'Click a sample to pick it (A); shift-click (or click a second time) to pick B.',
  'gal.interpolate': 'Interpolate A → B',
  'gal.interpolate.title': 'Spherical interpolation from A to B across the grid',
  'gal.neighbours': 'Neighbours of A',
  'gal.neighbours.title': 'Samples near A in latent space',
  'gal.walk': 'Random walk',
  'gal.walk.title': 'Every sample drifts slowly through latent space',
  'gal.sliders.reset': 'Sliders to 0',
  'gal.download.one': 'Download A',
  'gal.grid.label': 'generated samples',
  'gal.pick.a': 'A (with the sliders)',
  'gal.preview.alt': 'the preview grid shipped with this model',
  'gal.preview.caption': 'shipped preview',
  'gal.train.label': 'train in the tab',
  'gal.train.legend': 'Train a digits GAN here',
  'gal.train.hint': 'A small conditional DCGAN learns from 2,000 digits in this tab; the grid shows fixed noise, one column per digit.',
  'gal.train.scratch': 'From scratch',
  'gal.train.finetune': 'Fine-tune pretrained',
  'gal.train.finetune.title': 'Start from the shipped digits generator (its larger network trains more slowly)',
  'gal.train.pause': 'Pause',
  'gal.train.grid.label': 'in-tab training samples',

  // --- h16-keys: keyboard

  // --- h16-layout: layout and screen readers

  // --- h16-offline: offline and installing

  // --- h16-lessons: lesson runner and lesson list
};
