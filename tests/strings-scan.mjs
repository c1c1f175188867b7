// Finds text in the site's scripts that a person would read but that is not looked up from the string
// tables: string and template literals with two or more words of letters. Used by strings.test.mjs;
// run `node tests/strings-scan.mjs [file…]` to list what it finds. A line ending in `// not shown`
// is skipped (a message no person sees: a thrown programming error caught and reported elsewhere, a log).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WWW = fileURLToPath(new URL('../www', import.meta.url));

/** The site's own scripts (not vendor, not the wasm glue, not the string tables). */
export function scripts(dir = join(WWW, 'js')) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...scripts(p));
    else if (name.endsWith('.js') && name !== 'limits.js') out.push(p);
  }
  return out.sort();
}

const WORDS = /[A-Za-z][a-z’']+[ ,;:—–-]+(?:[a-z]+[ ,;:—–-]+)*[A-Za-z][a-z]+/;
// Multi-word literals that are code, not text: selectors, CSS, MIME types, feature strings, keys.
const CODE = /^(?:[#.\[]|[a-z-]+\s*:|\w+\/[\w.+-]+|(?:[a-z]+-)+[a-z]+$)|\b(?:px|rgba?|hsl|var\(--|solid|dashed|monospace|sans-serif)\b/;

/** Literals in `source` that look like English text: [{ line, text }]. */
export function englishLiterals(source) {
  const found = [];
  const lines = source.split('\n');
  let i = 0, line = 1;
  const at = (k) => source[k];
  const push = (text, l) => {
    const s = text.replace(/\$\{[^}]*\}/g, ' ').trim();
    if (!WORDS.test(s) || CODE.test(s)) return;
    if (/\/\/ not shown\s*$/.test(lines[l - 1] ?? '')) return;
    found.push({ line: l, text: s.slice(0, 80) });
  };
  let last = ''; // the last character of code before `i` (not space, not a comment): tells a regex literal from a division
  while (i < source.length) {
    const c = at(i);
    if (c === '\n') { line++; i++; continue; }
    if (c === '/' && at(i + 1) === '/') { while (i < source.length && at(i) !== '\n') i++; continue; }
    if (c === '/' && at(i + 1) === '*') { const e = source.indexOf('*/', i + 2); line += source.slice(i, e).split('\n').length - 1; i = e + 2; continue; }
    // A regex literal (a pattern read, never shown; its quotes open no string): skipped to its closing slash.
    if (c === '/' && (last === '' || '(,=:[!&|?{};'.includes(last))) {
      let j = i + 1, inClass = false;
      while (j < source.length && at(j) !== '\n' && (inClass || at(j) !== '/')) {
        if (at(j) === '\\') j++;
        else if (at(j) === '[') inClass = true;
        else if (at(j) === ']') inClass = false;
        j++;
      }
      i = j + 1;
      last = '/';
      continue;
    }
    if (!/\s/.test(c)) last = c;
    if (c === "'" || c === '"' || c === '`') {
      const start = line;
      let j = i + 1, text = '', depth = 0;
      while (j < source.length) {
        const d = at(j);
        if (d === '\\') { text += source.slice(j, j + 2); j += 2; continue; }
        if (d === '\n') line++;
        if (c === '`' && d === '$' && at(j + 1) === '{') { depth++; text += ' ${'; j += 2; continue; }
        if (c === '`' && depth > 0 && d === '}') { depth--; text += '}'; j++; continue; }
        if (d === c && depth === 0) break;
        text += d;
        j++;
      }
      push(text, start);
      i = j + 1;
      continue;
    }
    i++;
  }
  return found;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = process.argv.length > 2 ? process.argv.slice(2) : scripts();
  let n = 0;
  for (const f of files) {
    for (const { line, text } of englishLiterals(readFileSync(f, 'utf8'))) {
      console.log(`${relative(process.cwd(), f)}:${line}: ${text}`);
      n++;
    }
  }
  console.log(`${n} literal${n === 1 ? '' : 's'} that look like text`);
}
