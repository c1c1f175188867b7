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

  // --- h16-lessons: lesson runner and lesson list
  // The lesson runner (js/playground/lesson.js)
  'lesson.count': '第 {step} 步，共 {n} 步',
  'lesson.next': '下一步 →',
  'lesson.finish': '完成',
  'lesson.ask.run': '运行看看',
  'lesson.ask.see': '看答案',
  'lesson.right': '答对了。',
  'lesson.wrong': '不太对。',
  'lesson.chose': '你上次选的是“{choice}”。',
  'lesson.answerIs': '正确答案是“{choice}”。',
  'lesson.watch': '{label}：{before} → ',
  'lesson.done': '做好了。',
  'lesson.settingUp': '正在准备这一课…',
  'lesson.replaying': '正在重做前面的步骤，好让训练到达第 {to} 步：现在是第 {step} 步…',
  'lesson.trained': '已训练 {done} / {of} 轮…',
  'lesson.trainedAt': '第 {step} 步：已训练 {done} / {of} 轮…',
  'lesson.finished': '你学完了“{title}”。页面顶部的“课程”里还有其他课。',
  'lesson.left': '你在第 {step} 步离开了“{title}”。点页面顶部的“课程”就能回到这里。',
  'lesson.notOpened': '无法打开课程 {id}：{why}。',
  'lesson.stays': '{text}页面保持原样。',
  'lesson.model.name': '这一课预先训练好的模型 {path}',
  'lesson.model.failed': '无法获取这一课预先训练好的模型 {path}（{why}）。页面保持原样。',
  'lesson.model.none': '没有这个文件',
  'lesson.model.tooLarge': '超过 {mb} MB',
  'lesson.model.loaded': '{title}：这一课预先训练好的模型已载入。',
  'lesson.file.fetch': '无法获取 {path}（{why}）',
  'lesson.file.none': '没有 {path} 这个文件',
  'lesson.file.tooLarge': '{path} 超过了 {kb} kB',
  'lesson.file.json': '{path} 不是有效的 JSON（{why}）',
  'lesson.file.name': '{id} 不是一个课程名',
  'lesson.look.missing': '这一步要你看的东西不在这个页面上（{selector}）。',
  'lesson.look.hidden': '这一步要你看{what}，但{why}。',
  'lesson.look.byLink': '这个课堂链接把它隐藏了',
  'lesson.look.byEmbed': '嵌入模式下它被隐藏了',
  'lesson.look.notShowing': '它现在没有显示出来',
  'lesson.look.readout': '“{name}”读数',
  'lesson.look.named': '{name}',
  'lesson.look.controls': '“{name}”这组控件',
  'lesson.look.somewhere': '页面上的那一部分',
  'lesson.readout.absent': '（不在这个页面上）',
  // The lesson list (js/playground/lesson-list.js)
  'lesson.list.loading': '正在载入课程…',
  'lesson.list.failed': '无法读取课程列表：{why}。',
  'lesson.list.broken': '这一课打不开：{why}',
  'lesson.list.done': '✓ 已学完',
  'lesson.list.going': '学习中：第 {step} 步，共 {n} 步',
  'lesson.list.steps': { other: '共 {n} 步' },
  'lesson.list.again': '从头再学',
  // A step's button when the lesson gives it no label (js/lesson-format.js describeAction)
  'lesson.action.set': '设置{name}',
  'lesson.action.change': '更改 {n} 项设置',
  'lesson.action.show': '显示{name}',
  'lesson.action.hide': '隐藏{name}',
  'lesson.action.train': { other: '训练 {n} 轮' },
  'lesson.action.play': '开始播放',
  'lesson.action.draw': '画出你自己的数据点',
  'lesson.action.and': '、',
  'lesson.action.then': '，然后',
  // The lesson-file check (js/lesson-format.js): what a teacher reads about a lesson file with a mistake.
  // Field names (title, steps, ask, …) and JSON values are the file's own and stay as they are.
  'lesson.check.at': '{at}：{text}',
  'lesson.check.atStep': '第 {n} 步',
  'lesson.check.sep': '，',
  'lesson.check.join': '；',
  'lesson.check.more': { other: '……另外还有 {n} 个问题' },
  'lesson.check.notObject': '这个文件不是一个 JSON 对象',
  'lesson.check.unknown': '未知字段 {field}（可用的字段有 {fields}）',
  'lesson.check.text': '{field} 必须是 1–{max} 个字符的文本',
  'lesson.check.textOrLanguages': '{field} 必须是 1–{max} 个字符的文本，或者按语言分别写出，例如 {"en": "…", "zh-CN": "…"}',
  'lesson.check.textIn': '{field} 里 {code} 的文本必须是 1–{max} 个字符',
  'lesson.check.code': '{field}：{code} 不是语言代码（本页面的语言有 {codes}）',
  'lesson.check.codeSpelling': '{field}：语言代码 {code} 要写成 {known}',
  'lesson.check.noLanguage': '{field} 至少要有一种本页面语言（{codes}）的文本',
  'lesson.check.settings': 'settings 必须是 { "设置名": 值 } 这样的对象',
  'lesson.check.notSetting': '{key} 不是课程可以更改的设置',
  'lesson.check.valueType': '{key} 必须是数字、单词或 true/false，不能是 {value}',
  'lesson.check.points': 'dataset "points" 需要数据点：请用 "draw": true 让学生自己画',
  'lesson.check.action': '必须是类似 { "rounds": 200 } 的对象',
  'lesson.check.rounds': 'rounds 必须是 1–{max} 之间的整数',
  'lesson.check.show': 'show 必须是类似 { "arrows": true } 的对象',
  'lesson.check.notPicture': 'show：{key} 不是可以显示的图层（可用的有 {keys}）',
  'lesson.check.showBool': 'show：{key} 必须是 true 或 false',
  'lesson.check.bool': '{key} 必须是 true 或 false',
  'lesson.check.ask': 'ask 必须是包含 question、choices、answer 和 why 的对象',
  'lesson.check.choices': 'choices 必须是包含 2–{max} 个文本的列表（每个 1–120 个字符）',
  'lesson.check.answer': 'answer 必须是正确选项的编号，从 0 开始数（0–{last}）',
  'lesson.check.watch': 'watch 必须是最多 {max} 个读数 id 的列表，例如 ["modes", "js"]',
  'lesson.check.id': 'id 必须是 {id}，也就是文件名（现在是 {was}）',
  'lesson.check.setup': '必须是包含 settings 的对象（需要时再加上 model）',
  'lesson.check.model': 'model 必须是类似 "models/lessons/name.json" 的路径（现在是 {was}）',
  'lesson.check.steps': 'steps 必须是包含 1–{max} 个步骤的列表',
  'lesson.check.step': '必须是包含 text 的对象（还可以有 look、do、ask）',
  'lesson.check.nothing': '什么也不做：请给它 rounds、settings、show、play 或 draw',
  'lesson.check.index': '课程列表必须写成 { "lessons": ["id", …] }',
  'lesson.check.indexName': '{id} 不是课程名（只能用小写字母、数字和 "-"）',
  'lesson.check.twice': '{id} 被列出了两次',
};
