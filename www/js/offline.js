// Both pages' link to the service worker (../sw.js), which keeps the site for offline use: starts
// it once the page is up, and says in a short note when the site has just been saved for offline
// use, or when a new version is ready for the next load. Without service workers (or where they are
// blocked) the site works as before, online only.
import { t } from './i18n.js';

/** Shows `text` in the note at the bottom of the page, with `buttons` ([label, action]). */
function note(text, buttons = []) {
  let el = document.getElementById('offline-note');
  if (!el) {
    el = document.createElement('div');
    el.id = 'offline-note';
    el.className = 'offline-note';
    el.setAttribute('role', 'status');
    document.body.append(el);
  }
  const p = document.createElement('p');
  p.textContent = text;
  el.replaceChildren(p, ...buttons.map(([label, action]) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.addEventListener('click', action);
    return b;
  }));
  el.hidden = false;
  return el;
}

const close = () => { document.getElementById('offline-note').hidden = true; };

async function start() {
  // Revalidated on every load, so a host's HTTP cache never hides a new version.
  const first = !navigator.serviceWorker.controller;
  if (!first) document.documentElement.dataset.offline = 'ready';
  const reg = await navigator.serviceWorker.register(new URL('../sw.js', import.meta.url), { updateViaCache: 'none' });
  const update = () => {
    document.documentElement.dataset.offline = 'update';
    note(t('offline.update'), [[t('offline.reload'), () => location.reload()], [t('offline.later'), close]]);
  };
  const seen = new WeakSet();
  const watch = (worker) => {
    if (!worker || seen.has(worker)) return;
    seen.add(worker);
    worker.addEventListener('statechange', () => {
      if (first && worker.state === 'activated') {
        document.documentElement.dataset.offline = 'ready';
        note(t('offline.ready'));
        setTimeout(close, 8000);
      } else if (!first && worker.state === 'installed') update();
    });
  };
  watch(reg.installing);
  reg.addEventListener('updatefound', () => watch(reg.installing));
  if (reg.waiting && !first) update();
}

/**
 * Resolves once the page is up (both pages set body[data-ready] when their engine has started), or
 * after `ms`: storing the site (9 MB) then never competes with the first load for the network or the CPU.
 */
function pageReady(ms = 15_000) {
  return new Promise((done) => {
    if (document.body.dataset.ready === 'true') return done();
    const watch = new MutationObserver(() => document.body.dataset.ready === 'true' && finish());
    const finish = () => {
      watch.disconnect();
      done();
    };
    watch.observe(document.body, { attributes: true, attributeFilter: ['data-ready'] });
    setTimeout(finish, ms);
  });
}

if (navigator.serviceWorker) pageReady().then(start).catch(() => {});
