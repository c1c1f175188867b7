// Autosave in IndexedDB: one record per tab session, and a small index of them. Every failure
// (storage blocked, quota full) is reported to the caller as an Error and never stops training.
//
// Database "ganplay", version 2:
//   sessions  session id → { version, hash, points (Float32Array|null), model (text), charts, savedAt }
//   index     session id → { id, savedAt, iteration, dataset, objective, bytes }
// A tab writes only its own session's two records, in one transaction, so the index and the
// sessions agree. Version 1 had one record, "current", shared by every tab: the upgrade keeps it
// as a session of its own (a closed one, listed under "Recent sessions").
import { t } from '../i18n.js';

const DB = 'ganplay';
const VERSION = 2;
const SESSIONS = 'sessions';
const INDEX = 'index';
const LEGACY = 'current';

/** The iteration a model file (the engine's export) is at: its "iteration" field, which comes right after the small config. */
export const iterationOf = (model) => Number(/"iteration":(\d+)/.exec(String(model).slice(0, 4096))?.[1] ?? 0);

/** The index row of a version-1 record: what can be read from its link and the head of its model file. */
function legacySummary(id, session) {
  const hash = new URLSearchParams(String(session.hash ?? '').replace(/^#/, ''));
  return { id, savedAt: Number(session.savedAt) || 0, iteration: iterationOf(session.model), dataset: hash.get('dataset') ?? 'ring', objective: hash.get('objective') ?? 'non_saturating', bytes: sizeOf(session) };
}

/** About how many bytes a session takes in storage. */
export function sizeOf(session) {
  return (session.model?.length ?? 0) + (session.points?.byteLength ?? 0) + JSON.stringify(session.charts ?? null).length + (session.hash?.length ?? 0);
}

function upgrade(req, oldVersion) {
  const db = req.result;
  if (!db.objectStoreNames.contains(SESSIONS)) db.createObjectStore(SESSIONS);
  if (!db.objectStoreNames.contains(INDEX)) db.createObjectStore(INDEX);
  if (oldVersion !== 1) return;
  const sessions = req.transaction.objectStore(SESSIONS);
  const index = req.transaction.objectStore(INDEX);
  sessions.get(LEGACY).onsuccess = (ev) => {
    const old = ev.target.result;
    if (old && typeof old.model === 'string') {
      const id = `s-before-${Number(old.savedAt) || 0}`;
      sessions.put(old, id);
      index.put(legacySummary(id, old), id);
    }
    sessions.delete(LEGACY);
  };
}

function open() {
  return new Promise((resolve, reject) => {
    let req;
    try {
      req = indexedDB.open(DB, VERSION);
    } catch (e) {
      reject(new Error(t('pg.storage.blocked', { error: e.message })));
      return;
    }
    req.onupgradeneeded = (ev) => upgrade(req, ev.oldVersion);
    req.onsuccess = () => {
      // Another tab's upgrade must not wait for this one: every use closes its connection anyway.
      req.result.onversionchange = () => req.result.close();
      resolve(req.result);
    };
    req.onerror = () => reject(new Error(t('pg.storage.unavailable', { error: req.error?.message ?? t('pg.storage.unknown') })));
    // onblocked: another tab holds the old version open for a moment; the upgrade goes on after it.
  });
}

async function run(stores, mode, fn) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(stores, mode);
      const req = fn(...stores.map((s) => tx.objectStore(s)));
      tx.oncomplete = () => resolve(req?.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error(t('pg.storage.aborted')));
    });
  } catch (e) {
    const full = e?.name === 'QuotaExceededError';
    throw new Error(full ? t('pg.storage.full') : t('pg.storage.failed', { error: e?.message ?? e }));
  } finally {
    db.close();
  }
}

/** Saves session `id` and its index row ({ iteration, dataset, objective }; savedAt and bytes are added). */
export const saveSession = (id, session, summary) =>
  run([SESSIONS, INDEX], 'readwrite', (sessions, index) => {
    sessions.put(session, id);
    index.put({ ...summary, id, savedAt: session.savedAt, bytes: sizeOf(session) }, id);
  });

/** Session `id`, or undefined. */
export const loadSession = (id) => run([SESSIONS], 'readonly', (s) => s.get(id));

/** Every session's index row, the newest first. */
export const listSessions = async () => ((await run([INDEX], 'readonly', (i) => i.getAll())) ?? []).sort((a, b) => b.savedAt - a.savedAt);

/** Deletes sessions and their index rows. */
export const deleteSessions = (ids) =>
  run([SESSIONS, INDEX], 'readwrite', (sessions, index) => {
    for (const id of ids) {
      sessions.delete(id);
      index.delete(id);
    }
  });
