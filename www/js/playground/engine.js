// The engine worker behind the page: its client (a new one after a crash), its start with the
// run's settings, the backend readout, and its pace when the page's own frames run long.
import { PlaygroundCall as Call, PlaygroundNote as Note, connect } from '../protocol.js';
import { SPEEDS, toConfig, viewOf } from '../state.js';
import { t } from '../i18n.js';
import { $ } from './page.js';

const WORKER = new URL('../workers/playground.js', import.meta.url);

/** The backend readout for the worker's BackendInfo. */
export function describe(info) {
  if (info.backend === 'cpu') return t(info.autoSmall ? 'pg.backend.cpuAuto' : 'pg.backend.cpu');
  const a = info.adapter;
  const name = [a.vendor, a.architecture, a.device].filter(Boolean).join(' ') || t('pg.backend.unknownAdapter');
  return t(a.fallback ? 'pg.backend.webgpuSoftware' : 'pg.backend.webgpu', { name });
}

export class Engine {
  /** `onNote(note)` hears every PlaygroundNote; `onLost(reason)` hears once that a worker died. */
  constructor({ onNote, onLost }) {
    this.onNote = onNote;
    this.onLost = onLost;
    this.client = this.spawn();
  }

  spawn() {
    return connect(WORKER, {
      onNote: (note) => this.onNote(note),
      onLost: (reason) => this.onLost(reason),
      onError: (text) => this.onNote({ kind: Note.ERROR, message: t('pg.engine.workerFailed', { error: text }) }),
    });
  }

  /** A new worker, after the last one died. */
  respawn() {
    this.client = this.spawn();
  }

  call(kind, args) {
    return this.client.call(kind, args);
  }

  /** The backend asked for: 'auto' | 'cpu' | 'webgpu'. */
  get backend() {
    return $('backend').value;
  }
  set backend(value) {
    $('backend').value = value;
  }

  showInfo(info) {
    $('backend-info').textContent = describe(info);
    document.body.dataset.backend = info.backend;
  }

  /** "starting…" or "not running" in the backend readout. */
  showStatus(text) {
    $('backend-info').textContent = text;
  }

  /** Starts (or restarts) the engine for a state; `paceMs()` is the rest asked for between chunks. Throws on failure. */
  async start(state, points, paceMs) {
    this.showStatus(t('pg.backend.starting'));
    this.showInfo(await this.call(Call.INIT, { backend: this.backend, config: toConfig(state), points }));
    await this.call(Call.SPEED, { ips: SPEEDS[state.speed] });
    await this.call(Call.PACE, { idleMs: paceMs() });
    await this.call(Call.VIEW, viewOf(state));
  }
}

/**
 * Pacing: where the page's own frames run long (a task over 50 ms: the worker and the browser share
 * too few cores), the worker is asked to rest a few ms after each training chunk, more after each
 * long task, up to 40 ms; after 5 s without one it trains at full speed again, step by step.
 */
export class Pacer {
  constructor({ engine, isPlaying }) {
    this.engine = engine;
    this.ms = 0;
    this.lastLongTask = 0;
    if (!globalThis.PerformanceObserver?.supportedEntryTypes?.includes('longtask')) return;
    new PerformanceObserver((list) => {
      if (!isPlaying()) return;
      this.lastLongTask = performance.now();
      this.set(Math.min(40, this.ms + 10 * list.getEntries().length));
    }).observe({ type: 'longtask' });
    setInterval(() => {
      if (this.ms > 0 && performance.now() - this.lastLongTask > 5000) this.set(Math.max(0, this.ms - 5));
    }, 1000);
  }

  set(ms) {
    if (ms === this.ms) return;
    this.ms = ms;
    document.body.dataset.pace = String(ms);
    this.engine.call(Call.PACE, { idleMs: ms }).catch(() => {});
  }
}
