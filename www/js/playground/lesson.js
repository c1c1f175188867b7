// The lesson runner: opens a lesson (www/lessons/<id>.json, format in lesson-format.js and
// docs/lessons.md) from a link `#lesson=<id>[&step=<n>]`, sets up its run and walks its steps in a
// panel: the text, the element to look at (outlined on the page), a button that does the step, and
// a predict-then-run question that reveals what happened and why. The run changes only through the
// Run and the Transport, as the page's own controls change it.
import { LESSON_NAME, checkLesson, checkIndex, lessonState, describeAction } from '../lesson-format.js';
import { PROP, GROUP_NAMES, READOUTS } from '../state.js';
import { t } from '../i18n.js';
import { quote } from '../text.js';
import { loadProgress, saveProgress } from './lesson-progress.js';
import { $, message } from './page.js';
import { unfold } from '../fold.js';
import { announce } from '../live.js';

/** The largest lesson file (or lesson list) read, and the largest prepared model. */
const MAX_LESSON_BYTES = 1024 * 1024;
const MAX_MODEL_BYTES = 16 * 1024 * 1024;
/** Settings that only change the picture or the pace (no new run). */
const VIEW_GROUPS = ['show', 'run'];

/** A JSON file of the site, at most `max` bytes: its value, or an Error with a sentence. */
async function fetchJson(path, max) {
  let res;
  try {
    res = await fetch(path, { cache: 'no-cache' });
  } catch (e) {
    throw new Error(t('lesson.file.fetch', { path, why: e.message }));
  }
  if (res.status === 404) throw new Error(t('lesson.file.none', { path }));
  if (!res.ok) throw new Error(t('lesson.file.fetch', { path, why: `HTTP ${res.status}` }));
  const text = await res.text();
  if (text.length > max) throw new Error(t('lesson.file.tooLarge', { path, kb: max / 1024 }));
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(t('lesson.file.json', { path, why: e.message }));
  }
}

/** The lesson `id`, checked; throws an Error that says what is wrong with its file. */
export async function loadLesson(id) {
  if (!LESSON_NAME.test(id)) throw new Error(t('lesson.file.name', { id: quote(id) }));
  const path = `lessons/${id}.json`;
  const checked = checkLesson(await fetchJson(path, MAX_LESSON_BYTES), id);
  if (checked.problems) throw new Error(t('lesson.check.at', { at: path, text: checked.problems.join(t('lesson.check.join')) }));
  return checked.lesson;
}

/** The lesson ids of www/lessons/index.json, in order. */
export async function loadIndex() {
  const checked = checkIndex(await fetchJson('lessons/index.json', MAX_LESSON_BYTES));
  if (checked.problems) throw new Error(t('lesson.check.at', { at: 'lessons/index.json', text: checked.problems.join(t('lesson.check.join')) }));
  return checked.ids;
}

/** A readable name for a page element, for "this step points at …". */
function nameOf(el) {
  const prop = el.closest('[data-prop]')?.dataset.prop;
  if (prop) return `“${GROUP_NAMES[prop] ?? PROP[prop]?.label ?? prop}”`;
  if (el.tagName === 'DD' && READOUTS[el.id]) return t('lesson.look.readout', { name: READOUTS[el.id].label });
  const aria = el.getAttribute('aria-label');
  if (aria) return t('lesson.look.named', { name: aria.split(/[:：]/)[0] });
  const legend = el.closest('fieldset')?.querySelector('legend');
  if (legend) return t('lesson.look.controls', { name: legend.textContent });
  return el.id ? `#${el.id}` : t('lesson.look.somewhere');
}

/** A readout for "before → after": its label (from the readout table) and its text now. */
function readout(id) {
  const el = document.getElementById(id);
  if (!el) return { label: id, value: t('lesson.readout.absent') };
  return { label: READOUTS[id]?.label ?? id, value: el.textContent.trim() || '–' };
}

