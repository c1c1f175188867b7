// Real and generated points on the plane. Knows nothing of the worker.

const EXTENT = 3; // the plane shows [-3, 3]²

export class Scatter {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
  }

  /** `real` and `fake` are row-major Float32Arrays [x0, y0, x1, y1, …]. */
  draw(real, fake) {
    const { ctx, canvas } = this;
    const w = canvas.width, h = canvas.height;
    ctx.clearRect(0, 0, w, h);
    ctx.strokeStyle = '#eee';
    ctx.beginPath();
    ctx.moveTo(w / 2, 0); ctx.lineTo(w / 2, h); ctx.moveTo(0, h / 2); ctx.lineTo(w, h / 2);
    ctx.stroke();
    this.points(real, 'rgba(26, 152, 80, 0.55)');
    this.points(fake, 'rgba(123, 63, 196, 0.75)');
  }

  points(xy, color) {
    const { ctx, canvas } = this;
    const sx = canvas.width / (2 * EXTENT), sy = canvas.height / (2 * EXTENT);
    ctx.fillStyle = color;
    for (let i = 0; i + 1 < xy.length; i += 2) {
      const x = (xy[i] + EXTENT) * sx, y = (EXTENT - xy[i + 1]) * sy;
      if (Number.isFinite(x) && Number.isFinite(y)) ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
    }
  }
}
