// Parses "x,y" rows from a CSV file or pasted text into a point cloud. Pure: no DOM.
import { MAX_POINTS } from '../limits.js';
import { NUMBER } from '../state.js';
import { quote } from '../text.js';

/** Files over this size are refused before reading. */
export const MAX_BYTES = 5 * 1024 * 1024;

/** The largest finite 32-bit float. */
const F32_MAX = 3.4028234663852886e38;

/** Between two cells: a comma, semicolon or tab with spaces around it, or spaces alone. */
const SEPARATOR = /\s*[,;\t]\s*|\s+/;

/**
 * The cells of one line, or a string saying what is wrong. A cell may be quoted ("1.5", with ""
 * for a quote inside it): the quotes are taken off and the text inside is read as any other cell.
 * Empty cells are dropped, as before (so "1,,2" is two cells).
 */
function cellsOf(line) {
  if (!line.includes('"')) return line.split(SEPARATOR).filter((c) => c !== '');
  const cells = [];
  let i = 0;
  const sep = /[\s,;]/;
  while (i < line.length) {
    while (i < line.length && sep.test(line[i])) i++;
    if (i >= line.length) break;
    if (line[i] === '"') {
      let cell = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) return 'a quote mark is not closed';
        cell += line.slice(j, q);
        if (line[q + 1] === '"') {
          cell += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      if (j < line.length && !sep.test(line[j])) return 'text right after a closing quote mark';
      cells.push(cell.trim());
      i = j;
    } else {
      let j = i;
      while (j < line.length && !sep.test(line[j]) && line[j] !== '"') j++;
      if (line[j] === '"') return 'a quote mark in the middle of a value';
      cells.push(line.slice(i, j));
      i = j;
    }
  }
  return cells;
}

/** Line ends: \r\n, \n or \r. */
const EOL = /\r\n|\n|\r/g;

/**
 * Reads "x,y" rows a slice at a time (so a 5 MB file never holds the page for long): `read(lines)`
 * reads that many more lines and returns whether the text is done; `result()` is then
 * { points: Float32Array [x0, y0, …], header }. Both throw an Error whose message names the line.
 * Accepts commas, semicolons, tabs or spaces between the two numbers, and quoted cells; blank
 * lines and lines starting with # are skipped; a first row of two non-numbers is taken as a header
 * (`header`: its text, for the message that says so; null when there was none).
 */
export class PointsReader {
  constructor(text) {
    if (typeof text !== 'string') throw new Error('the input is not text');
    if (text.length > MAX_BYTES) throw new Error(`the input is ${(text.length / 1048576).toFixed(1)} MB; the limit is 5 MB`);
    this.text = text;
    this.at = 0; // where the next line starts (text.length + 1 when done)
    this.line = 0; // the number of the last line read
    this.out = [];
    this.header = null;
  }

  read(lines = Infinity) {
    const { text, out } = this;
    for (let k = 0; k < lines && this.at <= text.length; k++) {
      EOL.lastIndex = this.at;
      const eol = EOL.exec(text);
      const line = text.slice(this.at, eol ? eol.index : text.length).trim();
      this.at = eol ? EOL.lastIndex : text.length + 1;
      this.line++;
      if (line === '' || line.startsWith('#')) continue;
      const where = `line ${this.line}`;
      const cells = cellsOf(line);
      if (typeof cells === 'string') throw new Error(`${where}: ${cells}: ${quote(line)}`);
      if (out.length === 0 && this.header === null && cells.length === 2 && cells.every((c) => !NUMBER.test(c))) {
        this.header = line;
        continue;
      }
      if (cells.length !== 2) throw new Error(`${where}: expected 2 columns (x,y), found ${cells.length}: ${quote(line)}`);
      const values = cells.map((c) => (NUMBER.test(c) ? Number(c) : NaN));
      const bad = values.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        const comma = /^[-+]?\d*,\d+$/.test(cells[bad]) ? ' (write decimals with a point, as in 1.5)' : '';
        throw new Error(`${where}: ${quote(cells[bad], 30)} is not a finite number${comma}`);
      }
      // Points are stored as 32-bit floats: larger magnitudes would become infinite (found by tests/fuzz.mjs).
      const huge = values.findIndex((v) => Math.abs(v) > F32_MAX);
      if (huge >= 0) throw new Error(`${where}: ${quote(cells[huge], 30)} is too large (the limit is ±3.4e38)`);
      if (out.length / 2 >= MAX_POINTS) throw new Error(`${where}: more than ${MAX_POINTS.toLocaleString('en')} rows; the limit is ${MAX_POINTS.toLocaleString('en')}`);
      out.push(values[0], values[1]);
    }
    return this.at > text.length;
  }

  result() {
    if (this.out.length === 0) throw new Error(this.header === null ? 'no points found: expected rows of "x,y"' : `no points found after the header ${quote(this.header)}: expected rows of "x,y"`);
    return { points: Float32Array.from(this.out), header: this.header };
  }
}

/** Reads all of `text` at once (see PointsReader): { points, header }, or throws. */
export function parsePoints(text) {
  const reader = new PointsReader(text);
  reader.read();
  return reader.result();
}

/** Lines read between two checks of the clock. */
export const SLICE_LINES = 2000;

/**
 * As parsePoints, but a slice of at most about `sliceMs` at a time, letting the page draw and
 * answer in between: resolves to { points, header }, or rejects.
 */
export async function readPoints(text, sliceMs = 15) {
  const reader = new PointsReader(text);
  let start = performance.now();
  while (!reader.read(SLICE_LINES)) {
    if (performance.now() - start < sliceMs) continue;
    await new Promise((r) => setTimeout(r, 0));
    start = performance.now();
  }
  return reader.result();
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
