// What every room of the playground shares: finding an element, and the message line under the
// readouts (errors, warnings and notices, each line its own paragraph, always as text).
import { clipMessage } from '../text.js';
import { t, has } from '../i18n.js';

export const $ = (id) => document.getElementById(id);

/** The most lines one message shows; the rest are counted. */
const MAX_LINES = 12;

/**
 * Shows `text` (a line or a list of lines; empty ones dropped) as an 'error', 'warn' or 'notice'.
 * Whoever wrote a line (the engine too), it is shown short: quoted input cut to an excerpt, the
 * line to a few hundred characters, and at most MAX_LINES lines.
 */
export function message(text, kind = 'error') {
  const el = $('message');
  el.textContent = '';
  el.className = kind;
  const lines = [text].flat().filter(Boolean);
  const shown = lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES - 1), t('pg.message.more', { n: lines.length - MAX_LINES + 1 })] : lines;
  for (const line of shown) {
    const p = document.createElement('p');
    p.textContent = clipMessage(line);
    el.append(p);
  }
}

/** A dataset's name in this language (the thumbnails, the presets, the recent sessions). */
export function datasetLabel(name) {
  const key = `pg.dataset.${name}`;
  return has(key) ? t(key) : String(name);
}

/** How an option of an enum property reads (the property table's room says it). */
export { optionLabel } from '../state.js';
