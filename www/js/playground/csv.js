// Parses "x,y" rows from a CSV file or pasted text into a point cloud. Pure: no DOM.
import { MAX_POINTS } from '../limits.js';

/** Files over this size are refused before reading. */
export const MAX_BYTES = 5 * 1024 * 1024;

/** The largest finite 32-bit float. */
const F32_MAX = 3.4028234663852886e38;

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/**
 * Returns { points: Float32Array [x0, y0, …], skippedHeader } or throws an Error whose message
 * names the line. Accepts commas, semicolons, tabs or spaces between the two numbers; blank lines
 * and lines starting with # are skipped; a first line of two non-numbers is taken as a header.
 */
export function parsePoints(text) {
  if (typeof text !== 'string') throw new Error('the input is not text');
  if (text.length > MAX_BYTES) throw new Error(`the input is ${(text.length / 1048576).toFixed(1)} MB; the limit is 5 MB`);
  const lines = text.split(/\r\n|\n|\r/);
  const out = [];
  let skippedHeader = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(/\s*[,;\t]\s*|\s+/).filter((c) => c !== '');
    const where = `line ${i + 1}`;
    if (out.length === 0 && !skippedHeader && cells.length === 2 && cells.every((c) => !NUMBER.test(c))) {
      skippedHeader = true;
      continue;
    }
    if (cells.length !== 2) throw new Error(`${where}: expected 2 columns (x,y), found ${cells.length}: "${line.slice(0, 60)}"`);
    const values = cells.map((c) => (NUMBER.test(c) ? Number(c) : NaN));
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`${where}: "${cells[bad].slice(0, 30)}" is not a finite number`);
    // Points are stored as 32-bit floats: larger magnitudes would become infinite (found by tests/fuzz.mjs).
    const huge = values.findIndex((v) => Math.abs(v) > F32_MAX);
    if (huge >= 0) throw new Error(`${where}: "${cells[huge].slice(0, 30)}" is too large (the limit is ±3.4e38)`);
    if (out.length / 2 >= MAX_POINTS) throw new Error(`${where}: more than ${MAX_POINTS.toLocaleString('en')} rows; the limit is ${MAX_POINTS.toLocaleString('en')}`);
    out.push(values[0], values[1]);
  }
  if (out.length === 0) throw new Error('no points found: expected rows of "x,y"');
  return { points: Float32Array.from(out), skippedHeader };
}

/**
 * Scales points into the plane [−3, 3]² when they fall outside it (keeping the aspect ratio);
 * returns { points, scaled }.
 */
export function fitToPlane(points) {
  let max = 0;
  for (const v of points) max = Math.max(max, Math.abs(v));
  if (max <= 3) return { points, scaled: false };
  const k = 2.8 / max;
  return { points: points.map((v) => v * k), scaled: true };
}
