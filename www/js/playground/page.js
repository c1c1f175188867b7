// What every room of the playground shares: finding an element, and the message line under the
// readouts (errors, warnings and notices, each line its own paragraph, always as text).
import { clipMessage } from '../text.js';

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
  const shown = lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES - 1), `…and ${lines.length - MAX_LINES + 1} more.`] : lines;
  for (const line of shown) {
    const p = document.createElement('p');
    p.textContent = clipMessage(line);
    el.append(p);
  }
}
