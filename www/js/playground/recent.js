// "Recent sessions": the autosaves of tabs that are closed now, newest first, each with what it was
// (iteration, dataset, objective, when) and buttons to continue it here or delete it. The oldest
// are deleted past KEEP sessions or KEEP_MB in all; a closed session that never trained is deleted
// at once (its link holds all of it), unless it holds drawn points.
import { listSessions, deleteSessions } from './storage.js';
import { excerpt } from '../text.js';
import { t, lang } from '../i18n.js';
import { $, message, datasetLabel, optionLabel } from './page.js';

/** The most closed sessions kept. */
export const KEEP = 10;
/** The most storage closed sessions may take together, in MB. */
export const KEEP_MB = 200;

function when(ms) {
  const d = new Date(ms);
  const today = new Date().toDateString() === d.toDateString();
  const time = d.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
  return today ? t('pg.recent.today', { time }) : t('pg.recent.on', { date: d.toLocaleDateString(lang), time });
}

const worthKeeping = (row) => row.iteration > 0 || row.dataset === 'points';

export class RecentSessions {
  /**
   * `tab`: this tab's Tab (which sessions are open); `restore(id)`: this tab continues closed
   * session `id`, resolves when done.
   */
  constructor({ tab, restore }) {
    Object.assign(this, { tab, restore });
    this.closed = [];
    $('recent-note').textContent = t('pg.recent.note', { n: KEEP, mb: KEEP_MB });
    // Another tab closing shows here at once, and when this one comes back to the front.
    tab.onChange = () => this.refreshSoon();
    document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && this.refreshSoon());
    window.addEventListener('focus', () => this.refreshSoon());
  }

  /** Refreshes now and once more a moment later (a tab closed just now lets go of its session then). */
  refreshSoon() {
    this.refresh();
    clearTimeout(this.again);
    this.again = setTimeout(() => this.refresh(), 1000);
  }

  /** The closed sessions, newest first, after dropping the ones past the limits. */
  async closedSessions() {
    const [rows, open] = await Promise.all([listSessions(), this.tab.openIds()]);
    const keep = [];
    const drop = [];
    let bytes = 0;
    for (const row of rows) {
      if (open.has(row.id) || row.id === this.tab.id) continue;
      if (!worthKeeping(row) || keep.length >= KEEP || bytes + row.bytes > KEEP_MB * 1024 * 1024 || drop.length) drop.push(row.id);
      else {
        keep.push(row);
        bytes += row.bytes;
      }
    }
    if (drop.length) await deleteSessions(drop).catch(() => {});
    return keep;
  }

  async refresh() {
    try {
      this.closed = await this.closedSessions();
    } catch {
      this.closed = []; // storage blocked: the autosave line says so
    }
    this.render();
    document.body.dataset.recent = String(this.closed.length);
  }

  render() {
    const list = $('recent-list');
    list.textContent = '';
    $('recent').hidden = this.closed.length === 0;
    for (const row of this.closed) {
      const li = document.createElement('li');
      li.dataset.session = row.id;
      const what = document.createElement('span');
      what.className = 'what';
      what.textContent = t('pg.recent.what', { iteration: Number(row.iteration), dataset: row.dataset === 'points' ? t('pg.recent.yourPoints') : datasetLabel(excerpt(row.dataset, 20)), objective: optionLabel('objective', excerpt(row.objective, 20)) });
      const at = document.createElement('small');
      at.textContent = when(row.savedAt);
      const restore = document.createElement('button');
      restore.type = 'button';
      restore.textContent = t('pg.recent.restore');
      restore.title = t('pg.recent.restoreTip');
      restore.addEventListener('click', () => this.restore(row.id).finally(() => this.refresh()));
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'quiet';
      remove.textContent = t('pg.recent.delete');
      remove.title = t('pg.recent.deleteTip');
      remove.addEventListener('click', () =>
        deleteSessions([row.id]).then(
          () => this.refresh(),
          (e) => message(e.message),
        ),
      );
      li.append(what, ' ', at, ' ', restore, ' ', remove);
      list.append(li);
    }
  }

  /** The newest closed session, if any: where a new tab with an empty link starts. */
  async newest() {
    try {
      return (await this.closedSessions())[0] ?? null;
    } catch {
      return null;
    }
  }
}
