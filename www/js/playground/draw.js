// The draw tool: paint (or erase) points on the plane with a mouse or a finger, then train on them.
import { MAX_POINTS } from '../limits.js';
import { t } from '../i18n.js';
import { $, message } from './page.js';

export class DrawTool {
  /**
   * `plane`: the Plane; `points()`: the run's own points (the drawing starts from them);
   * `before()`: pauses and closes the explanation; `done(points)`: trains on the drawing, resolves
   * to whether it was taken; `ended()`: the plane is free again (the last frame goes back on it).
   */
  constructor({ plane, points, before, done, ended }) {
    Object.assign(this, { plane, points, before, done, ended });
    this.drawing = null; // { points: number[], mode } while painting a dataset
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
    document.body.classList.add('drawing');
    this.redraw();
  }

  /** Closes the tool (nothing happens when it is not open). */
  end() {
    if (!this.drawing) return;
    this.drawing = null;
    $('draw-tools').hidden = true;
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
    $('draw-count').textContent = t('pg.draw.count', { n: points.length / 2 });
    $('draw-paint').classList.toggle('primary', mode === 'paint');
    $('draw-erase').classList.toggle('primary', mode === 'erase');
  }

  brush(ev) {
    const drawing = this.drawing;
    if (!drawing || !(ev.buttons & 1)) return;
    const r = this.plane.canvas.getBoundingClientRect();
    const [x, y] = this.plane.toWorld(ev.clientX - r.left, ev.clientY - r.top);
    if (drawing.mode === 'paint') {
      for (let i = 0; i < 4 && drawing.points.length / 2 < MAX_POINTS; i++) {
        drawing.points.push(x + (Math.random() - 0.5) * 0.15, y + (Math.random() - 0.5) * 0.15);
      }
    } else {
      const kept = [];
      for (let i = 0; i < drawing.points.length; i += 2) {
        if (Math.hypot(drawing.points[i] - x, drawing.points[i + 1] - y) > 0.25) kept.push(drawing.points[i], drawing.points[i + 1]);
      }
      drawing.points = kept;
    }
    this.redraw();
  }
}
