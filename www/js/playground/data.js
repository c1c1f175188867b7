// The Data fieldset: a thumbnail per dataset (and one to draw your own), a new seed, and points
// imported from a CSV file or pasted text.
import { PlaygroundCall as Call } from '../protocol.js';
import { DATASETS } from '../state.js';
import { excerpt, quote } from '../text.js';
import { readPoints, fitToPlane, MAX_BYTES as MAX_CSV_BYTES } from './csv.js';
import { COLORS } from '../views/palette.js';
import { t, fmt } from '../i18n.js';
import { arrowsMove } from '../keyboard.js';
import { $, message, datasetLabel } from './page.js';

const SIDE = 56;

function paintThumb(name, xy) {
  const c = $('thumbs').querySelector(`[data-dataset="${name}"] canvas`);
  const ctx = c.getContext('2d');
  ctx.fillStyle = COLORS.paper;
  ctx.fillRect(0, 0, SIDE, SIDE);
  ctx.fillStyle = COLORS.real;
  for (let i = 0; i < xy.length; i += 2) ctx.fillRect(((xy[i] + 3) / 6) * SIDE - 0.5, ((3 - xy[i + 1]) / 6) * SIDE - 0.5, 1.2, 1.2);
}

export class DataPanel {
  /**
   * `pick(name)`: trains on a built-in dataset; `draw()`: opens the draw tool; `newSeed()`;
   * `take(points)`: trains on imported points, resolves to whether they were taken.
   */
  constructor({ pick, draw, newSeed, take }) {
    this.take = take;
    for (const name of [...DATASETS, 'points']) $('thumbs').append(this.thumb(name, () => (name === 'points' ? draw() : pick(name))));
    arrowsMove($('thumbs'), '.thumb');
    // The "draw" tile shows a hand-drawn squiggle.
    paintThumb('points', Float32Array.from({ length: 240 }, (_, i) => {
      const t = (i >> 1) / 120;
      return i % 2 === 0 ? -2.2 + 4.4 * t : 1.2 * Math.sin(t * 9) * (1 - t * 0.4);
    }));
    $('regenerate').addEventListener('click', newSeed);
    $('csv-file').addEventListener('change', async (ev) => {
      const file = ev.target.files[0];
      ev.target.value = '';
      if (!file) return;
      if (file.size > MAX_CSV_BYTES) return message(t('pg.csv.fileTooBig', { name: excerpt(file.name), mb: fmt(file.size / 1048576, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) }));
      this.usePoints(await file.text(), excerpt(file.name));
    });
    $('csv-use').addEventListener('click', () => this.usePoints($('csv-text').value, t('pg.csv.pasted')));
  }

  thumb(name, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'thumb';
    b.dataset.dataset = name;
    b.setAttribute('role', 'radio');
    b.title = name === 'points' ? t('pg.data.drawTip') : datasetLabel(name);
    const c = document.createElement('canvas');
    c.width = c.height = SIDE;
    const label = document.createElement('span');
    label.textContent = name === 'points' ? t('pg.data.draw') : datasetLabel(name);
    b.append(c, label);
    b.addEventListener('click', onClick);
    return b;
  }

  /** Marks the state's dataset. */
  sync(state) {
    for (const b of $('thumbs').children) b.setAttribute('aria-checked', String(b.dataset.dataset === state.dataset));
  }

  /** Asks the engine for samples of every built-in dataset and paints them into the thumbnails. */
  loadThumbs(engine) {
    engine.call(Call.THUMBS, { names: DATASETS, count: 300 }).then(
      (samples) => Object.entries(samples).forEach(([n, xy]) => paintThumb(n, xy)),
      () => {},
    );
  }

  async usePoints(text, source) {
    let parsed;
    try {
      parsed = await readPoints(text);
    } catch (e) {
      return message(t('pg.csv.refused', { source, error: e.message }));
    }
    const { points: fitted, scaled } = fitToPlane(parsed.points);
    if (await this.take(fitted)) {
      const n = fitted.length / 2;
      const notes = [t('pg.csv.loaded', { n, source })];
      if (parsed.header !== null) notes.push(t('pg.csv.header', { header: quote(parsed.header) }));
      if (scaled) notes.push(t('pg.csv.scaled'));
      message(notes, 'notice');
    }
  }
}
