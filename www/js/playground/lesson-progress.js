// Each lesson's progress in this browser (localStorage, one entry per lesson): the step reached,
// the answers given, whether it was finished. Storage that is blocked or full costs the memory
// only: the lesson goes on, and the next visit starts at step 1.

const KEY = 'ganplay-lesson';

/** { step (from 1), answers: { [step index]: choice index }, done } or null when none is kept. */
export function loadProgress(id) {
  let value;
  try {
    value = JSON.parse(localStorage.getItem(`${KEY}-${id}`));
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object' || !Number.isInteger(value.step) || value.step < 1) return null;
  const answers = {};
  if (value.answers && typeof value.answers === 'object') {
    for (const [k, v] of Object.entries(value.answers)) if (/^\d{1,2}$/.test(k) && Number.isInteger(v) && v >= 0) answers[k] = v;
  }
  return { step: value.step, answers, done: value.done === true };
}

export function saveProgress(id, progress) {
  try {
    localStorage.setItem(`${KEY}-${id}`, JSON.stringify({ step: progress.step, answers: progress.answers, done: progress.done, savedAt: Date.now() }));
  } catch {
    // Blocked or full: only the memory of this lesson is lost.
  }
}

export function forgetProgress(id) {
  try {
    localStorage.removeItem(`${KEY}-${id}`);
  } catch {
    // Blocked: nothing was kept either.
  }
}
