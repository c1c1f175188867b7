// Keeping the user's work: the autosave of this tab's session (every few seconds and when the tab
// is hidden, in IndexedDB; see storage.js and tabs.js), its restore, and the recovery from a dead
// worker (a crash, a wasm trap, a lost GPU).
import { PlaygroundCall as Call, MAX_RESTARTS, Restarts } from '../protocol.js';
import { clipMessage } from '../text.js';
import { readLink } from './run.js';
import { saveSession, loadSession, iterationOf } from './storage.js';
import { t, lang } from '../i18n.js';
import { $, message } from './page.js';

const AUTOSAVE_MS = 4000;

/** How the engine went, from what the client ('stopped') or the worker ('crashed (why)') says: for "The engine {reason} unexpectedly". */
function how(reason) {
  if (reason === 'stopped') return t('pg.engine.stopped');
  const crashed = /^crashed \((.*)\)$/s.exec(String(reason));
  return crashed ? t('pg.engine.crashedBecause', { error: crashed[1] }) : String(reason);
}

export class Autosave {
  /** `engine`, `run`, `frames`: the rooms it reads; `isReady()`: whether the engine runs; `tab`: this tab's session (tabs.js). */
  constructor({ engine, run, frames, isReady, tab }) {
    Object.assign(this, { engine, run, frames, isReady, tab });
    this.dirty = false; // something changed since the last autosave
    this.saving = null; // the save under way
    this.held = 0; // while above 0 nothing is saved (a restore is switching sessions)
    setInterval(() => this.save(), AUTOSAVE_MS);
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && this.save());
  }

  /** Something worth saving changed. */
  touch() {
    this.dirty = true;
  }

  save() {
    if (!this.isReady() || !this.dirty || this.saving || this.held > 0 || !this.tab.id) return this.saving ?? Promise.resolve();
    this.dirty = false;
    this.saving = this.write(this.tab.id).finally(() => (this.saving = null));
    return this.saving;
  }

  /** Saves what is unsaved now, after the save under way. */
  async flush() {
    await this.saving;
    await this.save();
  }

  /** Runs `fn` with no save starting meanwhile (and none under way when it starts). */
  async hold(fn) {
    this.held++;
    try {
      await this.saving;
      return await fn();
    } finally {
      this.held--;
    }
  }

  async write(id) {
    try {
      const model = await this.engine.call(Call.EXPORT);
      const { state, points } = this.run;
      // The engine's own count (the readout may be a frame behind).
      const iteration = iterationOf(model);
      await saveSession(id, { version: 1, hash: this.run.hashFor({}, null), points, model, charts: this.frames.chartData(), savedAt: Date.now() }, { iteration, dataset: state.dataset, objective: state.objective });
      $('saved').textContent = t('pg.saved.at', { time: new Date().toLocaleTimeString(lang), iteration });
      $('saved').classList.remove('error');
    } catch (e) {
      $('saved').textContent = clipMessage(e.message);
      $('saved').classList.add('error');
    }
  }

  /**
   * Continues an autosaved session, with its link's start and changes while training; returns its
   * iteration, or null when its model was refused.
   */
  async restore(session, said = t('pg.session.restored', { when: new Date(session.savedAt).toLocaleString(lang) })) {
    const link = await readLink(session.hash, this.run.state, session.points instanceof Float32Array ? session.points : null);
    const history = { origin: link.state, edits: link.edits };
    const iteration = await this.run.importNow(session.model, t('pg.source.autosave'), { said: () => said, history });
    if (iteration === null) return null;
    this.frames.loadCharts(session.charts);
    document.body.dataset.restored = 'true';
    return iteration;
  }
}

export class Recovery {
  /**
   * `engine`, `run`, `frames`, `transport`: the rooms it restarts; `start(session)`: starts the
   * engine (continuing `session` if given), resolves to the iteration restored or null; `tab`:
   * this tab's session, whose autosave it continues from.
   */
  constructor({ engine, run, frames, transport, start, tab }) {
    Object.assign(this, { engine, run, frames, transport, start, tab });
    this.deviceLost = null; // the DEVICE_LOST note, until the worker closes
    this.crashed = null; // a fatal error's reason, until the worker closes
    this.recoveries = 0;
    this.restarts = new Restarts();
  }

  /** A fatal error: the worker closes next, and `recover` names it. */
  crash(reason) {
    this.crashed = reason;
  }

  /** The GPU is gone: the worker closes next; `recover` then continues on the CPU from this copy. */
  lostDevice(note) {
    this.deviceLost = note;
  }

  /**
   * The worker died (a crash, a wasm trap, the browser reclaiming it): start a new one and continue
   * from the last autosave, or from the current settings when nothing was saved yet. No reload.
   */
  async recover(reason) {
    const { engine, run, frames, transport } = this;
    transport.setPlaying(false);
    transport.setEnabled(false);
    // A run whose autosave itself brings the engine down would loop: give up after MAX_RESTARTS in a minute.
    if (this.restarts.count() > MAX_RESTARTS) {
      engine.showStatus(t('pg.backend.notRunning'));
      message(t('pg.engine.gaveUp', { reason: how(reason) }));
      return;
    }
    engine.respawn();
    const lost = this.deviceLost;
    this.deviceLost = null;
    if (this.crashed) reason = this.crashed;
    this.crashed = null;
    let session = null;
    if (lost?.model) {
      // The GPU is gone: the CPU continues from the worker's last copy, with the charts so far.
      engine.backend = 'cpu';
      session = { hash: run.hashFor({}, null), model: lost.model, charts: frames.chartData(), savedAt: Date.now() };
    } else {
      if (lost) engine.backend = 'cpu';
      try {
        session = await loadSession(this.tab.id);
      } catch {}
    }
    const usable = session && typeof session.model === 'string';
    if (usable) {
      const parsed = await readLink(session.hash, run.state, session.points instanceof Float32Array ? session.points : run.points);
      run.adopt(parsed.state, parsed.state.dataset === 'points' && parsed.points ? parsed.points : run.points, parsed.edits);
    }
    const iteration = await this.start(usable ? session : null);
    if (iteration !== null) frames.truncate(iteration);
    const when = usable ? new Date(session.savedAt).toLocaleTimeString(lang) : '';
    const from =
      iteration === null
        ? t('pg.engine.fromSettings')
        : lost?.model
          ? t('pg.engine.fromCopy', { iteration })
          : t('pg.engine.fromAutosave', { when, iteration });
    const why = lost ? [lost.reason, lost.detail].filter(Boolean).join(': ') : '';
    message(lost ? t('pg.engine.deviceLost', { why, from }) : t('pg.engine.crashed', { reason: how(reason), from }), 'warn');
    document.body.dataset.recovered = String(++this.recoveries);
  }
}
