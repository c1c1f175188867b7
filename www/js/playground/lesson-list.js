// "Lessons": the list of www/lessons/index.json in a dialog, each lesson a link to open (or go on
// with) it, with its summary and how far this browser got in it.
import { loadIndex, loadLesson } from './lesson.js';
import { loadProgress, forgetProgress } from './lesson-progress.js';
import { $ } from './page.js';
import { t } from '../i18n.js';

const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};

/** The link that opens lesson `id` at `step`. */
const linkTo = (id, step) => `#lesson=${encodeURIComponent(id)}&step=${step}`;

export class LessonList {
  /** `restart(id)`: opens lesson `id` again from its setup and step 1. */
  constructor({ restart }) {
    this.restart = restart;
    $('lessons-open').addEventListener('click', () => this.open());
    $('lesson-list-close').addEventListener('click', () => $('lesson-list').close());
    // A lesson's link opens it through the hash (see LessonRunner.followLink); the list then goes.
    $('lesson-items').addEventListener('click', (ev) => {
      if (ev.target.closest('a')) $('lesson-list').close();
    });
  }

  async open() {
    const dialog = $('lesson-list');
    if (!dialog.open) dialog.showModal();
    $('lesson-list-error').textContent = '';
    $('lesson-items').replaceChildren(el('li', { className: 'hint' }, t('lesson.list.loading')));
    let ids;
    try {
      ids = await loadIndex();
    } catch (e) {
      $('lesson-items').textContent = '';
      $('lesson-list-error').textContent = t('lesson.list.failed', { why: e.message });
      return;
    }
    const lessons = await Promise.all(ids.map((id) => loadLesson(id).then((lesson) => ({ id, lesson }), (e) => ({ id, error: e.message }))));
    $('lesson-items').replaceChildren(...lessons.map((l, k) => this.item(l, k + 1)));
    dialog.dataset.loaded = String(lessons.length);
  }

  /** One lesson's entry: its title (a link), how far it got, its summary; a broken file says what is wrong. */
  item({ id, lesson, error }, number) {
    if (error) return el('li', { className: 'broken' }, el('strong', {}, `${number}. ${id}`), el('p', { className: 'error' }, t('lesson.list.broken', { why: error })));
    const n = lesson.steps.length;
    const kept = loadProgress(id);
    const going = kept && !kept.done && kept.step > 1;
    const li = el('li', { className: 'lesson-item' });
    li.dataset.lesson = id;
    const title = el('a', { href: linkTo(id, going ? Math.min(kept.step, n) : 1) }, `${number}. ${lesson.title}`);
    const mark = el('span', { className: 'mark' });
    if (kept?.done) mark.append(t('lesson.list.done'));
    else if (going) mark.append(t('lesson.list.going', { step: Math.min(kept.step, n), n }));
    else mark.append(t('lesson.list.steps', { n }));
    li.dataset.progress = kept?.done ? 'done' : going ? 'going' : 'new';
    li.append(el('div', { className: 'head' }, title, mark), el('p', {}, lesson.summary));
    if (kept) {
      const again = el('button', { type: 'button', className: 'quiet' }, t('lesson.list.again'));
      again.addEventListener('click', () => {
        forgetProgress(id);
        $('lesson-list').close();
        this.restart(id);
      });
      li.append(again);
    }
    return li;
  }
}
