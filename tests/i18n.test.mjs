// The language module in node: counts, parameters, locale numbers, typed numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { t, fmt, normaliseNumber, decimalSign, matchLanguage, urlIn } from '../www/js/i18n.js';
import en from '../www/strings/en.js';

test('languages are matched from codes, any Chinese to zh-CN', () => {
  assert.equal(matchLanguage('zh'), 'zh-CN');
  assert.equal(matchLanguage('zh-TW'), 'zh-CN');
  assert.equal(matchLanguage('en-GB'), 'en');
  assert.equal(matchLanguage('fr'), undefined);
  assert.equal(matchLanguage(null), undefined);
});

test('t fills parameters and picks the counted form; an unknown key shows itself', () => {
  const counted = Object.keys(en).find((k) => typeof en[k] === 'object');
  if (counted) {
    assert.notEqual(t(counted, { n: 1 }), t(counted, { n: 2 }));
  }
  assert.equal(t('no.such.key'), 'no.such.key');
  assert.equal(t('lang.label'), en['lang.label']);
});

test('numbers are written for the locale and typed numbers are read in any of its forms', () => {
  assert.equal(fmt(6000), '6,000');
  assert.equal(decimalSign('de'), ',');
  assert.equal(decimalSign('zh-CN'), '.');
  assert.equal(normaliseNumber('０.００２'), '0.002', 'full-width digits from a Chinese input method');
  assert.equal(normaliseNumber('0。5'), '0.5');
  assert.equal(normaliseNumber(' 0,5 ', 'de'), '0.5', 'a decimal comma where the locale writes one');
  assert.equal(normaliseNumber('0,5', 'en'), '0,5', 'left for the check to refuse where commas group thousands');
  assert.equal(normaliseNumber('−1e-3'), '-1e-3');
});

test('the address in another language keeps the rest of it', () => {
  assert.equal(urlIn('zh-CN', 'http://h/index.html?backend=cpu#dataset=ring'), 'http://h/index.html?backend=cpu&lang=zh-CN#dataset=ring');
  assert.equal(urlIn('en', 'http://h/index.html?lang=zh-CN#a=1'), 'http://h/index.html#a=1');
});
