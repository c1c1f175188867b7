// The gallery's worker behind the page: its client (a new one after the worker dies), and the
// recovery from a dead worker (a crash, a wasm trap, the browser reclaiming it): a new worker, the
// current model loaded again (from the Cache API), the grid redrawn; at most MAX_RESTARTS a minute.
import { GalleryNote as Note, MAX_RESTARTS, Restarts, connect } from '../protocol.js';
import { showError, setStatus } from './page.js';
import { t } from '../i18n.js';

const WORKER = new URL('../workers/gallery.js', import.meta.url);

export class Engine {
  /** `onNote(note)` hears every GalleryNote; `onLost(reason)` once per worker that dies; `onError(text)` an error event. */
  constructor({ onNote, onLost, onError }) {
    Object.assign(this, { onNote, onLost, onError });
    this.client = this.spawn();
  }

  spawn() {
    const client = connect(WORKER, {
      onNote: (note) => {
        // A trap: the worker closes next, and the replies still to come are its last.
        if (note.kind === Note.FATAL) client.dying = true;
        if (client === this.client) this.onNote(note);
      },
      onLost: (reason) => client === this.client && this.onLost(reason),
      onError: (text) => client === this.client && this.onError(text),
    });
    return client;
  }

  /** A new worker, after the last one died. */
  respawn() {
    this.client.worker.terminate();
    this.client = this.spawn();
  }

  /** Whether the current worker is gone (or going, after a trap). */
  get lost() {
    return this.client.lost || Boolean(this.client.dying);
  }

  /** The current worker's answer; an error from a worker that died carries `engineLost: true` (recovery speaks for it). */
  call(kind, args, transfer) {
    const client = this.client;
    return client.call(kind, args, transfer).catch((e) => {
      if (client.lost || client.dying || client !== this.client) e.engineLost = true;
      throw e;
    });
  }
}

export class Recovery {
  /**
   * `engine`, `models`, `grid`, `trainer`: the rooms it restarts; `boot()`: the page's start, run
   * again when the worker died before the page was ready.
   */
  constructor({ engine, models, grid, trainer, boot }) {
    Object.assign(this, { engine, models, grid, trainer, boot });
    this.crashed = null; // the FATAL note's reason, until the worker closes
    this.restarts = new Restarts();
    this.recoveries = 0;
  }

  /** GalleryNote.FATAL (its reason already worded by the worker): the worker closes next; `recover` names the reason. */
  crash(reason) {
    this.crashed = reason;
  }

  async recover(reason) {
    const { engine, models, grid, trainer } = this;
    // What happened, worded to follow "The engine …": the worker's words for a crash, else the client's 'stopped'.
    const how = this.crashed ?? (reason === 'stopped' ? t('gal.engine.how.stopped') : reason);
    this.crashed = null;
    grid.stopWalk();
    grid.setReady(false);
    const training = trainer.running;
    trainer.lost();
    const n = this.restarts.count();
    if (n > MAX_RESTARTS) {
      models.current = null;
      trainer.disable();
      setStatus(t('gal.status.engineDown'));
      showError(t('gal.engine.gaveUp', { how, nth: ordinal(n) }));
      document.body.dataset.engine = 'gave-up';
      return;
    }
    engine.respawn();
    const worker = engine.client; // a later death starts a recovery of its own, which then speaks
    const lostTraining = training ? t('gal.engine.trainingLost') : '';
    if (document.body.dataset.ready !== 'true') {
      showError(t('gal.engine.lostAtStart', { how }));
      await this.boot();
      if (engine.client !== worker) return;
    } else {
      const name = await models.restart();
      if (engine.client !== worker || engine.lost) return; // the new one died too: its own recovery speaks
      showError(`${name ? t('gal.engine.restartedWith', { how, name }) : t('gal.engine.restarted', { how })}${lostTraining}`);
    }
    document.body.dataset.recovered = String(++this.recoveries);
  }
}

const ordinal = (n) => (n <= 6 ? t(`gal.ordinal.${n}`) : t('gal.ordinal.n', { n }));
