// Which session this tab is. Every tab has its own session id, kept in sessionStorage: a reload
// keeps it, and another tab has its own, so two tabs never write the same autosave. A tab holds a
// Web Lock named after its id for as long as it is open; that tells a duplicated tab (which copies
// sessionStorage) to take a new id, and tells every tab which saved sessions are closed.
// Without Web Locks (a page served over plain http from another machine), a BroadcastChannel asks
// the other tabs instead.

const KEY = 'ganplay-session';
const LOCK = 'ganplay-session-'; // not shown
const CHANNEL = 'ganplay-sessions';
/** How long a tab waits for its id's lock before it takes a new id: a reload's old page lets go within this. */
const CLAIM_MS = 3000;
/** How often a tab looks again whether its id's lock is free. */
const POLL_MS = 50;
/** How long a tab without Web Locks waits for the other tabs to answer. */
const ASK_MS = 300;

const locks = () => globalThis.navigator?.locks ?? null;

function newId() {
  const rand = globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2);
  return `s-${Date.now().toString(36)}-${rand.slice(0, 8)}`;
}

function stored() {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null; // storage blocked: every load is a new session
  }
}

function store(id) {
  try {
    sessionStorage.setItem(KEY, id);
  } catch {}
}

/**
 * Takes the lock of session `id` if it is free: resolves to a function that lets it go, or null
 * when another tab has it. (Never a waiting request: Chromium sometimes drops the abort of one made
 * while the page loads, and the request then waits for ever.)
 */
function hold(id) {
  return new Promise((resolve) => {
    locks()
      .request(LOCK + id, { ifAvailable: true }, (lock) => {
        if (!lock) return resolve(null);
        return new Promise((release) => resolve(() => release()));
      })
      .catch(() => resolve(null));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Tab {
  /**
   * Claims this tab's session: its own id after a reload; a new one for a new tab, for `fresh`
   * (?fresh=1), and for a duplicated tab. Resolves to whether it is the tab's own id again.
   * `copiedFrom` is then the id a duplicated tab came from (its saved work is where the copy
   * starts), else null.
   */
  async claim({ fresh = false } = {}) {
    const previous = fresh ? null : stored();
    if (previous && (await this.own(previous, CLAIM_MS))) return true;
    await this.own(newId(), 0, { isNew: true });
    this.copiedFrom = previous;
    return false;
  }

  constructor() {
    this.id = null;
    this.release = null;
    this.copiedFrom = null;
    this.channel = globalThis.BroadcastChannel ? new BroadcastChannel(CHANNEL) : null;
    /** Called when another tab opens or closes a session (the list of closed ones changes). */
    this.onChange = () => {};
    this.channel?.addEventListener('message', ({ data }) => {
      // Answers for the tabs without Web Locks, and for a duplicate waiting on this tab's lock.
      if (data?.ask === this.id || data?.roll) this.channel.postMessage({ open: this.id });
      if (typeof data?.closed === 'string' || typeof data?.opened === 'string') this.onChange();
    });
    globalThis.addEventListener?.('pagehide', () => this.channel?.postMessage({ closed: this.id }));
  }

  /**
   * Makes `id` this tab's session if no other open tab has it, waiting up to `waitMs` for it;
   * resolves to whether it did. The tab's previous session is then closed.
   */
  async own(id, waitMs = 0, { isNew = false } = {}) {
    let release = () => {};
    if (locks()) {
      // A tab that has it says so at once, so a duplicated tab does not wait the whole `waitMs`;
      // a reload's old page lets go of it within moments, and does not answer.
      let taken = false;
      const heard = ({ data }) => (taken ||= data?.open === id);
      this.channel?.addEventListener('message', heard);
      if (waitMs > 0) this.channel?.postMessage({ ask: id });
      const end = performance.now() + waitMs;
      while (!(release = await hold(id)) && !taken && performance.now() < end) await sleep(POLL_MS);
      this.channel?.removeEventListener('message', heard);
      if (!release) return false;
    } else if (!isNew && (await this.openIds()).has(id)) return false;
    this.release?.();
    this.release = release;
    this.id = id;
    store(id);
    this.channel?.postMessage({ opened: id });
    return true;
  }

  /** The ids of the sessions open in some tab (this one included). */
  async openIds() {
    if (locks()) {
      const { held = [], pending = [] } = await locks().query();
      // A pending claim is a tab being reloaded: its session is not closed either.
      return new Set([...held, ...pending].map((l) => l.name).filter((n) => n?.startsWith(LOCK)).map((n) => n.slice(LOCK.length)));
    }
    const ids = new Set(this.id ? [this.id] : []);
    if (!this.channel) return ids;
    const heard = ({ data }) => typeof data?.open === 'string' && ids.add(data.open);
    this.channel.addEventListener('message', heard);
    this.channel.postMessage({ roll: true });
    await new Promise((r) => setTimeout(r, ASK_MS));
    this.channel.removeEventListener('message', heard);
    return ids;
  }
}
