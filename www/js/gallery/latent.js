// Latent-space arithmetic for the gallery, on plain Float32Arrays: seeded noise, spherical
// interpolation and small random walks. (The sliders' directions come from the generator: see
// directions.js and crate/src/images/directions.rs.)

/** A class (a number, or a Float32Array of weights: a blend) as weights over `k` classes. */
export function classWeights(cls, k) {
  if (typeof cls !== 'number') return cls;
  const w = new Float32Array(k);
  w[cls] = 1;
  return w;
}

/** A seeded uniform generator on [0, 1) (mulberry32). */
export function uniform(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` standard normal values (Box–Muller) from a uniform generator. */
export function normals(rand, n) {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

const norm = (v) => Math.hypot(...v);

/** Spherical interpolation between two noise vectors at t ∈ [0, 1] (lerp where they are parallel). */
export function slerp(a, b, t) {
  const na = norm(a), nb = norm(b);
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  const cos = Math.min(1, Math.max(-1, dot / (na * nb || 1)));
  const omega = Math.acos(cos);
  const out = new Float32Array(a.length);
  if (omega < 1e-4) {
    for (let i = 0; i < a.length; i++) out[i] = a[i] + (b[i] - a[i]) * t;
    return out;
  }
  const s = Math.sin(omega);
  const wa = Math.sin((1 - t) * omega) / s, wb = Math.sin(t * omega) / s;
  for (let i = 0; i < a.length; i++) out[i] = wa * a[i] + wb * b[i];
  return out;
}

/** One step of a slow walk on the sphere of `z`'s radius, towards `towards` by angle `step`. */
export function walk(z, towards, step) {
  const r = norm(z);
  let d = 0;
  for (let i = 0; i < z.length; i++) d += towards[i] * z[i];
  const perp = new Float32Array(z.length);
  for (let i = 0; i < z.length; i++) perp[i] = towards[i] - (d / (r * r || 1)) * z[i];
  const pn = norm(perp) || 1;
  const out = new Float32Array(z.length);
  for (let i = 0; i < z.length; i++) out[i] = z[i] * Math.cos(step) + (perp[i] / pn) * r * Math.sin(step);
  return out;
}
