// The first visit: a short introduction beside the picture, with the picture's parts labelled on it
// (real points, generated points, the background), a "Start the first lesson" button, and "Don't
// show this again" (remembered in localStorage). The header's "What is this?" opens it again. It
// covers nothing: a panel in the page, and labels the pointer passes through.
import { EXTENT } from '../limits.js';
import { $ } from './page.js';

/** localStorage key: '1' once the introduction was dismissed for good. */
export const INTRO_KEY = 'ganplay.intro.dismissed';
/** The lesson the introduction leads to (the lesson runner answers its link). */
const FIRST_LESSON = '#lesson=game';
/** The labels move with the points at most this often while training. */
const PLACE_MS = 1000;

function remembered() {
  try {
    return localStorage.getItem(INTRO_KEY) === '1';
  } catch {
    return false; // storage blocked: the introduction shows, and closes for this visit only
  }
}

function remember() {
  try {
    localStorage.setItem(INTRO_KEY, '1');
  } catch {
    // storage blocked: nothing to remember it in
  }
}

/** A plane point as a share of the picture's side, from its left and top edge, kept inside. */
const share = (v, flip) => Math.max(0.04, Math.min(0.96, ((flip ? EXTENT - v : v + EXTENT) / (2 * EXTENT))));

function place(el, x, y) {
  el.style.left = `${(100 * share(x, false)).toFixed(2)}%`;
  el.style.top = `${(100 * share(y, true)).toFixed(2)}%`;
}

export class Intro {
  /** `state()`: the run's (the background's label shows only with the heatmap on). */
  constructor({ state }) {
    this.state = state;
    this.frame = null; // the newest frame, to place the labels on
    this.placedAt = -Infinity;
    $('intro-lesson').addEventListener('click', () => {
      remember();
      this.close();
      location.hash = FIRST_LESSON;
    });
    $('intro-close').addEventListener('click', () => this.close());
    $('intro-dismiss').addEventListener('click', () => {
      remember();
      this.close();
    });
    $('about').addEventListener('click', () => (this.isOpen ? this.close() : this.open()));
  }

  get isOpen() {
    return !$('intro').hidden;
  }

  /**
   * At the start: opens unless it was dismissed for good, the page is embedded, or the link opens a
   * lesson (which introduces itself).
   */
  boot({ embed, hash }) {
    if (embed || remembered() || /(^#|&)lesson=/.test(hash)) return;
    this.open();
  }

  open() {
    $('intro').hidden = false;
    $('about').setAttribute('aria-expanded', 'true');
    document.body.dataset.intro = 'open';
    this.placedAt = -Infinity;
    this.label();
  }

  close() {
    $('intro').hidden = true;
    $('callouts').hidden = true;
    $('about').setAttribute('aria-expanded', 'false');
    document.body.dataset.intro = 'closed';
  }

  /** A frame from the engine: while open, the labels follow its points (about once a second). */
  seen(frame) {
    this.frame = frame;
    if (this.isOpen && performance.now() - this.placedAt > PLACE_MS) this.label();
  }

  /** Puts the three labels on the picture: at the top real point, at the middle of the generated points, on a corner. */
  label() {
    const f = this.frame;
    if (!f || !this.isOpen) return;
    this.placedAt = performance.now();
    let top = null;
    for (let i = 0; i < f.real.length; i += 2) {
      const [x, y] = [f.real[i], f.real[i + 1]];
      if (Math.abs(x) <= EXTENT && Math.abs(y) <= EXTENT && (!top || y - Math.abs(x) > top[1] - Math.abs(top[0]))) top = [x, y];
    }
    // The generated point nearest the middle of them all: a point that is really there.
    let mx = 0;
    let my = 0;
    const n = f.fake.length / 2;
    for (let i = 0; i < n; i++) (mx += f.fake[2 * i] / n), (my += f.fake[2 * i + 1] / n);
    let mid = null;
    for (let i = 0; i < n; i++) {
      const p = [f.fake[2 * i], f.fake[2 * i + 1]];
      if (!mid || Math.hypot(p[0] - mx, p[1] - my) < Math.hypot(mid[0] - mx, mid[1] - my)) mid = p;
    }
    const ok = (p) => p && p.every(Number.isFinite);
    $('callout-real').hidden = !ok(top);
    $('callout-fake').hidden = !ok(mid);
    if (ok(top)) place($('callout-real'), top[0], top[1]);
    if (ok(mid)) place($('callout-fake'), mid[0], mid[1]);
    $('callout-bg').hidden = !this.state().heatmap;
    place($('callout-bg'), -2.35, -2.5);
    $('callouts').hidden = false;
  }
}
