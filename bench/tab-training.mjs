// The benchmark's in-tab training figure: the gallery's "From scratch" run on the CPU backend, for
// 60 s from its first frame. Score: the share of the training grid's 40 cells (one digit per
// column) whose nearest prototype is the column's digit. The prototypes are the shipped digits
// generator's own samples (its grid's column means), so this is a rough judge, not the CNN of
// `ganplay evaluate`. The figures measured natively with that CNN are in docs/models.md.

import { gridCells, digitJudge } from '../tests/digit-judge.mjs';

export const SECONDS = 60;

/** Runs the measurement in a fresh context of `browser`; `url` is the gallery page. */
export async function tabTraining(browser, url) {
  const context = await browser.newContext();
  const p = await context.newPage();
  try {
    await p.goto(`${url}#model=digits`);
    await p.waitForFunction(() => document.body.dataset.ready === 'true' && Number(document.body.dataset.renders ?? 0) > 0 && document.body.dataset.pending === 'false', null, { timeout: 90_000 });
    const nearest = digitJudge(await gridCells(p, '#grid'));
    await p.selectOption('#train-backend', 'cpu');
    await p.click('#train-scratch');
    await p.waitForFunction(() => Number(document.body.dataset.trainStep ?? -1) >= 0, null, { timeout: 90_000 });
    const t0 = Date.now();
    const scores = [];
    for (const at of [15, 30, 45, SECONDS]) {
      await p.waitForTimeout(Math.max(0, t0 + at * 1000 - Date.now()));
      const step = await p.evaluate(() => Number(document.body.dataset.trainStep));
      const labels = (await gridCells(p, '#train-grid')).map(nearest);
      scores.push({ seconds: at, step, score: labels.filter((l, k) => l === k % 10).length / 40 });
    }
    return { scores };
  } catch (e) {
    return { error: e.message.split('\n')[0] };
  } finally {
    await context.close().catch(() => {});
  }
}
