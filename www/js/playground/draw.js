// The draw tool: paint (or erase) points on the plane with a mouse, a finger or the keyboard (the
// plane takes the focus while drawing: the arrow keys move a brush, Space or Enter paints), then
// train on them.
import { MAX_POINTS } from '../limits.js';
import { t } from '../i18n.js';
import { EXTENT } from '../limits.js';
import { Handback, focusLinks } from '../keyboard.js';
import { $, message } from './page.js';

/** How far an arrow key moves the keyboard's brush, in plane units (with Shift: five times). */
const KEY_STEP = 0.1;
const ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
/** The brush's reach, in plane units: paint scatters points within ±PAINT, erase takes those within ERASE. */
const PAINT = 0.075;
const ERASE = 0.25;

export class DrawTool {
  /**
   * `plane`: the Plane; `points()`: the run's own points (the drawing starts from them);
   * `before()`: pauses and closes the explanation; `done(points)`: trains on the drawing, resolves
   * to whether it was taken; `ended()`: the plane is free again (the last frame goes back on it).
   */
  constructor({ plane, points, before, done, ended }) {
    Object.assign(this, { plane, points, before, done, ended });
    this.drawing = null; // { points: number[], mode } while painting a dataset
    this.cursor = [0, 0]; // the keyboard's brush, in plane units
    // Opened, the focus is on Paint; closed, back on what opened the tool.
    this.focus = new Handback($('draw-tools'), () => document.querySelector('#thumbs [data-dataset=points]'));
    const canvas = plane.canvas;
    canvas.addEventListener('pointerdown', (ev) => {
      if (!this.drawing) return;
      try {
        canvas.setPointerCapture(ev.pointerId);
      } catch {
        // Not an active pointer (a synthetic event): drawing works without capture.
      }
      this.brush(ev);
    });
    canvas.addEventListener('pointermove', (ev) => this.brush(ev));
    canvas.addEventListener('keydown', (ev) => this.key(ev));
    for (const type of ['focus', 'blur']) canvas.addEventListener(type, () => this.drawing && this.redraw());
    // The tool's keyboard ways: its links go to the plane and to the typed points.
    focusLinks($('draw-alt'));
    $('draw-paint').addEventListener('click', () => this.mode('paint'));
    $('draw-erase').addEventListener('click', () => this.mode('erase'));
    $('draw-clear').addEventListener('click', () => ((this.drawing.points = []), this.redraw()));
    $('draw-done').addEventListener('click', async () => {
      if (this.drawing.points.length === 0) return message(t('pg.draw.empty'));
      if (await this.done(Float32Array.from(this.drawing.points))) this.end();
    });
  }

  get active() {
    return this.drawing !== null;
  }

  async start() {
    await this.before();
    const points = this.points();
    this.drawing = { points: points ? Array.from(points) : [], mode: 'paint' };
    $('draw-tools').hidden = false;
    this.plane.canvas.tabIndex = 0;
    document.body.classList.add('drawing');
    this.redraw();
    this.focus.enter($('draw-paint'));
  }

  /** Closes the tool (nothing happens when it is not open). */
  end() {
    if (!this.drawing) return;
    this.drawing = null;
    $('draw-tools').hidden = true;
    // A focus on the plane goes back to what opened the tool, as one in the tool does.
    if (document.activeElement === this.plane.canvas) this.plane.canvas.blur();
    this.plane.canvas.removeAttribute('tabindex');
    document.body.classList.remove('drawing');
    this.ended();
  }

  mode(mode) {
    this.drawing.mode = mode;
    this.redraw();
  }

  redraw() {
    const { points, mode } = this.drawing;
    this.plane.drawPoints(points);
    if (document.activeElement === this.plane.canvas) this.plane.ring(...this.cursor, mode === 'paint' ? 2 * PAINT : ERASE);
    $('draw-count').textContent = t('pg.draw.count', { n: points.length / 2 });
    $('draw-paint').classList.toggle('primary', mode === 'paint');
    $('draw-erase').classList.toggle('primary', mode === 'erase');
  }

  brush(ev) {
    if (!this.drawing || !(ev.buttons & 1)) return;
    const r = this.plane.canvas.getBoundingClientRect();
    this.brushAt(...this.plane.toWorld(ev.clientX - r.left, ev.clientY - r.top));
  }

  /** The keyboard's brush on the focused plane: an arrow moves it, Space or Enter brushes. */
  key(ev) {
    if (!this.drawing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const dir = ARROWS[ev.key];
    if (dir) {
      const step = ev.shiftKey ? 5 * KEY_STEP : KEY_STEP;
      this.cursor = this.cursor.map((v, k) => Math.max(-EXTENT, Math.min(EXTENT, v + dir[k] * step)));
      this.redraw();
    } else if (ev.key === ' ' || ev.key === 'Enter') this.brushAt(...this.cursor);
    else return;
    ev.preventDefault();
  }

  brushAt(x, y) {
    const drawing = this.drawing;
    if (drawing.mode === 'paint') {
      for (let i = 0; i < 4 && drawing.points.length / 2 < MAX_POINTS; i++) {
        drawing.points.push(x + (Math.random() - 0.5) * 2 * PAINT, y + (Math.random() - 0.5) * 2 * PAINT);
      }
    } else {
      const kept = [];
      for (let i = 0; i < drawing.points.length; i += 2) {
        if (Math.hypot(drawing.points[i] - x, drawing.points[i + 1] - y) > ERASE) kept.push(drawing.points[i], drawing.points[i + 1]);
      }
      drawing.points = kept;
    }
    this.redraw();
  }
}
