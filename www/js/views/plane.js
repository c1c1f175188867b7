// The plane: the discriminator's heatmap, the generator's manifold, real and generated points and
// gradient arrows, over [−3, 3]². Knows nothing of the worker; `draw(frame, show)` paints a frame.

export const EXTENT = 3;
export const COLORS = { real: '#1a9850', fake: '#7b3fc4', arrow: '#d9480f', mesh: 'rgba(123, 63, 196, 0.45)', z: '#868e96' };

/** Colour of a heatmap cell: p = 1 looks "real" (green), p = 0 "generated" (purple), ½ white. */
function heatColor(p) {
  const t = Math.max(0, Math.min(1, p));
  const [r0, g0, b0] = t >= 0.5 ? [26, 152, 80] : [123, 63, 196];
  const k = Math.abs(t - 0.5) * 2 * 0.55;
  return [255 + (r0 - 255) * k, 255 + (g0 - 255) * k, 255 + (b0 - 255) * k];
}

export class Plane {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    const dpr = Math.min(2, globalThis.devicePixelRatio || 1);
    const css = canvas.width;
    canvas.width = canvas.height = Math.round(css * dpr);
    this.size = canvas.width;
    this.heat = document.createElement('canvas');
  }

  /** World → canvas pixels. */
  px(x) {
    return ((x + EXTENT) / (2 * EXTENT)) * this.size;
  }
  py(y) {
    return ((EXTENT - y) / (2 * EXTENT)) * this.size;
  }
  /** Canvas-relative CSS pixels → world. */
  toWorld(cssX, cssY) {
    const r = this.canvas.getBoundingClientRect();
    return [(cssX / r.width) * 2 * EXTENT - EXTENT, EXTENT - (cssY / r.height) * 2 * EXTENT];
  }

  clear() {
    this.ctx.fillStyle = '#fff';
    this.ctx.fillRect(0, 0, this.size, this.size);
  }

  heatmap(values, probability) {
    const side = Math.round(Math.sqrt(values.length));
    if (!side) return;
    // Scores (WGAN, hinge) have no fixed level: map this frame's lowest to purple, highest to green.
    let lo = 0;
    let span = 1;
    if (!probability) {
      let min = Infinity;
      let max = -Infinity;
      for (const v of values) if (Number.isFinite(v)) (min = Math.min(min, v)), (max = Math.max(max, v));
      lo = Number.isFinite(min) ? min : 0;
      span = Math.max(max - min, 1e-9);
    }
    // The small canvas and its pixels are kept between frames: no allocation per frame or pixel.
    if (this.heat.width !== side) {
      this.heat.width = this.heat.height = side;
      this.heatImage = this.heat.getContext('2d').createImageData(side, side);
    }
    const px = this.heatImage.data;
    for (let i = 0; i < side * side; i++) {
      const p = probability ? values[i] : (values[i] - lo) / span;
      const [r, g, b] = heatColor(Number.isFinite(p) ? p : 0.5);
      px[4 * i] = r;
      px[4 * i + 1] = g;
      px[4 * i + 2] = b;
      px[4 * i + 3] = 255;
    }
    this.heat.getContext('2d').putImageData(this.heatImage, 0, 0);
    this.ctx.imageSmoothingEnabled = true;
    this.ctx.drawImage(this.heat, 0, 0, this.size, this.size);
  }

  grid() {
    const c = this.ctx;
    c.strokeStyle = 'rgba(0,0,0,0.08)';
    c.lineWidth = 1;
    c.beginPath();
    for (let v = -2; v <= 2; v++) {
      c.moveTo(this.px(v), 0);
      c.lineTo(this.px(v), this.size);
      c.moveTo(0, this.py(v));
      c.lineTo(this.size, this.py(v));
    }
    c.stroke();
  }

  manifold(m, rows, cols) {
    const c = this.ctx;
    c.strokeStyle = COLORS.mesh;
    c.lineWidth = 1;
    c.beginPath();
    const at = (r, k) => (r * cols + k) * 2;
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < cols; k++) {
        const i = at(r, k);
        if (k === 0) c.moveTo(this.px(m[i]), this.py(m[i + 1]));
        else c.lineTo(this.px(m[i]), this.py(m[i + 1]));
      }
    }
    for (let k = 0; rows > 1 && k < cols; k++) {
      for (let r = 0; r < rows; r++) {
        const i = at(r, k);
        if (r === 0) c.moveTo(this.px(m[i]), this.py(m[i + 1]));
        else c.lineTo(this.px(m[i]), this.py(m[i + 1]));
      }
    }
    c.stroke();
  }

  points(xy, color, radius = 1.6, count = xy.length / 2) {
    const c = this.ctx;
    // Whole-pixel squares in one path: no anti-aliased edges, one fill for all (far cheaper to raster).
    const side = Math.max(2, Math.round(2 * radius * (this.size / 480)));
    const half = side / 2;
    c.fillStyle = color;
    c.beginPath();
    for (let i = 0; i < count; i++) {
      const x = Math.round(this.px(xy[2 * i]) - half);
      const y = Math.round(this.py(xy[2 * i + 1]) - half);
      if (Number.isFinite(x) && Number.isFinite(y)) c.rect(x, y, side, side);
    }
    c.fill();
  }

  /** Arrows from `xy` along `v`, the longest 8 % of the plane. */
  arrows(xy, v, color = COLORS.arrow) {
    const n = v.length / 2;
    let max = 1e-12;
    for (let i = 0; i < n; i++) max = Math.max(max, Math.hypot(v[2 * i], v[2 * i + 1]));
    const len = (0.08 * this.size) / max;
    const c = this.ctx;
    c.strokeStyle = color;
    c.lineWidth = 1.2 * (this.size / 480);
    c.beginPath();
    for (let i = 0; i < n; i++) {
      const x0 = this.px(xy[2 * i]);
      const y0 = this.py(xy[2 * i + 1]);
      const dx = v[2 * i] * len;
      const dy = -v[2 * i + 1] * len;
      if (![x0, y0, dx, dy].every(Number.isFinite)) continue;
      c.moveTo(x0, y0);
      c.lineTo(x0 + dx, y0 + dy);
      const a = Math.atan2(dy, dx);
      const h = 3.5 * (this.size / 480);
      if (Math.hypot(dx, dy) > h) {
        c.lineTo(x0 + dx - h * Math.cos(a - 0.5), y0 + dy - h * Math.sin(a - 0.5));
        c.moveTo(x0 + dx, y0 + dy);
        c.lineTo(x0 + dx - h * Math.cos(a + 0.5), y0 + dy - h * Math.sin(a + 0.5));
      }
    }
    c.stroke();
  }

  /** Lines from each point of `a` to the same point of `b`. */
  links(a, b, color) {
    const c = this.ctx;
    c.strokeStyle = color;
    c.lineWidth = 0.8 * (this.size / 480);
    c.beginPath();
    for (let i = 0; i < Math.min(a.length, b.length) / 2; i++) {
      c.moveTo(this.px(a[2 * i]), this.py(a[2 * i + 1]));
      c.lineTo(this.px(b[2 * i]), this.py(b[2 * i + 1]));
    }
    c.stroke();
  }

  /** A training frame with the layers `show` turns on ({ heatmap, manifold, arrows }). */
  draw(frame, show) {
    this.clear();
    if (show.heatmap && frame.heatmap?.length) this.heatmap(frame.heatmap, frame.heatmapProbability);
    this.grid();
    if (show.manifold && frame.manifold?.length) this.manifold(frame.manifold, frame.manifoldRows, frame.manifoldCols);
    this.points(frame.real, COLORS.real);
    this.points(frame.fake, COLORS.fake);
    if (show.arrows && frame.arrows?.length) this.arrows(frame.fake, frame.arrows);
  }

  /** The user's point cloud while drawing. */
  drawPoints(points) {
    this.clear();
    this.grid();
    this.points(points, COLORS.real, 2);
  }
}
