// What a screen reader hears of a changing page: a picture's description, written at most every few
// seconds and only when its words change (a polite live region speaks each change), and news said
// once (an explained phase, a lesson step) through one polite region of the page.
import { t } from './i18n.js';

/** A picture's description is rewritten at most this often. */
export const DESCRIBE_MS = 4000;

/** The text of element `el`, kept to one write per `ms` (the newest text wins). */
export class LiveText {
  constructor(el, ms = DESCRIBE_MS) {
    Object.assign(this, { el, ms });
    this.at = -Infinity;
    this.next = null;
    this.timer = 0;
  }

  set(text) {
    this.next = text;
    if (this.timer) return;
    const wait = this.at + this.ms - performance.now();
    if (wait <= 0) this.write();
    else this.timer = setTimeout(() => this.write(), wait);
  }

  write() {
    this.timer = 0;
    this.at = performance.now();
    if (this.next !== null && this.el.textContent !== this.next) this.el.textContent = this.next;
    this.next = null;
  }
}

/** The page's region for news, there from the start (a region made as it speaks is often not heard). */
const news = document.createElement('div');
news.id = 'announce';
news.className = 'sr-only';
news.setAttribute('aria-live', 'polite');
document.body.append(news);

let pending = 0;

/** Says the text of table key `key` (with `params`) once to a screen reader, politely: after what it is reading. */
export function announce(key, params) {
  const text = t(key, params);
  // Emptied first and filled a moment later, so the same words twice are said twice; news that
  // comes quicker than that replaces the news not yet said (clicking through phases says the last).
  clearTimeout(pending);
  news.textContent = '';
  pending = setTimeout(() => (news.textContent = text), 60);
}
