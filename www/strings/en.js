// The string table for English (the reference language): every text the site shows, by key. Keys and {parameters} match zh-CN.js;
// a test checks it. An entry may be { one, other } for words that change with a count (params.n).
export default {
  // --- common: common words: language, units
  'lang.label': 'Language',

  // --- h16-pg: the playground page: index.html, js/main.js, js/playground/*.js, js/views/*.js

  // --- h16-props: properties, readouts, phases, diagnosis, link notices: js/state.js, js/playground/phases.js, diagnose.js, workers/playground.js

  // --- h16-gallery: the gallery: gallery.html, js/gallery.js, js/gallery/*.js, workers/gallery.js, workers/kit.js, workers/backend.js

  // --- h16-keys: keyboard

  // --- h16-layout: layout and screen readers

  // --- h16-offline: offline and installing
  'offline.ready': 'ganplay is now saved in this browser: it works without the internet too.',
  'offline.update': 'A new version of ganplay is ready. It starts when you reload this page (close any other ganplay tabs first).',
  'offline.reload': 'Reload',
  'offline.later': 'Later',

  // --- h16-lessons: lesson runner and lesson list
};
