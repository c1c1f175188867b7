// What every room of the gallery shares: finding an element, the error list and the status line.

export const $ = (id) => document.getElementById(id);

/** Adds a line to the error list (as text). */
export function showError(message) {
  const p = document.createElement('p');
  p.textContent = message;
  $('errors').append(p);
}

/** The status line, with a progress bar when `progress` (0–1) is given. */
export function setStatus(text, progress) {
  $('status-text').textContent = text;
  const bar = $('progress');
  bar.hidden = progress === undefined;
  if (progress !== undefined) bar.value = progress;
}
