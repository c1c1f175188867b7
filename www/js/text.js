// Quoting someone's input in a message, for every page and worker: a short, escaped excerpt, so a
// 10 MB field can neither freeze the page that shows the message nor break its layout (the engine
// does the same on its side: crate/src/text.rs). Pure.
import { t } from './i18n.js';
import { QUOTE_CHARS } from './limits.js';

/** The most characters of someone's input that a message quotes: the engine's (limits.js). */
export { QUOTE_CHARS };
/** The longest line a message shows (engine errors included). */
export const MESSAGE_CHARS = 600;

/** Characters that would hide or reorder text, or break the layout: shown as \u{…} instead. */
const hidden = (c) =>
  c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0xad || c === 0x61c || (c >= 0x200b && c <= 0x200f) ||
  (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x206f) || c === 0xfeff || (c >= 0xfff9 && c <= 0xfffb);

/**
 * A short, safe excerpt of any text, for a message: at most `max` characters of it (then "…"), with
 * control, invisible and direction-changing characters and lone surrogates written as \u{…}
 * (counted as shown). It reads only the first `max` characters, so a 60 MB input costs what a
 * short one does. A value that is not text is named (a number as itself, "a list", "an object").
 */
export function excerpt(value, max = QUOTE_CHARS) {
  if (typeof value !== 'string') return named(value);
  const s = value;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const piece = pair ? s.slice(i, i + 2) : hidden(c) || (c >= 0xd800 && c <= 0xdfff) ? `\\u{${c.toString(16)}}` : s[i];
    if (out.length + piece.length > max) break;
    out += piece;
    i += pair ? 2 : 1;
  }
  return i < s.length ? out + '…' : out;
}

/** Someone's input quoted in a message: `"` + excerpt + `"` for text; other values named. */
export const quote = (value, max = QUOTE_CHARS) => (typeof value === 'string' ? `"${excerpt(value, max)}"` : named(value));

/** A value that is not text, as a message names it: a number as itself, a list or an object by kind. */
function named(value) {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return t('common.value.list');
  return typeof value === 'object' ? t('common.value.object') : typeof value;
}

/**
 * A message line made safe to show, whoever wrote it (the engine quotes input too): every quoted
 * run longer than QUOTE_CHARS is cut to an excerpt (its closing quote and what follows it kept),
 * and the line to MESSAGE_CHARS. The work is a few native searches, not a pass over a huge input.
 */
export function clipMessage(text) {
  let s;
  try {
    s = typeof text === 'string' ? text : String(text);
  } catch {
    s = '?';
  }
  let out = '';
  let at = 0;
  while (at < s.length && out.length <= MESSAGE_CHARS) {
    const open = s.indexOf('"', at);
    if (open < 0) {
      out += s.slice(at, at + MESSAGE_CHARS + 1);
      at = s.length;
      break;
    }
    const close = s.indexOf('"', open + 1);
    const end = close < 0 ? s.length : close;
    out += s.slice(at, Math.min(open + 1, at + MESSAGE_CHARS + 1));
    // Measured as shown (escapes included), so that clipping a clipped line changes nothing.
    const run = end - open - 1 > 4 * QUOTE_CHARS ? null : excerpt(s.slice(open + 1, end), Infinity);
    out += run !== null && run.length <= QUOTE_CHARS + 1 ? run : excerpt(s.slice(open + 1, Math.min(end, open + 1 + 4 * QUOTE_CHARS + 1)));
    if (close >= 0) out += '"';
    at = close < 0 ? s.length : close + 1;
  }
  return excerpt(out, MESSAGE_CHARS) + (at < s.length && out.length <= MESSAGE_CHARS ? '…' : '');
}
