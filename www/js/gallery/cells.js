// The sample grid's keyboard face: a grid of cells laid over the samples' canvas (role=grid), one
// Tab stop that the arrow keys move over the samples, and keys that pick the focused one: Enter or
// Space as a click does (A, or B once A is picked), A or B that one. The mouse passes through it
// to the canvas (grid.js picks from the click's place).
import { t } from '../i18n.js';

export class GridCells {
  /** `el`: the grid's element; `pick(i, which)`: sample `i` as 'a', 'b' or 'click' (as a click picks). */
  constructor(el, { cols, rows, pick }) {
    Object.assign(this, { el, cols, rows, pick });
    this.at = 0; // the cell with the Tab stop
    this.cells = [];
    for (let r = 0; r < rows; r++) {
      const row = document.createElement('div');
      row.setAttribute('role', 'row');
      for (let c = 0; c < cols; c++) {
        const cell = document.createElement('div');
        cell.setAttribute('role', 'gridcell');
        cell.tabIndex = this.cells.length === 0 ? 0 : -1;
        cell.dataset.cell = String(this.cells.length);
        row.append(cell);
        this.cells.push(cell);
      }
      el.append(row);
    }
    el.addEventListener('keydown', (ev) => this.key(ev));
    this.mark();
  }

  key(ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const i = this.at;
    const col = i % this.cols;
    const last = this.cells.length - 1;
    const to = {
      ArrowLeft: col > 0 ? i - 1 : i,
      ArrowRight: col < this.cols - 1 ? i + 1 : i,
      ArrowUp: i >= this.cols ? i - this.cols : i,
      ArrowDown: i + this.cols <= last ? i + this.cols : i,
      Home: i - col,
      End: i - col + this.cols - 1,
    }[ev.key];
    const key = ev.key.toLowerCase();
    if (to !== undefined) this.go(to);
    else if (ev.key === 'Enter' || ev.key === ' ') this.pick(i, ev.shiftKey ? 'b' : 'click');
    else if (key === 'a' || key === 'b') this.pick(i, key);
    else return;
    ev.preventDefault();
  }

  /** Moves the Tab stop to cell `i`, and the focus too when `focus` (a click moves only the stop). */
  go(i, focus = true) {
    this.cells[this.at].tabIndex = -1;
    this.at = i;
    this.cells[i].tabIndex = 0;
    if (focus) this.cells[i].focus();
  }

  /** The cells say which samples are A and B (cell indices; undefined: not on the grid). */
  mark(a, b) {
    for (const [k, cell] of this.cells.entries()) {
      const pick = k === a ? 'a' : k === b ? 'b' : '';
      const where = { row: Math.floor(k / this.cols) + 1, col: (k % this.cols) + 1 };
      cell.dataset.pick = pick;
      cell.setAttribute('aria-selected', String(pick !== ''));
      cell.setAttribute('aria-label', t(pick ? `keys.gal.cell.${pick}` : 'keys.gal.cell', where));
    }
  }
}
