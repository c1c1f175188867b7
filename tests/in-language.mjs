// Runs code with the site's scripts in a page language, in node: i18n.js picks its language once, when
// it loads (from ?lang=), so each language gets a worker thread of its own with its own modules.
import { Worker } from 'node:worker_threads';

/** The site's www/ folder as a URL, for `await import(www + 'js/state.js')` inside the code. */
export const WWW = new URL('../www/', import.meta.url).href;

/**
 * Resolves to what `body` returns (the body of an async function, run in a worker thread whose page
 * language is `lang`; it sees `www` and `data`, a structured clone of `data`). `missing`: the table
 * keys its texts looked up and did not find (i18n.js keeps them).
 */
export function inLanguage(lang, body, data = null) {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    globalThis.location = { search: '?lang=' + encodeURIComponent(workerData.lang) };
    const { www, data } = workerData;
    (async () => {
      const result = await (async () => { ${body} })();
      const { missing } = await import(www + 'js/i18n.js');
      return { result, missing: [...missing] };
    })().then((r) => parentPort.postMessage(r), (e) => parentPort.postMessage({ error: String(e?.stack ?? e) }));
  `;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { lang, www: WWW, data } });
    w.once('message', (m) => {
      w.terminate();
      if (m.error) reject(new Error(m.error));
      else resolve(m);
    });
    w.once('error', reject);
  });
}
