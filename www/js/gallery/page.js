// What every room of the gallery shares: finding an element, the error list and the status line.
import { t } from '../i18n.js';

export const $ = (id) => document.getElementById(id);

/** Resolves in a task of its own: long work split by it never holds the page more than one part long. */
export const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The error list keeps this many lines; older ones are counted, not shown. */
const MAX_ERRORS = 20;
let hidden = 0;

/** Adds a line to the error list (as text). */
export function showError(message) {
  const list = $('errors');
  const p = document.createElement('p');
  p.textContent = message;
  list.append(p);
  const lines = list.querySelectorAll('p:not(.hidden-count)');
  if (lines.length <= MAX_ERRORS) return;
  lines[0].remove();
  hidden++;
  let count = list.querySelector('.hidden-count');
  if (!count) {
    count = Object.assign(document.createElement('p'), { className: 'hidden-count' });
    list.prepend(count);
  }
  count.textContent = t('gal.errors.hidden', { n: hidden });
}

/** The status line, with a progress bar when `progress` (0–1) is given. */
export function setStatus(text, progress) {
  $('status-text').textContent = text;
  const bar = $('progress');
  bar.hidden = progress === undefined;
  if (progress !== undefined) bar.value = progress;
}