/** After the worker's frame arrived: the frames room writes the readouts on the next animation frame. */
const painted = () =>
  new Promise((resolve) => {
    const done = setTimeout(resolve, 1000); // a hidden tab gets no animation frames
    requestAnimationFrame(() => requestAnimationFrame(() => (clearTimeout(done), resolve())));
  });

const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};

export class LessonRunner {
  /**
   * `run`: the Run (state, set, update, importModel, mark); `transport`: the Transport (train,
   * play); `draw()`: opens the draw tool; `changed()`: the lesson moved (the autosave takes the link).
   */
  /** `opened()`: a lesson's panel opened (the introduction makes way). */
  constructor({ run, transport, draw, opened = () => {}, changed }) {
    Object.assign(this, { run, transport, draw, opened, changed });
    this.lesson = null; // the lesson open
    this.at = 0; // the index of the step shown
    this.progress = null;
    this.token = 0; // each open or action takes a new one; an older one stops when it sees it
    this.busy = false;
    this.booted = false;
    this.looked = null; // the element outlined
    window.addEventListener('hashchange', () => this.followLink());
    $('lesson-close').addEventListener('click', () => this.close());
    $('lesson-back').addEventListener('click', () => this.show(this.at - 1));
    $('lesson-next').addEventListener('click', () => (this.at === this.lesson.steps.length - 1 ? this.finish() : this.show(this.at + 1)));
    $('lesson-do').addEventListener('click', () => this.doStep());
    $('lesson-run').addEventListener('click', () => this.runAsk());
    $('lesson-show').addEventListener('click', () => this.point(true));
    $('lesson-choices').addEventListener('change', () => this.setBusy(this.busy));
  }

  get active() {
    return this.lesson !== null;
  }

  /** After the first start: opens the lesson of the link, where a restored session left it if `restored`. */
  boot(restored) {
    this.booted = true;
    const { lesson, step } = this.run.state;
    if (lesson) this.open(lesson, { step: step || null, setup: !restored });
  }

