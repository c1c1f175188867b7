// The plane: the discriminator's heatmap, the generator's manifold, real and generated points,
// gradient arrows and the modes G misses, over [−EXTENT, EXTENT]² with its axis numbers. Knows nothing of the
// worker; `draw(frame, show)` paints a frame, `colorbar(canvas)` the heatmap's colour scale. Its
// colours are the palette's (views/palette.js), for the page's colour scheme.
import { COLORS, HEAT_STRENGTH, rgb } from './palette.js';
import { EXTENT } from '../limits.js';

export { COLORS };

/**
 * "True length" arrows: one fixed scale for every frame and objective, as a share of the plane's
 * side per unit of gradient (‖−∂ℓ_G/∂x‖ = 1, WGAN-GP's natural size, draws 4 % of the side; the
 * default ring's gradients grow from about 0.02 at the start to 2–5 once D is sure). An arrow
 * longer than TRUE_MAX of the side is cut there, so a huge gradient cannot cover the picture.
 */
export const TRUE_SCALE = 0.04;
const TRUE_MAX = 0.2;
/** The ring drawn around a missing mode, in plane units. */
const MISSING_RADIUS = 0.25;

/**
 * The colour of D's output p: 1 looks "real" (green), 0 "generated" (purple), ½ the paper (white
 * in the light scheme); `strength` below 1 gives the same scale paler.
 */
export function valueColor(p, strength = 1) {
  const t = Number.isFinite(p) ? Math.max(0, Math.min(1, p)) : 0.5;
  const [r, g, b] = rgb(COLORS.paper);
  const [r0, g0, b0] = rgb(t >= 0.5 ? COLORS.real : COLORS.fake);
  const k = Math.abs(t - 0.5) * 2 * strength;
  return [r + (r0 - r) * k, g + (g0 - g) * k, b + (b0 - b) * k];
}

/** Colour of a heatmap cell: the scale, paler, so the points drawn on it stand out. */
const heatColor = (p) => valueColor(p, HEAT_STRENGTH);

/**
 * How D's outputs map onto the colour scale [0, 1]: probabilities as they are; scores (WGAN, hinge)
 * have no fixed level, so the lowest of `values` (a heatmap) maps to 0 (purple), the highest to 1.
 */
