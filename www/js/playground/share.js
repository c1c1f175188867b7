// Pretrained presets, and "Keep and share": exporting and importing model files, copying the link,
// and classroom links that hide chosen controls.
import { PlaygroundCall as Call } from '../protocol.js';
import { PROPS, PROP, HIDE_EXTRA, GROUP_NAMES, MAX_LINK_POINTS } from '../state.js';
import { excerpt } from '../text.js';
import { t, fmt } from '../i18n.js';
import { $, message, datasetLabel } from './page.js';

const PRESETS = ['ring', 'grid', 'spiral'];
const MAX_MODEL_BYTES = 64 * 1024 * 1024;
/** What a classroom link may hide: every control but the page's own, and a few parts of the page. */
const HIDEABLE = [...PROPS.filter((p) => p.group !== 'page').map((p) => p.key), ...HIDE_EXTRA];

export class SharePanel {
  /**
   * `engine`: the Engine; `run`: the Run (its state, points and importModel); `iteration()`: the
   * iteration shown.
   */
  constructor({ engine, run, iteration }) {
    Object.assign(this, { engine, run, iteration });
    for (const name of PRESETS) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = datasetLabel(name);
      b.dataset.preset = name;
      b.title = t('pg.preset.tip', { name: datasetLabel(name) });
      b.addEventListener('click', () => this.loadPreset(name));
      $('presets').append(b);
    }
    $('export').addEventListener('click', () => this.export());
    // A button for the hidden file input: a label around it is not reached with Tab.
    $('import-open').addEventListener('click', () => $('import').click());
    $('import').addEventListener('change', async (ev) => {
      const file = ev.target.files[0];
      ev.target.value = '';
      if (!file) return;
      const name = excerpt(file.name);
      if (file.size > MAX_MODEL_BYTES) return message(t('pg.import.tooBig', { name, mb: fmt(file.size / 1048576, { maximumFractionDigits: 0 }) }));
      await this.run.importModel(await file.text(), name, { said: (at) => t('pg.import.done', { name, at }) });
    });
    $('copy-link').addEventListener('click', () => this.copyLink());
    for (const key of HIDEABLE) {
      const l = document.createElement('label');
      l.className = 'check';
      const c = document.createElement('input');
      c.type = 'checkbox';
      c.value = key;
      c.addEventListener('change', () => this.sync());
      l.append(c, ' ', PROP[key] ? t('pg.hide.item', { label: PROP[key].label, group: GROUP_NAMES[PROP[key].group] }) : GROUP_NAMES[key]);
      $('hide-list').append(l);
    }
    $('embed-opt').addEventListener('change', () => this.sync());
  }

  async loadPreset(name) {
    let text;
    try {
      const res = await fetch(`models/${name}.json`);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      text = await res.text();
    } catch (e) {
      return message(t('pg.preset.failed', { name: datasetLabel(name), error: e.message }));
    }
    await this.run.importModel(text, t('pg.preset.source', { name: datasetLabel(name) }), { said: () => t('pg.preset.loaded', { name: datasetLabel(name) }) });
  }

  /**
   * Copies the link and says what it carries. Drawn points over MAX_LINK_POINTS travel compressed;
   * when even that is too long for a link, it says plainly that they are not in it.
   */
  async copyLink() {
    const { state, points } = this.run;
    const n = state.dataset === 'points' && points ? points.length / 2 : 0;
    const packed = n > MAX_LINK_POINTS ? await this.run.linkPoints() : undefined;
    const left = n > MAX_LINK_POINTS && !packed;
    const said = left ? t('pg.link.copiedWithout', { n }) : t(n ? 'pg.link.copiedPoints' : 'pg.link.copied', { n });
    try {
      await navigator.clipboard.writeText(location.href);
      message(said, left ? 'warn' : 'notice');
    } catch {
      message(t(left ? 'pg.link.noClipboardWithout' : 'pg.link.noClipboard', { n }), 'notice');
    }
  }

  async export() {
    try {
      const text = await this.engine.call(Call.EXPORT);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      a.download = `ganplay-${this.run.state.dataset}-${this.iteration()}.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (e) {
      message(t('pg.export.failed', { error: e.message }));
    }
  }

  /** The classroom link: this run's link, with the controls ticked hidden (and embed mode if chosen). */
  sync() {
    const hide = [...$('hide-list').querySelectorAll('input:checked')].map((c) => c.value);
    $('classroom-link').value = location.href.replace(/#.*$/, '') + this.run.hashFor({ hide, embed: $('embed-opt').checked });
  }
}
