// Shared by the end-to-end test files: one browser per file, each test's pages closed when it ends
// (so their workers cannot slow the next test), and the playground's step helpers.
import { before, after, afterEach } from 'node:test';
import { open } from './browser.mjs';

/**
 * Registers the file's hooks and returns `load(path, setup)`: opens `path` (relative to www/) in a
 * new page of the file's browser, with `setup(page)` run first; resolves to `{ page, problems }`.
 */
export function session({ webgpu = false } = {}) {
  let env;
  let pages = [];
  before(async () => {
    env = await open({ webgpu });
  });
  after(() => env?.close());
  afterEach(async () => {
    await Promise.all(pages.map((p) => p.close().catch(() => {})));
    pages = [];
  });
  return async (path, setup) => {
    const r = await env.page(path, setup);
    pages.push(r.page);
    return r;
  };
}

/** The playground's iteration readout. */
export const iteration = (page) => page.evaluate(() => Number(document.getElementById('iteration').textContent));

/** The playground's message line. */
export const message = (page) => page.textContent('#message');

/** Presses Step until the playground reaches iteration `n`. */
export async function stepTo(page, n) {
  while ((await iteration(page)) < n) {
    const i = await iteration(page);
    await page.click('#step');
    await page.waitForFunction((k) => Number(document.getElementById('iteration').textContent) > k, i);
  }
}
