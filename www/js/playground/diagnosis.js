// The diagnosis line under the readouts: names what the run is doing in one plain sentence, with a
// link to the lesson that explains it, and marks each firing on the charts. The detectors are pure
// (diagnose.js); this room feeds them each frame and writes the line only when its finding changes.
import { Diagnoser, readingOf, contextOf } from './diagnose.js';
import { $ } from './page.js';
import { t, has } from '../i18n.js';

/** The chart mark's short label for a finding (diag.label.<kind> in the string tables). */
const labelOf = (kind) => (has(`diag.label.${kind}`) ? t(`diag.label.${kind}`) : kind);

export class Diagnosis {
  /** `frames`: the Frames room (its `mark`, where it has one); `state()`: the run's state. */
  constructor({ frames, state }) {
    Object.assign(this, { frames, state });
    this.el = $('diagnosis');
    this.el.dataset.kind = '';
    this.diagnoser = new Diagnoser();
    this.shown = null;
  }

  /** A frame from the worker. Cheap: the detectors keep their own short windows. */
  push(frame) {
    for (const f of this.diagnoser.see(readingOf(frame), contextOf(this.state()))) this.mark(f);
    this.show();
  }

  /** The worker rolled back to `iteration` after a divergence. */
  diverged(iteration) {
    this.mark(this.diagnoser.diverged(iteration));
    this.show();
  }

  /** A new run: nothing said yet. */
  reset() {
    this.diagnoser.reset();
    this.show();
  }

  mark(f) {
    // Frames.mark comes with the edits' chart marks; until then the line alone names the finding.
    this.frames.mark?.(f.iteration, labelOf(f.kind), 'diagnosis');
  }

  show() {
    const f = this.diagnoser.current;
    if (f === this.shown) return;
    this.shown = f;
    this.el.textContent = '';
    this.el.dataset.kind = f?.kind ?? '';
    if (!f) return;
    const link = document.createElement('a');
    link.href = `#lesson=${f.lesson}`;
    link.textContent = t('diag.why');
    this.el.append(`${f.sentence} `, link);
  }
}
