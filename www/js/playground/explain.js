// The explanation panel: one round trained phase by phase, each phase's picture on the plane with
// its key number, its sentences in the chosen wording, and the readouts of the round in progress
// (the phases and every text are in phases.js).
import { PlaygroundCall as Call } from '../protocol.js';
import { PHASES, WORDINGS, TEXT, D_LOSS_PHASE, G_LOSS_PHASE, context, drawPhase, phaseText } from './phases.js';
import { fmt } from '../i18n.js';
import { $, message } from './page.js';
import { announce } from '../live.js';
import { Handback } from '../keyboard.js';

/** Where the chosen wording is remembered (this browser, every tab). */
const WORDING_KEY = 'ganplay.explainWording';

function remembered() {
  try {
    const w = localStorage.getItem(WORDING_KEY);
    return WORDINGS.includes(w) ? w : WORDINGS[0];
  } catch {
    return WORDINGS[0]; // storage blocked: the default, every time
  }
}

/** A loss as the readouts show it (no grouping: tests and people compare it with the hover's full value). */
const loss = (x) => (!Number.isFinite(x) ? String(x) : Math.abs(x) >= 1e5 ? x.toExponential(3) : fmt(x, { minimumFractionDigits: 4, maximumFractionDigits: 4, useGrouping: false }));

export class ExplainPanel {
  /**
   * `engine`: the Engine; `plane`: the Plane; `isReady()`; `state()`: the run's; `before()`: ends
   * the drawing and marks the run paused; `opened()`: a round was trained; `closed()`: the plane and
   * the readouts are free again (the last frame goes back on them).
   */
  constructor({ engine, plane, isReady, state, before, opened, closed }) {
    Object.assign(this, { engine, plane, isReady, state, before, opened, closed });
    this.explained = null; // { c (phases.js context), phase } while the panel is open
    this.wording = remembered();
    this.planeLabel = $('plane').getAttribute('aria-label');
    // Opened, the focus is on "Next →" (the panel sits after the page's controls); closed, back on what opened it.
    this.focus = new Handback($('explain-panel'), () => $('explain'));
    for (const [i, p] of PHASES.entries()) {
      const li = document.createElement('li');
      li.textContent = `${fmt(i + 1)}. ${p.title}`;
      li.addEventListener('click', () => this.show(i));
      $('explain-phases').append(li);
    }
    for (const input of document.querySelectorAll('input[name=explain-wording]')) { // not shown
      input.checked = input.value === this.wording;
      input.addEventListener('change', () => input.checked && this.setWording(input.value));
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

  /** School or university words: shown at once and remembered. */
  setWording(w) {
    this.wording = WORDINGS.includes(w) ? w : WORDINGS[0];
    try {
      localStorage.setItem(WORDING_KEY, this.wording);
    } catch {
      // Not remembered where storage is blocked; this page still uses it.
    }
    if (this.explained) this.show(this.explained.phase);
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
    this.explained = { c: context(e, this.state()), phase: 0 };
    this.opened();
    $('explain-panel').hidden = false;
    for (const el of document.querySelectorAll('.explain-round')) el.hidden = false;
    document.body.classList.add('explaining');
    this.show(0);
    this.reveal();
    this.focus.enter($('explain-next'));
  }

  /** Scrolls the plane to the top when it or the panel is not all on the screen (a phone, a scrolled page). */
  reveal() {
    const plane = $('plane').getBoundingClientRect();
    const panel = $('explain-panel').getBoundingClientRect();
    if (plane.top < 0 || plane.bottom > innerHeight || panel.top < 0 || panel.bottom > innerHeight) $('plane').scrollIntoView({ block: 'start' });
  }

  /** The phase `by` after (or before) the one shown. */
  move(by) {
    if (this.explained) this.show(this.explained.phase + by);
  }

  show(i) {
    if (!this.explained) return;
    this.explained.phase = Math.max(0, Math.min(PHASES.length - 1, i));
    const { c, phase } = this.explained;
    const t = phaseText(c, phase, this.wording);
    [...$('explain-phases').children].forEach((li, k) => li.classList.toggle('current', k === phase));
    $('explain-title').textContent = t.title;
    $('explain-text').textContent = t.text;
    $('explain-steps').textContent = t.steps;
    announce('a11y.phase', { n: phase + 1, of: PHASES.length, title: t.title, text: t.text });
    const was = document.activeElement;
    $('explain-prev').disabled = phase === 0;
    $('explain-next').disabled = phase === PHASES.length - 1;
    // A button that turned off would drop the focus: it moves on to the one that goes on.
    if (was?.disabled) (was.id === 'explain-prev' ? $('explain-next') : $('explain-again')).focus();
    const map = drawPhase(this.plane, c, phase);
    $('plane').setAttribute('aria-label', TEXT.plane(phase, t.number));
    Object.assign(document.body.dataset, { explainPhase: String(phase + 1), explainNumber: t.number.join(' · '), explainMap: map, explainWording: this.wording });
    this.readouts(c.e, phase);
  }

  /** The readouts show the round in progress: its losses once their phase is reached, its count once it is done. */
  readouts(e, phase) {
    const done = phase === PHASES.length - 1;
    $('iteration').textContent = fmt(done ? e.iteration : e.iteration - 1, { useGrouping: false });
    $('explain-round').textContent = TEXT.round(e, phase);
    for (const [id, value, from] of [['d-loss', e.dLoss, D_LOSS_PHASE], ['g-loss', e.gLoss, G_LOSS_PHASE]]) {
      const known = phase >= from;
      $(id).textContent = known ? loss(value) : TEXT.pending(from);
      $(id).title = known ? String(value) : '';
      $(id).classList.toggle('this-round', known);
    }
  }

  /** Closes the panel (nothing happens when it is not open). */
  close() {
    if (!this.explained) return;
    this.explained = null;
    $('explain-panel').hidden = true;
    for (const el of document.querySelectorAll('.explain-round')) el.hidden = true;
    for (const id of ['d-loss', 'g-loss']) $(id).classList.remove('this-round');
    document.body.classList.remove('explaining');
    $('plane').setAttribute('aria-label', this.planeLabel);
    for (const k of ['explainPhase', 'explainNumber', 'explainMap', 'explainWording']) delete document.body.dataset[k];
    this.closed();
  }
}
