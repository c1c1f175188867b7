// The language picker in each page's header: a <select> of the languages in their own names. A
// change keeps the choice and reloads the page in that language (the address keeps the run; the
// playground saves its session first, so nothing is lost).
import { LANGUAGES, lang, remember, urlIn, t, applyStrings } from './i18n.js';

/** Fills the <select> `el`; `beforeLeave()` (may return a promise) runs before the reload. */
export function languagePicker(el, beforeLeave = () => {}) {
  el.replaceChildren(...LANGUAGES.map(({ code, name }) => {
    const o = document.createElement('option');
    o.value = code;
    o.lang = code;
    o.textContent = name;
    o.selected = code === lang;
    return o;
  }));
  el.setAttribute('aria-label', t('lang.label'));
  el.addEventListener('change', async () => {
    const code = el.value;
    remember(code);
    try { await beforeLeave(); } catch { /* the session save is best effort; the link still carries the run */ }
    location.href = urlIn(code);
  });
}

/** Sets the page's language attribute and fills its texts from the table; `beforeLeave` as languagePicker's. */
export function startPage(beforeLeave) {
  document.documentElement.lang = lang;
  applyStrings(document);
  const picker = document.getElementById('lang');
  if (picker) languagePicker(picker, beforeLeave);
}