export function unitScale(values, probability) {
  if (probability) return (v) => v;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) if (Number.isFinite(v)) (min = Math.min(min, v)), (max = Math.max(max, v));
  const lo = Number.isFinite(min) ? min : 0;
  const span = Math.max(max - min, 1e-9);
  return (v) => (v - lo) / span;
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
    this.ctx.fillStyle = COLORS.paper;
    this.ctx.fillRect(0, 0, this.size, this.size);
  }

  heatmap(values, probability) {
    const side = Math.round(Math.sqrt(values.length));
    if (!side) return;
    const unit = unitScale(values, probability);
    // The small canvas and its pixels are kept between frames: no allocation per frame or pixel.
    if (this.heat.width !== side) {
      this.heat.width = this.heat.height = side;
      this.heatImage = this.heat.getContext('2d').createImageData(side, side);
    }
    const px = this.heatImage.data;
    for (let i = 0; i < side * side; i++) {
      const p = unit(values[i]);
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
    c.strokeStyle = COLORS.grid;
    c.lineWidth = 1;
    c.beginPath();
    for (let v = -2; v <= 2; v++) {
      c.moveTo(this.px(v), 0);
      c.lineTo(this.px(v), this.size);
      c.moveTo(0, this.py(v));
      c.lineTo(this.size, this.py(v));
    }
    c.stroke();
    // Axis numbers along the bottom (x) and the left (y) edge, haloed to read on any background.
    const k = this.size / 480;
    c.font = `${Math.round(10 * k)}px system-ui, sans-serif`;
    c.lineWidth = 3 * k;
    c.strokeStyle = COLORS.inkHalo;
    c.fillStyle = COLORS.inkSoft;
    const label = (text, x, y) => {
      c.strokeText(text, x, y);
      c.fillText(text, x, y);
    };
    c.textAlign = 'center';
    c.textBaseline = 'bottom';
    for (let v = -2; v <= 2; v++) label(v < 0 ? `−${-v}` : String(v), this.px(v), this.size - 3 * k);
    c.textAlign = 'left';
    c.textBaseline = 'middle';
    for (let v = -2; v <= 2; v++) label(v < 0 ? `−${-v}` : String(v), 3 * k, this.py(v));
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

  /**
   * Points as squares; with `halo`, each sits on a white square one pixel wider all round, so it
   * shows on a background of its own colour (it costs a second fill: only where it is needed).
   */
  points(xy, color, radius = 1.6, count = xy.length / 2, halo = false) {
    const c = this.ctx;
    // Whole-pixel squares in one path: no anti-aliased edges, one fill for all (far cheaper to raster).
    const side = Math.max(2, Math.round(2 * radius * (this.size / 480)));
    const rim = halo ? Math.max(1, Math.round(this.size / 480)) : 0;
    const half = side / 2;
    const square = (grow) => {
      c.beginPath();
      for (let i = 0; i < count; i++) {
        const x = Math.round(this.px(xy[2 * i]) - half);
        const y = Math.round(this.py(xy[2 * i + 1]) - half);
        if (Number.isFinite(x) && Number.isFinite(y)) c.rect(x - grow, y - grow, side + 2 * grow, side + 2 * grow);
      }
      c.fill();
    };
    if (rim) {
      c.fillStyle = COLORS.halo;
      square(rim);
    }
    c.fillStyle = color;
    square(0);
  }

  /**
   * Arrows from `xy` along `v`: the longest 8 % of the plane, or with `trueScale` TRUE_SCALE of it
   * per unit (the same for every frame, so a vanishing gradient draws vanishing arrows). Returns the
   * mean and the longest drawn length, in pixels of a 480-pixel plane: { mean, max }.
   */
  arrows(xy, v, color = COLORS.arrow, trueScale = false) {
    const n = v.length / 2;
    let max = 1e-12;
    for (let i = 0; i < n; i++) max = Math.max(max, Math.hypot(v[2 * i], v[2 * i + 1]));
    const len = trueScale ? TRUE_SCALE * this.size : (0.08 * this.size) / max;
    const cap = TRUE_MAX * this.size;
    let drawn = 0;
    let longest = 0;
    let count = 0;
    const c = this.ctx;
    c.strokeStyle = color;
    c.lineWidth = 1.2 * (this.size / 480);
    c.beginPath();
    for (let i = 0; i < n; i++) {
      const x0 = this.px(xy[2 * i]);
      const y0 = this.py(xy[2 * i + 1]);
      let dx = v[2 * i] * len;
      let dy = -v[2 * i + 1] * len;
      if (![x0, y0, dx, dy].every(Number.isFinite)) continue;
      const l = Math.hypot(dx, dy);
      if (l > cap) (dx *= cap / l), (dy *= cap / l);
      drawn += Math.min(l, cap);
      longest = Math.max(longest, Math.min(l, cap));
      count++;
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
    const k = 480 / this.size;
    return { mean: count ? (drawn / count) * k : 0, max: longest * k };
  }

  /** A ring around each centre ([[x, y], …]): the modes no generated point covers (solid: dashes cost more to draw). */
  missing(centres) {
    const c = this.ctx;
    const r = (MISSING_RADIUS / (2 * EXTENT)) * this.size;
    c.strokeStyle = COLORS.missing;
    c.lineWidth = 2 * (this.size / 480);
    c.beginPath();
    for (const [x, y] of centres) {
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      c.moveTo(this.px(x) + r, this.py(y));
      c.arc(this.px(x), this.py(y), r, 0, 2 * Math.PI);
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

  /**
   * A training frame with the layers `show` turns on ({ heatmap, manifold, arrows, trueScale }), and
   * a ring around each mode G misses. `arrowPx`: the mean and longest drawn arrow length ({ mean,
   * max }, 0 without arrows).
   */
  draw(frame, show) {
    this.clear();
    if (show.heatmap && frame.heatmap?.length) this.heatmap(frame.heatmap, frame.heatmapProbability);
    this.grid();
    if (show.manifold && frame.manifold?.length) this.manifold(frame.manifold, frame.manifoldRows, frame.manifoldCols);
    const heat = show.heatmap && frame.heatmap?.length > 0;
    this.points(frame.real, COLORS.real);
    // Generated points on D's purple "generated" side would melt into it: they get a halo there.
    this.points(frame.fake, COLORS.fake, 1.6, frame.fake.length / 2, heat);
    const missing = frame.metrics?.modes?.missing;
    if (Array.isArray(missing) && missing.length) this.missing(missing);
    this.arrowPx = show.arrows && frame.arrows?.length ? this.arrows(frame.fake, frame.arrows, COLORS.arrow, !!show.trueScale) : { mean: 0, max: 0 };
  }

  /** The user's point cloud while drawing. */
  drawPoints(points) {
    this.clear();
    this.grid();
    this.points(points, COLORS.real, 2);
  }

  /** The keyboard's brush while drawing: a ring of radius `r` (plane units) at (x, y). */
  ring(x, y, r) {
    const c = this.ctx;
    const k = this.size / 480;
    c.beginPath();
    c.arc(this.px(x), this.py(y), (r / (2 * EXTENT)) * this.size, 0, 2 * Math.PI);
    c.lineWidth = 3 * k;
    c.strokeStyle = COLORS.halo;
    c.stroke();
    c.lineWidth = 1.5 * k;
    c.strokeStyle = '#1d1d29';
    c.stroke();
  }

  // What the explained round draws (playground/phases.js): points that carry a value, a change
  // of D's map, small maps and large labels. Slower per point than `points`, but only for a few dozen.

  /**
   * Outlined markers at `xy`: a 'circle' (real points) or a 'diamond' (generated ones), filled
   * with `fill(i)` (a CSS colour), `radius(i)` CSS pixels at a 480-pixel plane.
   */
  marks(xy, { shape = 'circle', fill, radius = () => 5, stroke = COLORS.ink }) {
    const c = this.ctx;
    const k = this.size / 480;
    c.lineWidth = 1.2 * k;
    c.strokeStyle = stroke;
    for (let i = 0; i < xy.length / 2; i++) {
      const x = this.px(xy[2 * i]);
      const y = this.py(xy[2 * i + 1]);
      const r = radius(i) * k;
      if (![x, y, r].every(Number.isFinite)) continue;
      c.beginPath();
      if (shape === 'diamond') {
        const d = r * 1.25;
        c.moveTo(x, y - d);
        c.lineTo(x + d, y);
        c.lineTo(x, y + d);
        c.lineTo(x - d, y);
        c.closePath();
      } else {
        c.arc(x, y, r, 0, 2 * Math.PI);
      }
      c.fillStyle = fill(i);
      c.fill();
      c.stroke();
    }
  }

  /**
   * D's map after its update minus before, over the whole plane: green where D now says "more
   * real", purple "less real", white unchanged, scaled to the largest change (returned).
   */
  changeMap(before, after) {
    const delta = Array.from(after, (v, i) => v - before[i]);
    let most = 0;
    for (const d of delta) if (Number.isFinite(d)) most = Math.max(most, Math.abs(d));
    const scale = Math.max(most, 1e-12);
    this.cells(delta, (d) => valueColor(0.5 + d / (2 * scale)), [0, 0, this.size, this.size]);
    return most;
  }

  /** A small copy of a heatmap in the box [x, y, side] (canvas pixels), framed, titled above. */
  inset(values, probability, [x, y, side], title) {
    const unit = unitScale(values, probability);
    this.cells(values, (v) => heatColor(unit(v)), [x, y, side, side]);
    const c = this.ctx;
    c.strokeStyle = COLORS.ink;
    c.lineWidth = Math.max(1, this.size / 480);
    c.strokeRect(x, y, side, side);
    const above = this.label([title], { size: 0.032, weight: 600, dry: true }).height;
    this.label([title], { x: x + side / 2, y: y - above, size: 0.032, weight: 600, align: 'center' });
  }

  /** A square grid of `values` (rows from the top), each cell coloured by `color(v)` → [r, g, b], into a box. */
  cells(values, color, [x, y, w, h]) {
    const side = Math.round(Math.sqrt(values.length));
    if (!side) return;
    const scratch = (this.scratch ??= document.createElement('canvas'));
    scratch.width = scratch.height = side;
    const sc = scratch.getContext('2d');
    const image = sc.createImageData(side, side);
    for (let i = 0; i < side * side; i++) {
      const [r, g, b] = color(values[i]);
      image.data.set([r, g, b, 255], 4 * i);
    }
    sc.putImageData(image, 0, 0);
    this.ctx.imageSmoothingEnabled = true;
    this.ctx.drawImage(scratch, x, y, w, h);
  }

  /**
   * Lines of text on a white box, each wrapped to `width` (a share of the plane): `size` is the font
   * height as a share of the plane; (x, y) the box's top-left corner in canvas pixels (its top centre
   * for align 'center', its bottom-left for 'bottom'). Returns the box { left, top, width, height };
   * `dry` only measures.
   */
  label(lines, { x = 0.02 * this.size, y = 0.02 * this.size, size = 0.06, weight = 700, align = 'left', width = 0.96, dry = false } = {}) {
    const c = this.ctx;
    const h = Math.round(size * this.size);
    c.font = `${weight} ${h}px system-ui, sans-serif`;
    const pad = 0.3 * h;
    const room = width * this.size - 2 * pad;
    const rows = lines.flatMap((line) => {
      const out = [];
      for (const word of line.split(' ')) {
        const last = out.length ? `${out[out.length - 1]} ${word}` : word;
        if (out.length && c.measureText(last).width <= room) out[out.length - 1] = last;
        else out.push(word);
      }
      return out;
    });
    const w = Math.max(...rows.map((t) => c.measureText(t).width)) + 2 * pad;
    const boxH = rows.length * 1.25 * h + 2 * pad - 0.25 * h;
    const left = align === 'center' ? x - w / 2 : x;
    const top = align === 'bottom' ? y - boxH : y;
    const box = { left, top, width: w, height: boxH };
    if (dry) return box;
    c.fillStyle = COLORS.labelBox;
    c.fillRect(left, top, w, boxH);
    c.fillStyle = COLORS.ink;
    c.textBaseline = 'top';
    c.textAlign = 'left';
    rows.forEach((t, i) => c.fillText(t, left + pad, top + pad + i * 1.25 * h));
    return box;
  }
}

/** Paints the heatmap's colour scale, D(x) from 0 (left) to 1 (right), on a small canvas. */
export function colorbar(canvas) {
  const c = canvas.getContext('2d');
  const w = canvas.width;
  const img = c.createImageData(w, 1);
  for (let i = 0; i < w; i++) {
    const [r, g, b] = heatColor(i / (w - 1));
    img.data.set([r, g, b, 255], 4 * i);
  }
  for (let y = 0; y < canvas.height; y++) c.putImageData(img, 0, y);
}

/** valueColor at full strength as a CSS colour: a point's colour for D's output there. */
export const valueCss = (p) => `rgb(${valueColor(p).map(Math.round).join(',')})`;
