// The seeded random-input tests of tests/fuzz-gallery.mjs (the gallery's model-list checks), fewer
// cases (`node tests/fuzz-gallery.mjs` runs 10,000 each), and what they found, kept as regression tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzz, TARGETS } from './fuzz-gallery.mjs';
import { readManifest, modelFileUrl } from '../www/js/gallery/manifest.js';
import { excerpt } from '../www/js/text.js';

const MODELS = 'https://ganplay.example/site/models/';

for (const name of Object.keys(TARGETS)) {
  test(`fuzz ${name}: 500 seeded inputs, each accepted validly or refused with a short message`, () => {
    const t = fuzz(name, 500, 7);
    assert.equal(t.inputs, 500);
    // Both outcomes occur: a generator that only makes garbage (or only valid input) tests little.
    assert.ok(t.accepted > 5 && t.rejected > 5, JSON.stringify(t));
  });
}

test('found by fuzzing: an excerpt of control characters stays short (each escape counts in its length)', () => {
  const out = excerpt('\u0000'.repeat(1000));
  assert.ok(out.length <= 61, `${out.length} characters`);
  assert.match(out, /^(\\u\{0\})+…$/);
  const { refused } = readManifest({ models: [{ id: 'x', label: 'X', file: 'x.gpk', bytes: 1, size: 28, channels: 1, latent_dim: 8, classes: [], preview: '\u0000'.repeat(1000) }] }, MODELS);
  assert.ok(refused[0].reason.length < 200, refused[0].reason);
});

test('file names that lead elsewhere are refused; plain ones inside the models folder pass', () => {
  for (const bad of ['http://127.0.0.1:8099/x.gpk', '//host/x.gpk', '../x.gpk', '%2e%2e/x.gpk', '..\\x.gpk', '/models/x.gpk', 'a/../b.gpk', 'data:,x.gpk', 'x.gpk?v=1']) {
    assert.throws(() => modelFileUrl(bad, MODELS), /is not a plain file name in the models folder/, bad);
  }
  assert.equal(modelFileUrl('digits.gpk', MODELS).href, `${MODELS}digits.gpk`);
  assert.equal(modelFileUrl('sub/x.gpk', MODELS).href, `${MODELS}sub/x.gpk`);
});

test('a prototype key is not a field: "__proto__" and inherited values do not count', () => {
  const list = readManifest(JSON.parse('{"models": [{"__proto__": {"id": "x", "classes": []}, "label": "P"}]}'), MODELS);
  assert.match(list.refused[0].reason, /"id" must be some text; it is missing/);
  const inherited = Object.create({ id: 'x', label: 'X', file: 'x.gpk', bytes: 1, size: 28, channels: 1, latent_dim: 8, classes: [] });
  assert.match(readManifest({ models: [inherited] }, MODELS).refused[0].reason, /"id" must be some text; it is missing/);
  assert.throws(() => readManifest(JSON.parse('{"__proto__": {"models": [1]}}'), MODELS), /"models" must be a list; it is missing/);
});
