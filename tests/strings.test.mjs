// The string tables: both languages have the same keys with the same {parameters}, every key the
// pages and scripts name exists, and no script holds text of its own (see strings-scan.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { WWW, scripts, englishLiterals } from './strings-scan.mjs';
import en from '../www/strings/en.js';
import zh from '../www/strings/zh-CN.js';

const params = (v) => [...new Set(Object.values(typeof v === 'object' ? v : { v }).flatMap((s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1])))].sort();

test('both languages have the same keys, each with the same parameters', () => {
  const missingZh = Object.keys(en).filter((k) => !(k in zh));
  const missingEn = Object.keys(zh).filter((k) => !(k in en));
  assert.deepEqual(missingZh, [], 'keys missing in zh-CN.js');
  assert.deepEqual(missingEn, [], 'keys missing in en.js');
  for (const k of Object.keys(en)) {
    assert.deepEqual(params(zh[k]), params(en[k]), `{parameters} of ${k} differ`);
    for (const [code, v] of [['en', en[k]], ['zh-CN', zh[k]]]) {
      if (typeof v === 'object') assert.ok(typeof v.other === 'string' && v.other, `${code} ${k}: a counted entry needs "other"`);
      else assert.ok(typeof v === 'string' && v.trim(), `${code} ${k} is empty`);
    }
    if (typeof en[k] === 'object') assert.ok(typeof en[k].one === 'string', `en ${k}: a counted entry needs "one"`);
  }
});

test('the Chinese table is Chinese', () => {
  // An untranslated copy of the English is the usual slip: each entry with words needs Chinese characters.
  const copied = Object.keys(en).filter((k) => {
    const z = typeof zh[k] === 'object' ? zh[k].other : zh[k];
    return typeof z === 'string' && /[A-Za-z]{3,}\s+[A-Za-z]{3,}/.test(z) && !/[\u4e00-\u9fff]/.test(z);
  });
  assert.deepEqual(copied, []);
});

test('every key the pages and scripts name is in the table', () => {
  const named = [];
  for (const f of scripts()) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/\bt\(\s*'([^'$]+)'/g)) named.push([relative(WWW, f), m[1]]);
  }
  for (const page of readdirSync(WWW).filter((n) => n.endsWith('.html'))) {
    const html = readFileSync(join(WWW, page), 'utf8');
    for (const m of html.matchAll(/data-i18n(?:-html)?="([^"]+)"/g)) named.push([page, m[1]]);
    for (const m of html.matchAll(/data-i18n-attr="([^"]+)"/g)) {
      for (const pair of m[1].split(';')) named.push([page, pair.split('=')[1]?.trim()]);
    }
  }
  const unknown = named.filter(([, k]) => !(k in en)).map(([f, k]) => `${f}: ${k}`);
  assert.deepEqual(unknown, []);
});

test('no script holds text of its own', () => {
  const found = scripts().flatMap((f) => englishLiterals(readFileSync(f, 'utf8')).map(({ line, text }) => `${relative(WWW, f)}:${line}: ${text}`));
  assert.deepEqual(found, [], 'text in scripts: move it to www/strings/ and look it up with t()');
});
