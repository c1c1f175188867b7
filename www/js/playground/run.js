// The run state and its one owner: the settings (`state`, from the property table) and the user's
// own points, changed only here, one change after another, and written to the URL hash after each.
import { PlaygroundCall as Call } from '../protocol.js';
import { PROP, SPEEDS, MAX_LINK_POINTS, defaults, toConfig, fromConfig, fromHash, toHash, viewOf, packPoints, unpackPoints } from '../state.js';
import { $, message } from './page.js';

/**
 * Reads a link as fromHash does, and unpacks the compressed points it may carry (`ptz=`, which
 * takes a moment): resolves to { state, points, notices }.
 */
export async function readLink(hash, base, basePoints = null) {
  const read = fromHash(hash, base, basePoints);
  if (!read.packed) return read;
  const unpacked = await unpackPoints(read.packed);
  if (unpacked.points) return { ...read, points: unpacked.points };
  const notices = [...read.notices, `ignored the link's points: ${unpacked.error}`];
  if (basePoints) return { ...read, points: basePoints, notices };
  notices.push('the link names drawn points but carries none: showing the ring instead');
  return { ...read, state: { ...read.state, dataset: 'ring' }, points: null, notices };
}

export class Run {
  /**
   * `engine`: the Engine (calls, backend readout); `isReady()`: whether it runs; `onNewRun(state,
   * { keepCharts, keepDrawing })`: a new run (or a model file's) replaced the last one;
   * `onRefused(error)`: the engine refused new settings (its error names the field).
   */
  constructor({ engine, isReady, onNewRun, onRefused = () => {} }) {
    this.engine = engine;
    this.isReady = isReady;
    this.onNewRun = onNewRun;
    this.onRefused = onRefused;
    this.state = defaults();
    this.points = null; // the user's cloud (Float32Array) when state.dataset is 'points'
    this.views = [];
    this.pending = Promise.resolve();
    this.queued = 0; // changes queued so far (see serial)
    this.waiting = null; // the new run queued and not started yet, which later edits join (see update)
    this.packing = null; // { points, text, done }: the link form of a cloud over MAX_LINK_POINTS (see packed)
    window.addEventListener('hashchange', () => this.serial(() => this.followHash()));
  }

  /** `view(state, points)` is called whenever the state may have changed. */
  watch(view) {
    this.views.push(view);
  }

  /** Shows the state in every view (also to put a refused edit back). */
  sync() {
    for (const view of this.views) view(this.state, this.points);
  }

  writeHash() {
    const packed = this.packed;
    const hash = toHash(this.state, this.points, packed);
    if (location.hash !== hash) history.replaceState(null, '', hash);
    $('embed-open').href = location.pathname + toHash({ ...this.state, embed: false, hide: [] }, this.points, packed);
  }

  /**
   * The compressed form of the run's points for links, when they are more than a plain link
   * carries (MAX_LINK_POINTS): its text, null when even that does not fit in a link, undefined
   * while it is being made (the hash is written again when it is done) or when not needed.
   */
  get packed() {
    const points = this.points;
    if (this.state.dataset !== 'points' || !points || points.length / 2 <= MAX_LINK_POINTS) return undefined;
    if (this.packing?.points !== points) {
      const job = { points, text: undefined };
      job.done = packPoints(points)
        .catch(() => null)
        .then((text) => {
          job.text = text;
          if (this.packing === job && this.points === points) {
            this.sync();
            this.writeHash();
          }
          return text;
        });
      this.packing = job;
    }
    return this.packing.text;
  }

  /** As `packed`, once it is made. */
  async linkPoints() {
    if (this.packed !== undefined) return this.packed;
    return this.packing?.points === this.points ? this.packing.done : undefined;
  }

  /** Takes a state and points as they are (from a link, an autosave or a model file), and shows them. */
  adopt(state, points) {
    this.state = state;
    this.points = points;
    this.sync();
    this.writeHash();
  }

  /**
   * Changes run one after another, each on the state the previous one left, so quick edits in a
   * row all stick.
   */
  serial(fn) {
    this.queued++;
    const run = this.pending.then(fn);
    this.pending = run.catch(() => {});
    return run;
  }

  /**
   * Queues a change of the run: `change(state)` gives the next state from the one in force then
   * (and `nextPoints`, if given, the next points). While a new run is being built, later changes
   * do not queue a rebuild each: they join the one new run queued after it, applied in order, so
   * 30 quick clicks cost two rebuilds, not 30, and every edit still sticks. A change queued behind
   * something else (an import) is never moved before it.
   */
  update(change, nextPoints) {
    const w = this.waiting;
    if (w && w.ticket === this.queued) {
      w.changes.push([change, nextPoints]);
      return w.done;
    }
    const job = { changes: [[change, nextPoints]] };
    job.done = this.serial(() => {
      if (this.waiting === job) this.waiting = null;
      let state = this.state;
      let points = this.points;
      for (const [f, p] of job.changes) {
        state = f(state);
        if (p !== undefined) points = p;
      }
      return this.commit(state, points);
    });
    job.ticket = this.queued;
    this.waiting = job;
    return job.done;
  }

