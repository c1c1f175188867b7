// Autosave in IndexedDB: one record, the current session. Every failure (storage blocked, quota
// full) is reported to the caller as an Error and never stops training.

const DB = 'ganplay';
const STORE = 'sessions';
const KEY = 'current';

function open() {
  return new Promise((resolve, reject) => {
    let req;
    try {
      req = indexedDB.open(DB, 1);
    } catch (e) {
      reject(new Error(`storage is blocked in this browser (${e.message})`));
      return;
    }
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(`storage is unavailable (${req.error?.message ?? 'unknown error'})`));
    req.onblocked = () => reject(new Error('storage is blocked by another tab'));
  });
}

async function run(mode, fn) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req?.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('the save was aborted'));
    });
  } catch (e) {
    const full = e?.name === 'QuotaExceededError';
    throw new Error(full ? 'storage is full: autosave paused (training goes on)' : `autosave failed: ${e?.message ?? e}`);
  } finally {
    db.close();
  }
}

/** Session: { version, hash, points (Float32Array|null), model (text), charts, savedAt }. */
export const saveSession = (session) => run('readwrite', (s) => s.put(session, KEY));
export const loadSession = () => run('readonly', (s) => s.get(KEY));
export const clearSession = () => run('readwrite', (s) => s.delete(KEY));
