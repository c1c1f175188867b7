// The seeded random-input tests of tests/fuzz.mjs, fewer cases (./build.sh fuzz runs 10,000 each),
// and the inputs they found, kept as regression tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzz, TARGETS } from './fuzz.mjs';
import { parsePoints } from '../www/js/playground/csv.js';

for (const name of Object.keys(TARGETS)) {
  test(`fuzz ${name}: 1,000 seeded inputs, each accepted validly or refused with a message`, () => {
    const t = fuzz(name, 1000, 7);
    assert.equal(t.inputs, 1000);
    // Both outcomes occur: a generator that only makes garbage (or only valid input) tests little.
    assert.ok(t.accepted > 20 && t.rejected > 20, JSON.stringify(t));
  });
}

test('found by fuzzing: a number beyond the 32-bit float range is refused, not stored as infinity', () => {
  assert.throws(() => parsePoints('1e39,0'), /line 1: "1e39" is too large/);
  assert.throws(() => parsePoints('0,0\n0,-5e300'), /line 2: "-5e300" is too large/);
  assert.deepEqual(Array.from(parsePoints('3e38,-3e38').points).map(Number.isFinite), [true, true]);
});
