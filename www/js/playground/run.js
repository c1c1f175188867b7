// The run state and its one owner: the settings (`state`, from the property table) and the user's
// own points, changed only here, one change after another, and written to the URL hash after each.
// A run also remembers how it started (`origin`) and the changes made while it trained (`edits`),
// so that its link replays it exactly.
import { PlaygroundCall as Call } from '../protocol.js';
import { PROPS, PROP, SPEEDS, MAX_LINK_POINTS, defaults, toConfig, fromConfig, fromHash, toHash, viewOf, packPoints, unpackPoints, scheduleOf, editsBy, stateAfter } from '../state.js';
import { t } from '../i18n.js';
import { $, message } from './page.js';

/** The settings of `state` with its run settings (every one but the page's) taken from `origin`. */
function withRunSettings(state, origin) {
  const out = { ...state };
  for (const p of PROPS) if (p.change !== 'page') out[p.key] = origin[p.key];
  return out;
}

const sameEdits = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Reads a link as fromHash does, and unpacks the compressed points it may carry (`ptz=`, which
 * takes a moment): resolves to { state, points, edits, notices }.
 */
export async function readLink(hash, base, basePoints = null) {
  const read = fromHash(hash, base, basePoints);
  if (!read.packed) return read;
  const unpacked = await unpackPoints(read.packed);
  if (unpacked.points) return { ...read, points: unpacked.points };
  const notices = [...read.notices, t('pg.link.badPoints', { error: unpacked.error })];
  if (basePoints) return { ...read, points: basePoints, notices };
  notices.push(t('pg.link.noPoints'));
  return { ...read, state: { ...read.state, dataset: 'ring' }, points: null, notices };
}

