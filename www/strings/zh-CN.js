// The string table for Simplified Chinese: every text the site shows, by key. Keys and {parameters} match en.js;
// a test checks it. An entry may be { one, other } for words that change with a count (params.n).
export default {
  // --- common: common words: language, units
  'lang.label': '语言',

  // --- h16-pg: the playground page: index.html, js/main.js, js/playground/*.js, js/views/*.js

  // --- h16-props: properties, readouts, phases, diagnosis, link notices: js/state.js, js/playground/phases.js, diagnose.js, workers/playground.js

  // --- h16-gallery: the gallery: gallery.html, js/gallery.js, js/gallery/*.js, workers/gallery.js, workers/kit.js, workers/backend.js

  // --- h16-keys: keyboard

  // --- h16-layout: layout and screen readers

  // --- h16-offline: offline and installing
  'offline.ready': 'ganplay 已保存在这个浏览器里，没有网络也能使用。',
  'offline.update': 'ganplay 有新版本了。重新加载本页即可使用（请先关闭其他 ganplay 标签页）。',
  'offline.reload': '重新加载',
  'offline.later': '稍后',

  // --- h16-lessons: lesson runner and lesson list
};
