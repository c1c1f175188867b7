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

  // --- h16-lessons: lesson runner and lesson list
  // The lesson runner (js/playground/lesson.js)
  'lesson.count': 'Step {step} of {n}',
  'lesson.next': 'Next →',
  'lesson.finish': 'Finish',
  'lesson.ask.run': 'Run and see',
  'lesson.ask.see': 'See the answer',
  'lesson.right': 'Right.',
  'lesson.wrong': 'Not quite.',
  'lesson.chose': ' You chose “{choice}” last time.',
  'lesson.answerIs': ' The answer is “{choice}”.',
  'lesson.watch': '{label}: {before} → ',
  'lesson.done': 'Done.',
  'lesson.settingUp': 'Setting up the lesson…',
  'lesson.replaying': 'Bringing the run to step {to}: step {step}…',
  'lesson.trained': 'trained {done} of {of} rounds…',
  'lesson.trainedAt': 'step {step}: trained {done} of {of} rounds…',
  'lesson.finished': 'You finished “{title}”. Lessons (at the top) has the others.',
  'lesson.left': 'You left “{title}” at step {step}. Lessons (at the top) takes you back to it.',
  'lesson.notOpened': 'The lesson {id} could not be opened: {why}.',
  'lesson.stays': '{text} The page stays as it was.',
  'lesson.model.name': "The lesson's prepared model {path}",
  'lesson.model.failed': "The lesson's prepared model {path} could not be fetched ({why}). The page stays as it was.",
  'lesson.model.none': 'there is no such file',
  'lesson.model.tooLarge': 'larger than {mb} MB',
  'lesson.model.loaded': "{title}: the lesson's prepared model is loaded.",
  'lesson.file.fetch': '{path} could not be fetched ({why})',
  'lesson.file.none': 'there is no file {path}',
  'lesson.file.tooLarge': '{path} is larger than {kb} kB',
  'lesson.file.json': '{path} is not valid JSON ({why})',
  'lesson.file.name': '{id} is not a lesson name',
  'lesson.look.missing': 'This step points at something this page does not have ({selector}).',
  'lesson.look.hidden': 'This step points at {what}, but {why}.',
  'lesson.look.byLink': 'this classroom link hides it',
  'lesson.look.byEmbed': 'embed mode hides it',
  'lesson.look.notShowing': 'it is not showing right now',
  'lesson.look.readout': 'the “{name}” readout',
  'lesson.look.named': 'the {name}',
  'lesson.look.controls': 'the {name} controls',
  'lesson.look.somewhere': 'that part of the page',
  'lesson.readout.absent': '(not on this page)',
  // The lesson list (js/playground/lesson-list.js)
  'lesson.list.loading': 'Loading the lessons…',
  'lesson.list.failed': 'The list of lessons could not be read: {why}.',
  'lesson.list.broken': 'This lesson cannot be opened: {why}',
  'lesson.list.done': '✓ done',
  'lesson.list.going': 'in progress: step {step} of {n}',
  'lesson.list.steps': { one: '{n} step', other: '{n} steps' },
  'lesson.list.again': 'Start again',
  // A step's button when the lesson gives it no label (js/lesson-format.js describeAction)
  'lesson.action.set': 'set {name}',
  'lesson.action.change': 'change {n} settings',
  'lesson.action.show': 'show {name}',
  'lesson.action.hide': 'hide {name}',
  'lesson.action.train': { one: 'train {n} round', other: 'train {n} rounds' },
  'lesson.action.play': 'play',
  'lesson.action.draw': 'draw your own points',
  'lesson.action.and': ', ',
  'lesson.action.then': ', then ',
  // The lesson-file check (js/lesson-format.js): what a teacher reads about a lesson file with a mistake.
  // Field names (title, steps, ask, …) and JSON values are the file's own and stay as they are.
  'lesson.check.at': '{at}: {text}',
  'lesson.check.atStep': 'step {n}',
  'lesson.check.sep': ', ',
  'lesson.check.join': '; ',
  'lesson.check.more': { one: '…and {n} more problem', other: '…and {n} more problems' },
  'lesson.check.notObject': 'the file is not a JSON object',
  'lesson.check.unknown': 'unknown field {field} (the fields are {fields})',
  'lesson.check.text': '{field} must be a text of 1–{max} characters',
  'lesson.check.textOrLanguages': '{field} must be a text of 1–{max} characters, or one per language like {"en": "…", "zh-CN": "…"}',
  'lesson.check.textIn': '{field} in {code} must be a text of 1–{max} characters',
  'lesson.check.code': "{field}: {code} is not a language code (the page's languages are {codes})",
  'lesson.check.codeSpelling': '{field}: write the language {code} as {known}',
  'lesson.check.noLanguage': "{field} needs a text in at least one of the page's languages ({codes})",
  'lesson.check.settings': 'settings must be an object of { "setting": value }',
  'lesson.check.notSetting': '{key} is not a setting a lesson can change',
  'lesson.check.valueType': '{key} must be a number, a word or true/false, not {value}',
  'lesson.check.points': 'dataset "points" needs points: use "draw": true to let the student draw them',
  'lesson.check.action': 'must be an object like { "rounds": 200 }',
  'lesson.check.rounds': 'rounds must be a whole number in 1–{max}',
  'lesson.check.show': 'show must be an object like { "arrows": true }',
  'lesson.check.notPicture': 'show: {key} is not a picture (the pictures are {keys})',
  'lesson.check.showBool': 'show: {key} must be true or false',
  'lesson.check.bool': '{key} must be true or false',
  'lesson.check.ask': 'ask must be an object with question, choices, answer and why',
  'lesson.check.choices': 'choices must be a list of 2–{max} texts (each 1–120 characters)',
  'lesson.check.answer': 'answer must be the number of the right choice, counted from 0 (0–{last})',
  'lesson.check.watch': 'watch must be a list of at most {max} readout ids, like ["modes", "js"]',
  'lesson.check.id': "id must be {id}, the file's name (it is {was})",
  'lesson.check.setup': 'must be an object with settings and, if wanted, model',
  'lesson.check.model': 'model must be a path like "models/lessons/name.json" (not {was})',
  'lesson.check.steps': 'steps must be a list of 1–{max} steps',
  'lesson.check.step': 'must be an object with text (and look, do, ask)',
  'lesson.check.nothing': 'does nothing: give it rounds, settings, show, play or draw',
  'lesson.check.index': 'the lesson list must be { "lessons": ["id", …] }',
  'lesson.check.indexName': '{id} is not a lesson name (small letters, digits and "-")',
  'lesson.check.twice': '{id} is listed twice',
};
