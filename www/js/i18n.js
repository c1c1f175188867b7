// The page's language: one string table per language (www/strings/<lang>.js), the choice (URL
// ?lang=, then the remembered one, then the browser's), and locale-aware numbers. Pure apart from
// reading the choice; works in workers too (they are started with ?lang= in their URL).
import en from '../strings/en.js';
import zhCN from '../strings/zh-CN.js';

/** The languages, in the picker's order; `name` is each language's own name for itself. */
export const LANGUAGES = [
  { code: 'en', name: 'English', table: en },
  { code: 'zh-CN', name: '简体中文', table: zhCN },
];
const BY_CODE = new Map(LANGUAGES.map((l) => [l.code, l]));
const STORE_KEY = 'ganplay.lang';

/** The language a requested code or browser language names, or undefined. */
export function matchLanguage(code) {
  if (typeof code !== 'string') return undefined;
  const c = code.trim().toLowerCase();
  if (c === 'en' || c.startsWith('en-')) return 'en';
  // Any Chinese reads the simplified table (the only Chinese one).
  if (c === 'zh' || c.startsWith('zh-') || c.startsWith('zh_')) return 'zh-CN';
  return undefined;
}

function chooseLanguage() {
  const g = globalThis;
  const asked = matchLanguage(new URLSearchParams(g.location?.search ?? '').get('lang') ?? undefined);
  if (asked) return asked;
  try {
    const kept = matchLanguage(g.localStorage?.getItem(STORE_KEY) ?? undefined);
    if (kept) return kept;
  } catch { /* storage blocked: fall through to the browser's language */ }
  for (const l of g.navigator?.languages ?? []) {
    const m = matchLanguage(l);
    if (m) return m;
  }
  return 'en';
}

/** The language of this page (or worker). */
export const lang = chooseLanguage();
let table = BY_CODE.get(lang).table;
let plural; // Intl.PluralRules, made when a counted entry is first used
const numbers = new Map();

/** Missing keys seen (a test reads them; the page shows the key itself, never a blank). */
export const missing = new Set();

/**
 * The text of `key` in this language, with `{name}` filled from `params` (numbers formatted for the
 * locale). An entry may be `{ one, other }`: chosen by the plural rule for `params.n`.
 */
export function t(key, params) {
  let s = table[key];
  if (s === undefined) {
    missing.add(key);
    s = en[key] ?? key;
  }
  if (typeof s === 'object') s = s[(plural ??= new Intl.PluralRules(lang)).select(params?.n ?? 0)] ?? s.other;
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, name) => {
    const v = params[name];
    if (v === undefined) return m;
    return typeof v === 'number' ? fmt(v) : String(v);
  });
}

/** Whether the table has `key` (for optional texts). */
export const has = (key) => table[key] !== undefined;

/** `n` written for this language (grouping, decimal sign); `options` as Intl.NumberFormat's. */
export function fmt(n, options) {
  // Both languages write 1,234.5: plain arithmetic does it without Intl, whose first use in a page
  // (loading the locale's data) blocks the main thread for tens of milliseconds.
  const quick = plainNumber(n, options);
  if (quick !== undefined) return quick;
  const id = JSON.stringify(options ?? {});
  let f = numbers.get(id);
  if (!f) numbers.set(id, (f = new Intl.NumberFormat(lang, { maximumFractionDigits: 6, ...options })));
  return f.format(n);
}

/**
 * `n` as en and zh-CN write it, for the fraction-digit and grouping options, rounded as Intl rounds
 * (half away from zero, on the shortest decimal that reads back as `n`); undefined for anything else.
 */
function plainNumber(n, { minimumFractionDigits = 0, maximumFractionDigits = 6, useGrouping = true, ...rest } = {}) {
  if (Object.keys(rest).length || typeof n !== 'number' || !Number.isFinite(n)) return undefined;
  const shortest = String(Math.abs(n));
  if (shortest.includes('e')) return undefined;
  const max = Math.max(minimumFractionDigits, maximumFractionDigits);
  let [int, frac = ''] = shortest.split('.');
  if (frac.length > max) {
    const up = frac[max] >= '5';
    let digits = (int + frac.slice(0, max)).split('').map(Number);
    for (let i = digits.length - 1; up && i >= 0; i--) {
      if (digits[i] < 9) { digits[i]++; break; }
      digits[i] = 0;
      if (i === 0) digits = [1, ...digits];
    }
    const all = digits.join('');
    int = all.slice(0, all.length - max) || '0';
    frac = all.slice(all.length - max);
  }
  const digits = frac.replace(/0+$/, '').padEnd(minimumFractionDigits, '0');
  const whole = useGrouping ? int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : int;
  const sign = n < 0 || Object.is(n, -0) ? '-' : '';
  return `${sign}${whole}${digits ? `.${digits}` : ''}`;
}

/** The decimal sign of `locale` ('.' or ','). */
export function decimalSign(locale = lang) {
  return new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
}

/**
 * Normalises a typed number for parsing: full-width digits and signs (Chinese input methods) become
 * ASCII, and where `locale` writes a decimal comma, one comma is taken as the decimal sign. The result
 * is still text: the caller checks it as it checks any typed number.
 */
export function normaliseNumber(text, locale = lang) {
  let s = String(text).normalize('NFKC').replace(/[\u2212\u2013]/g, '-').replace(/。/g, '.').trim();
  if (decimalSign(locale) === ',' && !s.includes('.') && (s.match(/,/g) ?? []).length === 1) s = s.replace(',', '.');
  return s;
}

/** Fills `root`'s elements that name a table key: data-i18n (text), data-i18n-html (our own markup), data-i18n-attr ("title=key;aria-label=key"). */
export function applyStrings(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-html]')) el.innerHTML = t(el.dataset.i18nHtml);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split('=').map((x) => x.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}

/** Remembers `code` as the chosen language. */
export function remember(code) {
  try { globalThis.localStorage?.setItem(STORE_KEY, code); } catch { /* storage blocked: the URL still carries it */ }
}

/** This page's address in language `code` (the hash, and so the run, kept). */
export function urlIn(code, href = location.href) {
  const u = new URL(href);
  if (code === 'en') u.searchParams.delete('lang');
  else u.searchParams.set('lang', code);
  return u.href;
}

/** A worker script's URL carrying this page's language. */
export function workerUrl(url) {
  const u = new URL(url, globalThis.location?.href);
  u.searchParams.set('lang', lang);
  return u;
}
