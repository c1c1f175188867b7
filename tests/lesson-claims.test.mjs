// What every lesson's questions promise happens, in the page's CPU engine (node, no browser): each
// question's `expect` (docs/lessons.md) holds on the lesson's own run, which a student on the CPU
// sees exactly, and on two other seeds of the ten that docs/lessons-measured.md measures
// (`node tests/lesson-measure.mjs --seeds 10`). The thresholds are the lessons' own: lesson 5's
// "more than 100 times" is a gradient 100× larger under the non-saturating loss than under minimax,
// at the same state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { replay, value, conditionText, lessonFile } from './lesson-measure.mjs';

const LESSONS = JSON.parse(readFileSync(new URL('../www/lessons/index.json', import.meta.url), 'utf8')).lessons;
/** The lesson's own run, and two seeds of the ten measured. */
const SEEDS = [undefined, 4, 7];

test('every question that runs something says what must happen for its right answer to be right', () => {
  for (const id of LESSONS) {
    for (const [i, step] of lessonFile(id).lesson.steps.entries()) {
      if (step.ask?.run) assert.ok(step.ask.expect.length > 0, `${id} step ${i + 1}: a question with a run but no expect`);
    }
  }
  // Lesson 5 compares the two objectives at the same state, and asks for the 100× its answer says.
  const q = lessonFile('saturating').lesson.steps.find((s) => s.ask?.run?.settings?.objective === 'non_saturating').ask;
  assert.ok(q.expect.some((c) => c.readout === 'grad-norm' && c.of === 'switched-ratio' && c.is === '>=' && c.value >= 100));
  assert.match(q.choices[q.answer], /100 times/);
});

for (const id of LESSONS) {
  test(`lesson ${id}: every question's answer happens on its own run and on seeds ${SEEDS.slice(1).join(' and ')}`, async () => {
    for (const seed of SEEDS) {
      for (const q of await replay(id, seed)) {
        for (const [k, c] of q.expect.entries()) {
          assert.ok(q.held[k], `${id} step ${q.step} (${seed === undefined ? 'its own run' : `seed ${seed}`}): ${conditionText(c)} did not hold (${value(c, q.m)}); the answer "${q.answer}" would be wrong`);
        }
      }
    }
  });
}