  /** A control's new value: page settings reach the worker as they are, the others start a new run. */
  set(key, value) {
    const next = () => ({ ...this.state, [key]: value });
    if (key === 'speed') return this.serial(() => this.setPage(next(), () => this.engine.call(Call.SPEED, { ips: SPEEDS[value] })));
    if (PROP[key].group === 'show') {
      return this.serial(() => {
        const s = next();
        return this.setPage(s, () => this.engine.call(Call.VIEW, viewOf(s)));
      });
    }
    return this.update((s) => ({ ...s, [key]: value }));
  }

  /** Page-only keys that the worker does not hear of (the lesson open and its step): into the state and the link. */
  mark(changes) {
    return this.serial(() => this.setPage({ ...this.state, ...changes }, async () => {}));
  }

  /** Applies page settings (`send` tells the worker); on error the previous ones come back. */
  async setPage(next, send) {
    const prev = this.state;
    this.state = next;
    this.sync();
    this.writeHash();
    try {
      if (this.isReady()) await send();
    } catch (e) {
      this.state = prev;
      this.sync();
      this.writeHash();
      message(e.message);
    }
  }

  /** Applies a new run state (config or data): the worker rebuilds; on error everything stays. */
  async commit(next, nextPoints) {
    if (!this.isReady()) {
      message('The engine is still starting; try again in a moment.');
      this.sync();
      this.writeHash();
      return false;
    }
    const config = toConfig(next);
    try {
      // Under "auto" the worker may move new networks to the other backend; it then replies with its info.
      const info = await this.engine.call(Call.RESET, { config, points: next.dataset === 'points' ? nextPoints : null });
      if (info) this.engine.showInfo(info);
    } catch (e) {
      message(`${e.message} — the previous settings stay.`);
      this.sync();
      this.onRefused(e);
      return false;
    }
    const prev = this.state;
    this.state = next;
    this.points = next.dataset === 'points' ? nextPoints : null;
    this.onNewRun(next, { keepCharts: false, keepDrawing: next.dataset === 'points' });
    message('');
    this.sync();
    this.writeHash();
    // A link (or a lesson) may change the pictures or the pace along with the run.
    try {
      if (JSON.stringify(viewOf(next)) !== JSON.stringify(viewOf(prev))) await this.engine.call(Call.VIEW, viewOf(next));
      if (next.speed !== prev.speed) await this.engine.call(Call.SPEED, { ips: SPEEDS[next.speed] });
    } catch (e) {
      message(e.message);
    }
    return true;
  }

  /** The hash was changed from outside (a link pasted, a test): apply what changed. */
  async followHash() {
    const { state: next, points: p, notices } = await readLink(location.hash, this.state, this.points);
    const engineChanged = JSON.stringify(toConfig(next)) !== JSON.stringify(toConfig(this.state)) || (p && p !== this.points);
    let ok = true;
    if (engineChanged) ok = await this.commit(next, p ?? this.points);
    else {
      // Only page settings changed: apply them without restarting the run.
      await this.setPage(next, async () => {
        await this.engine.call(Call.SPEED, { ips: SPEEDS[next.speed] });
        await this.engine.call(Call.VIEW, viewOf(next));
      });
    }
    if (ok && notices.length) message(notices, 'notice');
  }

  /** Continues the run of a model file, after the changes queued before it. */
  importModel(text, source, opts) {
    return this.serial(() => this.importNow(text, source, opts));
  }

  /**
   * Continues the run of a model file now; resolves to its iteration, or null (with a message) on
   * error, when the engine refused the file and the current run stays. The controls and the link
   * then show the config the engine runs, as the engine reports it. `said(iteration)` is the line
   * that says so; any notice about the file's settings follows it, in the same message.
   */
  async importNow(text, source, { keepCharts = false, said = () => '' } = {}) {
    let result;
    try {
      result = await this.engine.call(Call.IMPORT, { text });
    } catch (e) {
      message(`${source}: ${e.message}. The current model stays.`);
      return null;
    }
    const { state: next, notices } = fromConfig(result.config, this.state);
    this.state = next;
    this.points = result.points.length ? result.points : null;
    this.onNewRun(next, { keepCharts, keepDrawing: false });
    this.sync();
    this.writeHash();
    message([said(result.iteration), ...notices], notices.length ? 'warn' : 'notice');
    return result.iteration;
  }
}
