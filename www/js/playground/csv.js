// Parses "x,y" rows from a CSV file or pasted text into a point cloud. Pure: no DOM.
import { MAX_POINTS, EXTENT } from '../limits.js';
import { NUMBER } from '../state.js';
import { quote } from '../text.js';
import { t, fmt, normaliseNumber } from '../i18n.js';

/** Files over this size are refused before reading. */
export const MAX_BYTES = 5 * 1024 * 1024;

/** The largest finite 32-bit float. */
const F32_MAX = 3.4028234663852886e38;

/** Between two cells: a comma, semicolon or tab with spaces around it, or spaces alone (full-width ones too, as Chinese input methods type them). */
const SEPARATOR = /\s*[,;\t，；]\s*|\s+/;

/** A cell's number, or NaN: typed digits normalised first (full-width digits, a decimal comma where the page's language writes one); a long cell is no number anyway. */
function numberOf(cell) {
  if (NUMBER.test(cell)) return Number(cell);
  const s = cell.length <= 64 ? normaliseNumber(cell) : '';
  return NUMBER.test(s) ? Number(s) : NaN;
}

/**
 * The cells of one line, or a string saying what is wrong. A cell may be quoted ("1.5", with ""
 * for a quote inside it): the quotes are taken off and the text inside is read as any other cell.
 * Empty cells are dropped, as before (so "1,,2" is two cells).
 */
function cellsOf(line) {
  if (!line.includes('"')) return line.split(SEPARATOR).filter((c) => c !== '');
  const cells = [];
  let i = 0;
  const sep = /[\s,;，；]/;
  while (i < line.length) {
    while (i < line.length && sep.test(line[i])) i++;
    if (i >= line.length) break;
    if (line[i] === '"') {
      let cell = '';
      let j = i + 1;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) return t('pg.csv.unclosed');
        cell += line.slice(j, q);
        if (line[q + 1] === '"') {
          cell += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      if (j < line.length && !sep.test(line[j])) return t('pg.csv.afterQuote');
      cells.push(cell.trim());
      i = j;
    } else {
      let j = i;
      while (j < line.length && !sep.test(line[j]) && line[j] !== '"') j++;
      if (line[j] === '"') return t('pg.csv.midQuote');
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
    if (typeof text !== 'string') throw new Error(t('pg.csv.notText'));
    if (text.length > MAX_BYTES) throw new Error(t('pg.csv.inputTooBig', { mb: fmt(text.length / 1048576, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) }));
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
      // Named only when something is wrong (a message per line would cost more than the reading); line numbers are not grouped.
      const fail = (key, params) => new Error(t(key, { where: t('pg.csv.line', { n: fmt(this.line, { useGrouping: false }) }), ...params }));
      const cells = cellsOf(line);
      if (typeof cells === 'string') throw fail('pg.csv.badLine', { problem: cells, line: quote(line) });
      if (out.length === 0 && this.header === null && cells.length === 2 && cells.every((c) => Number.isNaN(numberOf(c)))) {
        this.header = line;
        continue;
      }
      if (cells.length !== 2) throw fail('pg.csv.columns', { n: cells.length, line: quote(line) });
      const values = cells.map(numberOf);
      const bad = values.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        const comma = /^[-+]?\d*,\d+$/.test(cells[bad]);
        throw fail(comma ? 'pg.csv.commaNumber' : 'pg.csv.notNumber', { cell: quote(cells[bad], 30) });
      }
      // Points are stored as 32-bit floats: larger magnitudes would become infinite (found by tests/fuzz.mjs).
      const huge = values.findIndex((v) => Math.abs(v) > F32_MAX);
      if (huge >= 0) throw fail('pg.csv.tooLarge', { cell: quote(cells[huge], 30) });
      if (out.length / 2 >= MAX_POINTS) throw fail('pg.csv.tooMany', { max: MAX_POINTS });
      out.push(values[0], values[1]);
    }
    return this.at > text.length;
  }

  result() {
    if (this.out.length === 0) throw new Error(this.header === null ? t('pg.csv.none') : t('pg.csv.noneAfterHeader', { header: quote(this.header) }));
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
 * Scales points into the plane [−EXTENT, EXTENT]² when they fall outside it (keeping the aspect
 * ratio, 0.2 inside its edge); returns { points, scaled }.
 */
export function fitToPlane(points) {
  let max = 0;
  for (const v of points) max = Math.max(max, Math.abs(v));
  if (max <= EXTENT) return { points, scaled: false };
  const k = (EXTENT - 0.2) / max;
  return { points: points.map((v) => v * k), scaled: true };
}
