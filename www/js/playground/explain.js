// The explanation panel: one round trained phase by phase, each phase's picture on the plane and
// its sentences, with the round's own numbers (the phases themselves are in phases.js).
import { PlaygroundCall as Call } from '../protocol.js';
import { PHASES, drawPhase } from './phases.js';
import { $, message } from './page.js';

export class ExplainPanel {
  /**
   * `engine`: the Engine; `plane`: the Plane; `isReady()`; `state()`: the run's; `before()`: ends
   * the drawing and marks the run paused; `opened()`: a round was trained; `closed()`: the plane is
   * free again (the last frame goes back on it).
   */
  constructor({ engine, plane, isReady, state, before, opened, closed }) {
    Object.assign(this, { engine, plane, isReady, state, before, opened, closed });
    this.explained = null; // { e, phase } while the panel is open
    for (const [i, p] of PHASES.entries()) {
      const li = document.createElement('li');
      li.textContent = `${i + 1}. ${p.title}`;
      li.addEventListener('click', () => this.show(i));
      $('explain-phases').append(li);
    }
    $('explain').addEventListener('click', () => this.open());
    $('explain-again').addEventListener('click', () => this.open());
    $('explain-prev').addEventListener('click', () => this.move(-1));
    $('explain-next').addEventListener('click', () => this.move(1));
    $('explain-close').addEventListener('click', () => this.close());
  }

  get active() {
    return this.explained !== null;
  }

  /** Trains one round taken apart, and shows its first phase. */
  async open() {
    if (!this.isReady()) return;
    this.before();
    let e;
    try {
      e = await this.engine.call(Call.EXPLAIN, { shown: 48 });
    } catch (err) {
      return message(err.message);
    }
    this.explained = { e, phase: 0 };
    this.opened();
    $('explain-panel').hidden = false;
    document.body.classList.add('explaining');
    this.show(0);
  }

  /** The phase `by` after (or before) the one shown. */
  move(by) {
    if (this.explained) this.show(this.explained.phase + by);
  }

  show(i) {
    if (!this.explained) return;
    this.explained.phase = Math.max(0, Math.min(PHASES.length - 1, i));
    const { e, phase } = this.explained;
    const state = this.state();
    [...$('explain-phases').children].forEach((li, k) => li.classList.toggle('current', k === phase));
    $('explain-title').textContent = `${phase + 1}. ${PHASES[phase].title}`;
    const broken = !Number.isFinite(e.dLoss) || !Number.isFinite(e.gLoss) ? ' These numbers are not finite: the model has diverged. Lower the learning rate and reset.' : '';
    $('explain-text').textContent = PHASES[phase].text(e, state.objective, state.smooth) + broken;
    $('explain-prev').disabled = phase === 0;
    $('explain-next').disabled = phase === PHASES.length - 1;
    drawPhase(this.plane, e, phase);
  }

  /** Closes the panel (nothing happens when it is not open). */
  close() {
    if (!this.explained) return;
    this.explained = null;
    $('explain-panel').hidden = true;
    document.body.classList.remove('explaining');
    this.closed();
  }
}
