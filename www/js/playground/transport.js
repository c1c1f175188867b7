// The run buttons: play/pause, the steps, and whether the engine is ready for them. Stepping or
// playing first closes what covers the plane (the explanation, the draw tool).
import { PlaygroundCall as Call } from '../protocol.js';
import { t } from '../i18n.js';
import { $, message } from './page.js';

/** Rounds per call when training many (each call ends with a frame: the picture follows). */
const TRAIN_CHUNK = 250;

const BUTTONS = ['play', 'step', 'step-d', 'step-g', 'reset', 'explain', 'export', 'embed-play'];

export class Transport {
  /**
   * `engine`: the Engine; `uncover()`: closes the explanation and the draw tool; `paused()`: after a
   * pause (the autosave takes it); `stepped()`: after a step changed the run.
   */
  constructor({ engine, uncover, paused, stepped }) {
    Object.assign(this, { engine, uncover, paused, stepped });
    this.playing = false;
    this.ready = false;
    $('play').addEventListener('click', () => this.toggle());
    $('embed-play').addEventListener('click', () => this.toggle());
    $('step').addEventListener('click', () => this.step(Call.STEP));
    $('step-d').addEventListener('click', () => this.step(Call.STEP_D));
    $('step-g').addEventListener('click', () => this.step(Call.STEP_G));
  }

  setPlaying(on) {
    this.playing = on;
    for (const id of ['play', 'embed-play']) {
      $(id).textContent = t(on ? 'pg.pause' : 'pg.play');
      $(id).classList.toggle('primary', !on);
    }
  }

  /** The engine runs (or not): the buttons that need it follow. */
  setEnabled(on) {
    this.ready = on;
    for (const id of BUTTONS) $(id).disabled = !on;
  }

  /** A call whose failure is only reported. */
  async act(kind, args) {
    try {
      return await this.engine.call(kind, args);
    } catch (e) {
      message(e.message);
    }
  }

  async pause() {
    if (!this.playing) return;
    this.setPlaying(false);
    await this.act(Call.PAUSE);
    this.paused();
  }

  async toggle() {
    if (!this.ready) return;
    if (this.playing) return this.pause();
    this.uncover();
    this.setPlaying(true);
    await this.act(Call.PLAY);
  }

  /** Starts playing (nothing when it plays already). */
  async play() {
    if (!this.playing) await this.toggle();
  }

  /**
   * Trains `rounds` whole rounds, then stays paused (a lesson's "Train 500 rounds"), in chunks so
   * that `progress(done, rounds)` can say how far it is; stops early when `going()` turns false.
   * Resolves to whether every round was trained.
   */
  async train(rounds, { progress = () => {}, going = () => true } = {}) {
    if (!this.ready) return false;
    this.uncover();
    await this.pause();
    this.setPlaying(false);
    let done = 0;
    try {
      while (done < rounds && going()) {
        const n = Math.min(TRAIN_CHUNK, rounds - done);
        await this.engine.call(Call.STEP, { rounds: n });
        done += n;
        progress(done, rounds);
      }
    } catch (e) {
      message(e.message);
    }
    this.stepped();
    return done === rounds;
  }

  /** One round (Call.STEP) or one network's update (STEP_D, STEP_G). */
  async step(kind) {
    if (!this.ready) return;
    this.uncover();
    this.setPlaying(false);
    await this.act(kind, { rounds: 1 });
    this.stepped();
  }
}
