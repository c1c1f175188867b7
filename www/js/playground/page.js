// What every room of the playground shares: finding an element, and the message line under the
// readouts (errors, warnings and notices, each line its own paragraph, always as text).

export const $ = (id) => document.getElementById(id);

/** Shows `text` (a line or a list of lines; empty ones dropped) as an 'error', 'warn' or 'notice'. */
export function message(text, kind = 'error') {
  const el = $('message');
  el.textContent = '';
  el.className = kind;
  for (const line of [text].flat().filter(Boolean)) {
    const p = document.createElement('p');
    p.textContent = line;
    el.append(p);
  }
}
