// The page's main thread, watched from the test: its long tasks (50 ms or more), and the scripts
// of ours that ran in long animation frames (the browser names them). Our scripts are what we
// control and must each stay under 50 ms; a loaded 2-core machine also stalls now and then,
// which shows as a long task of no script of ours, so one such task under 100 ms is tolerated, and
// a window that blocked may be watched once more (a stall makes even our short scripts long).
import assert from 'node:assert/strict';

/** Our scripts' limit, and the one stall of the machine tolerated. */
export const SCRIPT_MS = 50;
export const STALL_MS = 100;

/** Starts watching in every document `page` opens (from its start: `buffered`). */
export function watchMainThread(page) {
  return page.addInitScript(() => {
    const seen = { tasks: [], scripts: [] };
    const tasks = (l) => seen.tasks.push(...l.getEntries().map((e) => e.duration));
    const frames = (l) => {
      for (const f of l.getEntries()) {
        for (const s of f.scripts) seen.scripts.push({ ms: s.duration, what: `${s.invoker} ${s.sourceURL.split('/').pop()}` });
      }
    };
    const observers = [[new PerformanceObserver(tasks), 'longtask', tasks], [new PerformanceObserver(frames), 'long-animation-frame', frames]];
    for (const [o, type] of observers) o.observe({ type, buffered: true });
    window.mainThread = {
      // Entries still queued for the observers are taken too: what happened just now counts.
      read: () => {
        for (const [o, , take] of observers) take({ getEntries: () => o.takeRecords() });
        return seen;
      },
      restart: () => {
        window.mainThread.read();
        seen.tasks = [];
        seen.scripts = [];
      },
    };
  });
}

/** Forgets what was seen so far: what follows is watched alone. */
export const restartWatch = (page) => page.evaluate(() => window.mainThread.restart());

/** What was seen so far: `{ tasks: [ms], scripts: [{ ms, what }] }`. */
export async function readMainThread(page) {
  // A long frame is reported when it ends, after its rendering: let two frames pass first.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0)))));
  return page.evaluate(() => window.mainThread.read());
}

/** What blocked the main thread in `seen`, in words, or null when nothing did. */
export function blocked({ tasks, scripts }) {
  const slow = scripts.filter((s) => s.ms >= SCRIPT_MS);
  if (slow.length) return `our scripts blocked the main thread: ${slow.map((s) => `${s.what} ${s.ms.toFixed(0)} ms`).join(', ')}`;
  if (tasks.length > 1 || tasks.some((x) => x >= STALL_MS)) return `the main thread was blocked: long tasks of ${tasks.map((x) => x.toFixed(0)).join(', ')} ms`;
  return null;
}

/**
 * Asserts that no script of ours blocked the main thread and that at most one long task (under
 * STALL_MS) happened; writes what it saw as a diagnostic of test context `t`. When it did block and
 * `again` is given (it runs the same steps once more in a watched page and resolves to it), the
 * second run decides: a page that blocks does so both times, a stall of the machine seldom does.
 */
export async function assertMainThreadFree(t, page, again) {
  const check = async (p) => {
    const seen = await readMainThread(p);
    const longest = seen.scripts.reduce((a, s) => (s.ms > (a?.ms ?? -1) ? s : a), null);
    t.diagnostic(`long tasks: ${seen.tasks.map((x) => x.toFixed(0)).join(', ') || 'none'}; longest script of ours: ${longest ? `${longest.what} ${longest.ms.toFixed(0)} ms` : 'none in a long frame'}`);
    return blocked(seen);
  };
  let why = await check(page);
  if (why && again) {
    t.diagnostic(`${why}; the same steps once more`);
    why = await check(await again());
  }
  assert.equal(why, null, why);
}
