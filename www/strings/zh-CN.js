// The string table for Simplified Chinese: every text the site shows, by key. Keys and {parameters} match en.js;
// a test checks it. An entry may be { one, other } for words that change with a count (params.n).
export default {
  // --- common: common words: language, units
  'lang.label': '语言',

  // --- h16-pg: the playground page: index.html, js/main.js, js/playground/*.js, js/views/*.js

  // --- h16-props: properties, readouts, phases, diagnosis, link notices: js/state.js, js/playground/phases.js, diagnose.js, workers/playground.js

  // --- h16-gallery: the gallery: gallery.html, js/gallery.js, js/gallery/*.js, workers/gallery.js, workers/kit.js, workers/backend.js
  'gal.page.title': 'ganplay — 预训练图像生成器',
  'gal.page.heading': 'ganplay · 图像生成器',
  'gal.page.intro': '这些生成器由 ganplay 自己的 Rust 代码训练而成，此刻就在这个标签页里“做梦”。<a href="index.html">← 返回二维演练场</a>',
  'gal.models.label': '模型',
  'gal.status.starting': '正在启动…',
  'gal.sampling.label': '采样',
  'gal.samples.legend': '样本',
  'gal.resample': '重新采样',
  'gal.download.grid': '下载整张网格',
  'gal.seed': '随机种子',
  'gal.truncation': '截断（噪声幅度）',
  'gal.class': '类别',
  'gal.backend': '计算后端',
  'gal.backend.auto': '自动（有 WebGPU 就用）',
  'gal.explore.legend': '探索',
  'gal.explore.hint': '点击一个样本选为 A；按住 Shift 点击（或再点一次）选为 B。',
  'gal.interpolate': '从 A 插值到 B',
  'gal.interpolate.title': '在整张网格上，从 A 到 B 做球面插值',
  'gal.neighbours': 'A 的近邻',
  'gal.neighbours.title': '潜在空间中离 A 很近的样本',
  'gal.walk': '随机漫步',
  'gal.walk.title': '每个样本都在潜在空间中缓缓漂移',
  'gal.sliders.reset': '滑块归零',
  'gal.download.one': '下载 A',
  'gal.grid.label': '生成的样本',
  'gal.pick.a': 'A（含滑块调整）',
  'gal.preview.alt': '随模型附带的预览网格',
  'gal.preview.caption': '附带的预览',
  'gal.train.label': '在标签页里训练',
  'gal.train.legend': '在这里训练一个手写数字 GAN',
  'gal.train.hint': '一个小型条件 DCGAN 在这个标签页里学习 2,000 个手写数字；网格用的是固定噪声，每列一个数字。',
  'gal.train.scratch': '从零开始',
  'gal.train.finetune': '微调预训练模型',
  'gal.train.finetune.title': '从附带的手写数字生成器开始（它的网络更大，训练得更慢）',
  'gal.train.pause': '暂停',
  'gal.train.grid.label': '标签页内训练的样本',

  // --- h16-keys: keyboard

  // --- h16-layout: layout and screen readers

  // --- h16-offline: offline and installing

  // --- h16-lessons: lesson runner and lesson list
};