  /** A link pasted or clicked (`#lesson=…`): opens its lesson, goes to its step, or closes (`lesson=` empty). */
  followLink() {
    if (!this.booted) return;
    const link = new URLSearchParams(location.hash.replace(/^#/, ''));
    if (!link.has('lesson')) return;
    const id = link.get('lesson');
    const text = link.get('step');
    const step = text !== null && /^\d{1,2}$/.test(text) && Number(text) >= 1 ? Number(text) : null;
    if (id === '') return this.close();
    // A name the link table refuses gets its notice from the Run.
    if (!LESSON_NAME.test(id)) return;
    if (this.lesson?.id === id) {
      if (step !== null && !this.busy) this.show(step - 1);
      return;
    }
    this.open(id, { step, setup: true });
  }

  /**
   * Opens lesson `id` at `step` (from 1; null: where its progress says), setting its run up first
   * when `setup`. A file that cannot be read or checked, or a setup the engine refuses, leaves the
   * page as it was (the lesson open before stays open). Resolves to whether it opened.
   */
  async open(id, { step = null, setup = true } = {}) {
    const token = ++this.token;
    let lesson;
    try {
      lesson = await loadLesson(id);
    } catch (e) {
      if (token === this.token) this.refuse(t('lesson.notOpened', { id: quote(id), why: e.message }));
      return false;
    }
    if (token !== this.token) return false;
    const kept = loadProgress(id);
    const n = lesson.steps.length;
    const at = Math.max(1, Math.min(n, step ?? (kept && !kept.done ? kept.step : 1)));
    if (setup) {
      this.setBusy(true);
      this.status(t('lesson.settingUp'));
      const ok = await this.setUp(lesson).finally(() => this.setBusy(false));
      if (token !== this.token) return false;
      if (!ok) {
        this.refuse('');
        return false;
      }
    }
    this.unpoint();
    this.lesson = lesson;
    this.progress = { step: at, answers: kept?.answers ?? {}, done: kept?.done ?? false };
    $('lesson-title').textContent = lesson.title;
    $('lesson-panel').hidden = false;
    this.opened();
    document.body.classList.add('lesson-open');
    document.body.dataset.lesson = id;
    $('lesson-title').focus({ preventScroll: true });
    // Resuming later in a fresh run: the earlier steps' actions again, so the run is where this step expects it.
    if (setup && at > 1) await this.replay(at - 1, token);
    if (token !== this.token) return false;
    this.show(at - 1);
    return true;
  }

  /** Says why a lesson did not open, and puts the link back to the lesson still open (or none). */
  refuse(text) {
    if (text) message(t('lesson.stays', { text }));
    this.status('');
    this.run.mark({ lesson: this.lesson?.id ?? '', step: this.lesson ? this.at + 1 : 0 });
  }

  /**
   * A new run as the lesson's setup says: its settings over the defaults, or its prepared model
   * (then its settings as a step's). Resolves to whether the engine took it.
   */
  async setUp(lesson) {
    const { settings, model } = lesson.setup;
    if (!model) return (await this.run.update((s) => lessonState(s, settings))) !== false;
    let text;
    try {
      const res = await fetch(model, { cache: 'no-cache' });
      if (!res.ok) throw new Error(res.status === 404 ? t('lesson.model.none') : `HTTP ${res.status}`);
      text = await res.text();
      if (text.length > MAX_MODEL_BYTES) throw new Error(t('lesson.model.tooLarge', { mb: MAX_MODEL_BYTES / 1048576 }));
    } catch (e) {
      message(t('lesson.model.failed', { path: model, why: e.message }));
      return false;
    }
    const at = await this.run.importModel(text, t('lesson.model.name', { path: model }), { said: () => t('lesson.model.loaded', { title: lesson.title }) });
    if (at === null) return false;
    // The pictures and pace as the lesson asks (defaults unless it names them), the model's own settings unless it names them.
    const target = lessonState(this.run.state, settings);
    const view = Object.fromEntries(Object.entries(target).filter(([k]) => VIEW_GROUPS.includes(PROP[k].group)));
    return this.apply({ settings: { ...settings, ...view }, show: {}, rounds: 0, play: false, draw: false }, () => true);
  }

  /** Runs the actions of steps 1…`count` (their `do` and their question's `run`), with progress. */
  async replay(count, token) {
    this.setBusy(true);
    try {
      for (let i = 0; i < count && token === this.token; i++) {
        const s = this.lesson.steps[i];
        for (const a of [s.do, s.ask?.run]) {
          if (!a || token !== this.token) continue;
          this.status(t('lesson.replaying', { to: count + 1, step: i + 1 }));
          if (!(await this.apply({ ...a, play: false, draw: false }, () => token === this.token, i + 1))) return;
        }
      }
    } finally {
      this.setBusy(false);
      this.status('');
    }
  }

  /**
   * Does an action: settings (live where the Run can, else a new run), pictures, rounds (then
   * paused), play, draw. Stops when `going()` turns false. Resolves to whether it all happened.
   * `replaying`: the step (from 1) whose action this is, when steps are done again on the way to a later one.
   */
  async apply(a, going, replaying = 0) {
    const set = (entries) => Promise.all(entries.filter(([k, v]) => JSON.stringify(this.run.state[k]) !== JSON.stringify(v)).map(([k, v]) => this.run.set(k, v)));
    // Run settings first, all at once: live ones reach the running model, any other makes one new run
    // of them without asking (the step's button says what it does). Then the pictures.
    const all = Object.entries(a.settings);
    const runSettings = Object.fromEntries(all.filter(([k]) => !VIEW_GROUPS.includes(PROP[k].group)));
    const ok = await this.run.change(runSettings, { ask: false });
    if (ok === false || !going()) return false;
    await set([...all.filter(([k]) => VIEW_GROUPS.includes(PROP[k].group)), ...Object.entries(a.show)]);
    if (a.rounds) {
      const ok = await this.transport.train(a.rounds, {
        progress: (done, of) => this.status(replaying ? t('lesson.trainedAt', { step: replaying, done, of }) : t('lesson.trained', { done, of })),
        going,
      });
      if (!ok) return false;
    }
    if (a.play && going()) await this.transport.play();
    if (a.draw && going()) await this.draw();
    return true;
  }

  /** Shows step `i` (clamped): its text, what to look at, its button and its question. */
  show(i) {
    if (!this.lesson || this.busy) return;
    const steps = this.lesson.steps;
    this.at = Math.max(0, Math.min(steps.length - 1, i));
    const step = steps[this.at];
    $('lesson-count').textContent = t('lesson.count', { step: this.at + 1, n: steps.length });
    $('lesson-text').textContent = step.text;
    announce('a11y.step', { count: $('lesson-count').textContent, text: step.text });
    $('lesson-do').hidden = !step.do;
    if (step.do) $('lesson-do').textContent = step.do.label ?? describeAction(step.do);
    this.showAsk(step.ask);
    $('lesson-back').disabled = this.at === 0;
    $('lesson-next').textContent = this.at === steps.length - 1 ? t('lesson.finish') : t('lesson.next');
    this.status('');
    this.point(true);
    document.body.dataset.lessonStep = String(this.at + 1);
    this.progress.step = this.at + 1;
    saveProgress(this.lesson.id, this.progress);
    this.run.mark({ lesson: this.lesson.id, step: this.at + 1 });
    this.changed();
    this.setBusy(false);
  }

  /** The question's choices, as radio buttons; an answer given before is checked again, with its verdict. */
  showAsk(ask) {
    $('lesson-ask').hidden = !ask;
    $('lesson-reveal').textContent = '';
    $('lesson-choices').textContent = '';
    if (!ask) return;
    $('lesson-question').textContent = ask.question;
    const before = this.progress.answers[this.at];
    for (const [k, choice] of ask.choices.entries()) {
      const input = el('input', { type: 'radio', name: 'lesson-choice', value: String(k), checked: k === before });
      $('lesson-choices').append(el('label', { className: 'check' }, input, ' ', choice));
    }
    $('lesson-run').textContent = ask.run ? t('lesson.ask.run') : t('lesson.ask.see');
    if (before !== undefined && before < ask.choices.length) this.reveal(ask, before, null, true);
  }

  /** The choice checked, or null. */
  get choice() {
    const c = $('lesson-choices').querySelector('input:checked');
    return c ? Number(c.value) : null;
  }

  /**
   * Outlines the step's element and brings it into view; where the page hides it (a classroom
   * link, embed mode) or has none, the panel says so instead.
   */
  point(scroll) {
    this.unpoint();
    const note = $('lesson-look');
    const selector = this.lesson?.steps[this.at].look;
    $('lesson-show').hidden = !selector;
    note.hidden = true;
    if (!selector) return;
    let target = null;
    try {
      target = document.querySelector(selector);
    } catch {
      // Not a selector: said below as "not on this page".
    }
    const say = (text) => {
      note.textContent = text;
      note.hidden = false;
      $('lesson-show').hidden = true;
    };
    if (!target) return say(t('lesson.look.missing', { selector }));
    unfold(target); // a section folded on a phone opens for it
    if (target.getClientRects().length === 0) {
      const why = target.closest('.hidden-by-link') ? t('lesson.look.byLink') : document.body.classList.contains('embed') ? t('lesson.look.byEmbed') : t('lesson.look.notShowing');
      return say(t('lesson.look.hidden', { what: nameOf(target), why }));
    }
    target.classList.add('lesson-look');
    this.looked = target;
    $('lesson-panel').classList.remove('left');
    if (scroll) target.scrollIntoView({ block: 'center', inline: 'nearest' });
    this.dodge(target);
  }

  unpoint() {
    this.looked?.classList.remove('lesson-look');
    this.looked = null;
  }

  /** Moves the panel to the other side of the window when it covers the element pointed at. */
  dodge(target) {
    const panel = $('lesson-panel');
    if (getComputedStyle(panel).position !== 'fixed') return;
    const covers = () => {
      const a = panel.getBoundingClientRect();
      const b = target.getBoundingClientRect();
      return Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
    };
    const here = covers();
    if (here === 0) return;
    panel.classList.toggle('left');
    if (covers() > here) panel.classList.toggle('left');
  }

  /** The step's button. */
  async doStep() {
    const a = this.lesson?.steps[this.at].do;
    if (!a || this.busy) return;
    const token = ++this.token;
    this.setBusy(true);
    const ok = await this.apply(a, () => token === this.token).finally(() => this.setBusy(false));
    if (token !== this.token) return;
    this.status(ok ? t('lesson.done') : '');
    this.point(false);
  }

  /** "Run and see": does the question's run, then shows the verdict, the readouts before → after and why. */
  async runAsk() {
    const ask = this.lesson?.steps[this.at].ask;
    const choice = this.choice;
    if (!ask || choice === null || this.busy) return;
    const token = ++this.token;
    const at = this.at;
    this.progress.answers[at] = choice;
    saveProgress(this.lesson.id, this.progress);
    const before = ask.watch.map(readout);
    let ok = true;
    if (ask.run) {
      this.setBusy(true);
      ok = await this.apply(ask.run, () => token === this.token).finally(() => this.setBusy(false));
      if (token !== this.token || this.at !== at) return;
      await painted();
    }
    this.status('');
    this.reveal(ask, choice, ok ? before : null, false);
    this.point(false);
  }

  /** The answer: right or not, what the readouts did (`before`: their values before the run), and why. */
  reveal(ask, choice, before, remembered) {
    const right = choice === ask.answer;
    const verdict = el('p', { className: `verdict ${right ? 'right' : 'wrong'}` });
    const last = remembered ? t('lesson.chose', { choice: ask.choices[choice] }) : '';
    verdict.append(el('strong', {}, right ? t('lesson.right') : t('lesson.wrong')), `${last}${right ? '' : t('lesson.answerIs', { choice: ask.choices[ask.answer] })}`);
    const parts = [verdict];
    if (before?.length) {
      const after = ask.watch.map(readout);
      parts.push(el('ul', { className: 'watch' }, ...after.map((r, k) => el('li', {}, t('lesson.watch', { label: r.label, before: before[k].value }), el('strong', {}, r.value)))));
    }
    parts.push(el('p', { className: 'why' }, ask.why));
    $('lesson-reveal').replaceChildren(...parts);
    $('lesson-panel').dataset.revealed = String(this.at + 1);
    // The panel scrolls on its own when the answer makes it taller than its room.
    if (!remembered) $('lesson-reveal').scrollIntoView({ block: 'nearest' });
  }

  /** The last step's "Finish": the lesson is marked done and closes. */
  finish() {
    if (!this.lesson || this.busy) return;
    this.progress.done = true;
    saveProgress(this.lesson.id, this.progress);
    const title = this.lesson.title;
    this.close(false);
    message(t('lesson.finished', { title }), 'notice');
  }

  /** Leaves the lesson; its progress stays, for Lessons to resume it. */
  close(say = true) {
    if (!this.lesson) return;
    this.token++;
    const { id, title } = this.lesson;
    this.unpoint();
    this.lesson = null;
    this.setBusy(false);
    $('lesson-panel').hidden = true;
    delete $('lesson-panel').dataset.revealed;
    document.body.classList.remove('lesson-open');
    delete document.body.dataset.lesson;
    delete document.body.dataset.lessonStep;
    this.run.mark({ lesson: '', step: 0 });
    this.changed();
    if (say) message(t('lesson.left', { title, step: loadProgress(id)?.step ?? 1 }), 'notice');
  }

  status(text) {
    $('lesson-status').textContent = text;
  }

  /** While an action runs, the panel's buttons wait (Leave stays: it stops the action). */
  setBusy(on) {
    this.busy = on;
    $('lesson-panel').dataset.busy = String(on);
    for (const id of ['lesson-back', 'lesson-next', 'lesson-do']) $(id).disabled = on || (id === 'lesson-back' && this.at === 0);
    $('lesson-run').disabled = on || this.choice === null;
  }
}
