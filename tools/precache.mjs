// The service worker's file list (www/sw.js reads it from precache.js): which files of the site it
// stores on the first visit, which it stores when first used, and the version that names its cache.
// The version is a hash of every listed file's path and content, so any change to the site gives a
// new cache, filled whole before it replaces the old one.
// Usage: node tools/precache.mjs <dir>   writes <dir>/precache.js (./build.sh dist does this)
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What the service worker does with each file (a path relative to the site's root, '/'-separated):
 * 'runtime' files are stored when a page first asks for them (the WebGPU module, which many devices
 * never load; the gallery's previews); 'network' ones it never touches (the generator weights: the
 * gallery worker keeps them in its own cache, www/js/workers/gallery.js); 'skip' ones are not part
 * of the running site. Everything else is stored on the first visit.
 */
const RULES = [
  [/^pkg\/gpu\//, 'runtime'],
  [/^models\/[^/]+\.png$/, 'runtime'],
  [/^models\/[^/]+\.gpk$/, 'network'],
  [/^(_headers|sw\.js|precache\.js|screenshot\.png)$/, 'skip'],
  [/(^|\/)(LICENSE|\.gitignore|package\.json)$/, 'skip'],
];

/** The service worker's treatment of `path`: 'precache' | 'runtime' | 'network' | 'skip'. */
export const kindOf = (path) => RULES.find(([re]) => re.test(path))?.[1] ?? 'precache';

/** Every file under `dir` (following links), as sorted '/'-separated paths relative to it. */
export function filesUnder(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

const digests = new Map(); // full path → { key, digest }: `serve` asks on every page load

function digest(full) {
  const { size, mtimeMs } = statSync(full);
  const key = `${size}:${mtimeMs}`;
  const kept = digests.get(full);
  if (kept?.key === key) return kept.digest;
  const d = createHash('sha256').update(readFileSync(full)).digest('hex');
  digests.set(full, { key, digest: d });
  return d;
}

/** `{ version, precache, runtime, bytes }` for the site in `dir`; `bytes`: the precached files' total. */
export function precacheList(dir) {
  const precache = [], runtime = [];
  const hash = createHash('sha256');
  let bytes = 0;
  for (const path of filesUnder(dir)) {
    const kind = kindOf(path);
    if (kind !== 'precache' && kind !== 'runtime') continue;
    const full = join(dir, path);
    hash.update(`${kind} ${path} ${digest(full)}\n`);
    if (kind === 'precache') {
      precache.push(path);
      bytes += statSync(full).size;
    } else runtime.push(path);
  }
  return { version: hash.digest('hex').slice(0, 16), precache, runtime, bytes };
}

/** precache.js's text: the list as a global for the service worker's importScripts. */
export const precacheScript = (list) =>
  `// Written by tools/precache.mjs; do not edit.\nself.PRECACHE = ${JSON.stringify(list, null, 1)};\n`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? 'www';
  const list = precacheList(dir);
  writeFileSync(join(dir, 'precache.js'), precacheScript(list));
  console.log(`${dir}/precache.js: version ${list.version}, ${list.precache.length} files stored on the first visit (${(list.bytes / 1e6).toFixed(2)} MB), ${list.runtime.length} when first used`);
}