export class Run {
  /**
   * `engine`: the Engine (calls, backend readout); `isReady()`: whether it runs; `iteration()`: the
   * run's iteration as last heard; `question`: asks before a change starts a new run (ask(keys) →
   * Promise<boolean>, dismiss()); `onNewRun(state, { keepCharts, keepDrawing })`: a new run (or a
   * model file's) replaced the last one; `onEdit(at, edits)`: the running model took `edits` at
   * iteration `at`; `onRefused(error)`: the engine refused new settings (its error names the field).
   */
  constructor({ engine, isReady, iteration, question, onNewRun, onEdit, onRefused = () => {} }) {
    Object.assign(this, { engine, isReady, iteration, question, onNewRun, onEdit, onRefused });
    this.state = defaults();
    this.origin = this.state; // the run settings at iteration 0
    this.edits = []; // changes while training, [{ at, key, value }] by iteration (see state.js)
    this.applied = 0; // how many of them the engine has made
    this.plans = 0; // ids of the schedules given to the engine, counting up
    this.plan = 0; // the id of the engine's schedule for this run
    this.early = []; // RETUNED notes of a schedule whose call is not answered yet
    this.proposal = null; // new-run changes waiting for a yes (see change)
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

  /** Shows the state in every view (also to put a refused edit back); changes waiting for a yes show as made. */
  sync() {
    const shown = this.proposal ? { ...this.state, ...this.proposal } : this.state;
    for (const view of this.views) view(shown, this.points);
  }

  /** The link of this run: how it started, its page settings now (and `page`), its changes; `packed` as toHash takes it. */
  hashFor(page = {}, packed = this.packed) {
    return toHash({ ...withRunSettings(this.state, this.origin), ...page }, this.points, packed, this.edits);
  }

  writeHash() {
    const packed = this.packed;
    const hash = this.hashFor({}, packed);
    if (location.hash !== hash) history.replaceState(null, '', hash);
    $('embed-open').href = location.pathname + this.hashFor({ embed: false, hide: [] }, packed);
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

  /**
   * Takes a run as a link describes it (from a link or an autosave): its start `state`, `points`
   * and its changes while training, `edits`; shows it. The engine is started for it next (begin).
   */
  adopt(state, points, edits = []) {
    this.state = state;
    this.origin = state;
    this.edits = edits;
    this.applied = 0;
    this.points = points;
    this.sync();
    this.writeHash();
  }

  /**
   * The engine has just built this run's networks afresh, at iteration 0: its changes are given
   * to the engine again; or, where some were made already (the engine restarted without an
   * autosave), the settings in force become the run's start.
   */
  async begin() {
    if (this.applied > 0) {
      this.origin = this.state;
      this.edits = [];
      this.applied = 0;
      this.writeHash();
      return;
    }
    if (!this.edits.length) return;
    const plan = ++this.plans;
    try {
      await this.engine.call(Call.SCHEDULE, { edits: scheduleOf(this.origin, this.edits), plan });
      this.install(plan);
    } catch (e) {
      message(t('pg.link.editsFailed', { error: e.message }));
    }
  }

  /** The engine runs schedule `plan` now: notes about it count from here (and those that came early). */
  install(plan) {
    this.plan = plan;
    const early = this.early.filter((n) => n.plan === plan);
    this.early = [];
    for (const note of early) this.reached(note);
  }

  /**
   * A RETUNED note: the engine made (or refused) the scheduled changes of iteration `at`. A note
   * of a schedule whose call is not answered yet waits for it (see install); older ones are stale.
   */
  reached(note) {
    if (note.plan !== this.plan) {
      if (note.plan > this.plan) this.early.push(note);
      return;
    }
    const n = editsBy(this.edits, note.at);
    if (n <= this.applied) return;
    if (note.error) {
      // Not made: the link no longer claims it.
      this.edits = this.edits.filter((e) => e.at !== note.at);
      message(t('pg.edit.refused', { at: note.at, error: note.error }), 'warn');
      this.writeHash();
      return;
    }
    const made = this.edits.slice(this.applied, n);
    this.applied = n;
    this.state = stateAfter(this.state, made);
    this.onEdit(note.at, made);
    this.sync();
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

  /** A control's new value: page settings reach the worker as they are, the others as `change` says. */
  set(key, value) {
    const next = () => ({ ...this.state, [key]: value });
    if (key === 'speed') return this.serial(() => this.setPage(next(), () => this.engine.call(Call.SPEED, { ips: SPEEDS[value] })));
    if (PROP[key].group === 'show') {
      return this.serial(() => {
        const s = next();
        return this.setPage(s, () => this.engine.call(Call.VIEW, viewOf(s)));
      });
    }
    return this.change({ [key]: value });
  }

  /**
   * Changes run settings ({ key: value }) as a person (or a lesson step) asks. Live ones (see
   * `change` in state.js) reach the running model: the run, its iteration and its charts go on.
   * Any other starts a new run; while a run is under way, only after a yes to the question (a
   * lesson passes `ask: false`). Before the first round every change is simply the run's start.
   */
  change(values, { ask = true } = {}) {
    const changed = Object.entries(values).filter(([k, v]) => PROP[k].change !== 'page' && v !== (this.proposal?.[k] ?? this.state[k]));
    if (!changed.length) return Promise.resolve(true);
    const next = Object.fromEntries(changed);
    const underWay = this.iteration() > 0;
    if (changed.some(([k]) => PROP[k].change === 'new')) {
      if (ask && underWay) return this.propose(next);
      return this.update((s) => ({ ...s, ...next }));
    }
    if (!underWay) return this.update((s) => ({ ...s, ...next }));
    return this.serial(() => this.retune(next));
  }

  /** Holds new-run changes until the question is answered: a yes starts the new run, a no keeps this one. */
  async propose(values) {
    this.proposal = { ...this.proposal, ...values };
    this.sync();
    const yes = await this.question.ask(Object.keys(values));
    const proposal = this.proposal;
    if (!proposal) return false; // answered together with another one, or a new run came first
    this.proposal = null;
    if (!yes) {
      this.sync();
      return false;
    }
    return this.update((s) => ({ ...s, ...proposal }));
  }

  /**
   * The running model takes `values` now; the engine says at which iteration, and the link records
   * it there. Changes a link scheduled for later are dropped: this change replaces them.
   */
  async retune(values) {
    if (!this.isReady()) {
      message(t('pg.engine.notReady'));
      this.sync();
      return false;
    }
    const next = { ...this.state, ...values };
    let done;
    try {
      done = await this.engine.call(Call.RETUNE, { config: toConfig(next) });
    } catch (e) {
      message(t('pg.edit.kept', { error: e.message }));
      this.sync();
      this.onRefused(e);
      return false;
    }
    const at = done.iteration;
    const dropped = this.edits.length - this.applied;
    // A change of the same setting at the same iteration replaces the one before.
    const made = Object.entries(values).map(([key, value]) => ({ at, key, value }));
    this.edits = this.edits.slice(0, this.applied).filter((e) => !(e.at === at && Object.hasOwn(values, e.key)));
    this.edits.push(...made);
    this.applied = this.edits.length;
    this.plan = ++this.plans; // the engine dropped its schedule: no note of it counts any more
    this.state = next;
    this.onEdit(at, made);
    const fresh = done.freshMoments.map((n) => (n === 'generator' ? 'G' : 'D'));
    message([
      t('pg.edit.made', { at }),
      fresh.length ? (fresh.length === 1 ? t('pg.edit.freshOne', { net: fresh[0] }) : t('pg.edit.freshBoth', { a: fresh[0], b: fresh[1] })) : '',
      dropped ? t('pg.edit.dropped', { n: dropped }) : '',
    ], 'notice');
    this.sync();
    this.writeHash();
    return true;
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

  /**
   * Applies a new run state (config or data), with the changes to make while it trains (`edits`,
   * from a link): the worker rebuilds; on error everything stays.
   */
  async commit(next, nextPoints, edits = []) {
    if (!this.isReady()) {
      message(t('pg.engine.notReady'));
      this.sync();
      this.writeHash();
      return false;
    }
    const config = toConfig(next);
    const plan = ++this.plans;
    try {
      // Under "auto" the worker may move new networks to the other backend; it then replies with its info.
      const info = await this.engine.call(Call.RESET, { config, points: next.dataset === 'points' ? nextPoints : null, edits: scheduleOf(next, edits), plan });
      if (info) this.engine.showInfo(info);
    } catch (e) {
      message(t('pg.edit.kept', { error: e.message }));
      this.sync();
      this.onRefused(e);
      return false;
    }
    const prev = this.state;
    this.state = next;
    this.origin = next;
    this.edits = edits;
    this.applied = 0;
    this.proposal = null;
    this.question.dismiss();
    this.points = next.dataset === 'points' ? nextPoints : null;
    this.onNewRun(next, { keepCharts: false, keepDrawing: next.dataset === 'points' });
    message('');
    this.sync();
    this.writeHash();
    this.install(plan); // after the charts are cleared: the changes at iteration 0 mark them
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
    const linked = withRunSettings(this.state, this.origin);
    const { state: next, points: p, edits, notices } = await readLink(location.hash, linked, this.points);
    const engineChanged = JSON.stringify(toConfig(next)) !== JSON.stringify(toConfig(linked)) || !sameEdits(edits, this.edits) || (p && p !== this.points);
    let ok = true;
    // Another run's link is a new run, with its own changes while training.
    if (engineChanged) ok = await this.commit(next, p ?? this.points, edits);
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
   * that says so; any notice about the file's settings follows it, in the same message. `history`
   * ({ origin, edits }: how the run started and its changes, from its link) says the file
   * continues a run the page knows (an autosave, the same run on another backend): the link keeps
   * its start and changes, and the changes after the file's iteration are made as training gets
   * there. Without it the file's run starts a link of its own.
   */
  async importNow(text, source, { keepCharts = false, said = () => '', history = null } = {}) {
    let result;
    const plan = ++this.plans;
    try {
      result = await this.engine.call(Call.IMPORT, { text, edits: history ? scheduleOf(history.origin, history.edits) : [], plan });
    } catch (e) {
      message(t('pg.import.refused', { source, error: e.message }));
      return null;
    }
    const { state: next, notices } = fromConfig(result.config, this.state);
    this.state = next;
    // The changes at the file's own iteration are made again (the engine takes one twice as once): their notes follow.
    this.origin = history ? history.origin : next;
    this.edits = history ? [...history.edits] : [];
    this.applied = editsBy(this.edits, result.iteration - 1);
    this.proposal = null;
    this.question.dismiss();
    this.points = result.points.length ? result.points : null;
    this.onNewRun(next, { keepCharts, keepDrawing: false });
    this.sync();
    this.writeHash();
    message([said(result.iteration), ...notices], notices.length ? 'warn' : 'notice');
    this.install(plan);
    return result.iteration;
  }
}
