// The question asked before a change starts a new run while one is under way: a small bar next to
// the control that was changed, never a dialog. The run goes on while it waits; a new run that
// comes another way (Reset, New seed, a link) takes it away.
import { $ } from './page.js';

/** Where the question shows for a setting: under its control (the dataset's: under the thumbnails). */
function anchorOf(key) {
  if (key === 'dataset') return $('thumbs');
  return $(`p-${key}`)?.closest('[data-prop]') ?? null;
}

export class NewRunQuestion {
  constructor() {
    this.bar = $('new-run-ask');
    this.waiting = []; // resolvers of every ask() not answered yet: one answer serves them all
    $('new-run-yes').addEventListener('click', () => this.answer(true));
    $('new-run-no').addEventListener('click', () => this.answer(false));
  }

  /** Asks about changing settings `keys`; resolves to true (start a new run) or false (keep this one). */
  ask(keys) {
    const anchor = keys.map(anchorOf).findLast(Boolean);
    if (anchor) anchor.after(this.bar);
    this.bar.hidden = false;
    document.body.dataset.asking = 'new-run';
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  answer(yes) {
    this.bar.hidden = true;
    delete document.body.dataset.asking;
    for (const resolve of this.waiting.splice(0)) resolve(yes);
  }

  /** The question no longer stands (a new run came another way): as "keep this run". */
  dismiss() {
    if (this.waiting.length || !this.bar.hidden) this.answer(false);
  }
}
