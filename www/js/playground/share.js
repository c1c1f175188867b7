// Pretrained presets, and "Keep and share": exporting and importing model files, copying the link,
// and classroom links that hide chosen controls.
import { PlaygroundCall as Call } from '../protocol.js';
import { PROPS, PROP, HIDE_EXTRA, GROUP_NAMES, MAX_LINK_POINTS } from '../state.js';
import { excerpt } from '../text.js';
import { $, message } from './page.js';

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
      b.textContent = name;
      b.dataset.preset = name;
      b.title = `Load a generator trained on ${name} (made with the native CLI)`;
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
      if (file.size > MAX_MODEL_BYTES) return message(`${name} is ${(file.size / 1048576).toFixed(0)} MB: too large for a ganplay model file. The current model stays.`);
      await this.run.importModel(await file.text(), name, { said: (at) => `Imported ${name}: training continues from iteration ${at}.` });
    });
    $('copy-link').addEventListener('click', () => this.copyLink());
    for (const key of HIDEABLE) {
      const l = document.createElement('label');
      l.className = 'check';
      const c = document.createElement('input');
      c.type = 'checkbox';
      c.value = key;
      c.addEventListener('change', () => this.sync());
      l.append(c, ' ', PROP[key] ? `${PROP[key].label} (${GROUP_NAMES[PROP[key].group]})` : GROUP_NAMES[key]);
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
      return message(`The ${name} preset could not be fetched (${e.message}); the current model stays.`);
    }
    await this.run.importModel(text, `the ${name} preset`, { said: () => `Loaded the ${name} preset.` });
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
    const count = n.toLocaleString('en');
    const said = left
      ? `Link copied, but without your ${count} points: they are too many for a link, even compressed. Opening the link shows the ring instead. To share the points, use Export model and send the file.`
      : `Link copied. It carries ${n ? `your ${count} points` : 'the dataset'} and every setting: opening it trains the same run again from the seed (weights are not in links; use Export model for those).`;
    try {
      await navigator.clipboard.writeText(location.href);
      message(said, left ? 'warn' : 'notice');
    } catch {
      message(`This browser did not let the page copy the link: copy it from the address bar.${left ? ` It does not carry your ${count} points; use Export model for those.` : ''}`, 'notice');
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
      message(`Export failed: ${e.message}`);
    }
  }

  /** The classroom link: this run's link, with the controls ticked hidden (and embed mode if chosen). */
  sync() {
    const hide = [...$('hide-list').querySelectorAll('input:checked')].map((c) => c.value);
    $('classroom-link').value = location.href.replace(/#.*$/, '') + this.run.hashFor({ hide, embed: $('embed-opt').checked });
  }
}
