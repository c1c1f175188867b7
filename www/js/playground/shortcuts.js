// The playground's single-key shortcuts (Space plays, → steps, …). They act only when the focus is
// on no control (a focused control takes its own keys), and a checkbox in the header switches them
// off (remembered in this browser), for people whose speech input or tremor types stray letters.
// Escape is no shortcut: it always closes what is open.
import { takesKeys } from '../keyboard.js';
import { $ } from './page.js';

/** localStorage key: 'off' once the shortcuts were switched off. */
const STORE_KEY = 'ganplay.shortcuts';

function remembered() {
  try {
    return localStorage.getItem(STORE_KEY) !== 'off';
  } catch {
    return true; // storage blocked: on, and switched off for this visit only
  }
}

/** A key press's name in the table: 'r', 'Shift+R', 'ArrowRight', ' ' (Caps Lock alone changes nothing). */
function keyName(ev) {
  const char = ev.key.length === 1;
  const key = char ? ev.key.toLowerCase() : ev.key;
  return ev.shiftKey ? `Shift+${char ? key.toUpperCase() : key}` : key;
}

export class Shortcuts {
  /**
   * `keys`: { name: action } (names as keyName writes them); `escape(target)`: closes what is open;
   * `allowed(name)`: whether the page takes this key now (embed mode: only Space).
   */
  constructor({ keys, escape, allowed = () => true }) {
    Object.assign(this, { keys, escape, allowed });
    const box = $('shortcuts');
    box.checked = this.on = remembered();
    this.show();
    box.addEventListener('change', () => {
      this.on = box.checked;
      try {
        localStorage.setItem(STORE_KEY, this.on ? 'on' : 'off');
      } catch {
        // Not remembered where storage is blocked; this page still follows the box.
      }
      this.show();
    });
    window.addEventListener('keydown', (ev) => this.press(ev));
  }

  /** The keys line says whether its keys work. */
  show() {
    document.querySelector('header .keys')?.classList.toggle('off', !this.on);
  }

  press(ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.defaultPrevented) return;
    if (ev.key === 'Escape') return this.escape(ev.target);
    const name = keyName(ev);
    const f = this.keys[name];
    if (!f || !this.on || takesKeys(ev.target) || !this.allowed(name)) return;
    ev.preventDefault();
    f();
  }
}
