// The playground page: makes its rooms (www/js/playground/) and wires them together. Each room owns
// its state and its part of the page; this file only says who hears of what. The main thread only
// draws: the engine worker trains.
import { PlaygroundCall as Call, PlaygroundNote as Note } from './protocol.js';
import { PROP, editLabel } from './state.js';
import { clipMessage } from './text.js';
import { Plane, colorbar } from './views/plane.js';
import { onSchemeChange } from './views/palette.js';
import { $, message } from './playground/page.js';
import { Engine, Pacer } from './playground/engine.js';
import { Run, readLink } from './playground/run.js';
import { Transport } from './playground/transport.js';
import { Frames } from './playground/frames.js';
import { Controls } from './playground/controls.js';
import { DataPanel } from './playground/data.js';
import { DrawTool } from './playground/draw.js';
import { ExplainPanel } from './playground/explain.js';
import { SharePanel } from './playground/share.js';
import { Autosave, Recovery } from './playground/recovery.js';
import { loadSession } from './playground/storage.js';
import { Tab } from './playground/tabs.js';
import { RecentSessions } from './playground/recent.js';
import { Intro } from './playground/intro.js';
import { helpPage } from './playground/help.js';
import { LessonRunner } from './playground/lesson.js';
import { LessonList } from './playground/lesson-list.js';
import { NewRunQuestion } from './playground/question.js';
import { Diagnosis } from './playground/diagnosis.js';
import { startPage } from './language-picker.js';
import { foldSections } from './fold.js';
import { Descriptions } from './playground/describe.js';
import { t } from './i18n.js';
import { Shortcuts } from './playground/shortcuts.js';
import { Handback } from './keyboard.js';

// Texts first: the rooms below read and add to a page already in its language; the session is saved before a language switch reloads.
startPage(() => autosave.save());

const params = new URLSearchParams(location.search);
const plane = new Plane($('plane'));
colorbar($('colorbar-bar'));
// A new colour scheme repaints whatever the plane shows (the explanation's phase, the drawing, the last frame).
onSchemeChange(() => {
  colorbar($('colorbar-bar'));
  if (explain.active) explain.move(0);
  else if (draw.active) draw.redraw();
  else frames.redraw();
});

/** What the page does with each note of the engine worker. */
const NOTES = {
  [Note.FRAME]: (note) => {
    frames.push(note);
    described.push(note);
    intro.seen(note);
    diagnosis.push(note);
    autosave.touch();
  },
  [Note.WARM]: () => {
    document.body.dataset.warm = 'true';
  },
  [Note.DIVERGED]: (note) => {
    transport.setPlaying(false);
    frames.truncate(note.iteration);
    diagnosis.diverged(note.iteration);
    message(note.message, 'warn');
    document.body.dataset.diverged = String(note.iteration);
  },
  [Note.ERROR]: (note) => {
    transport.setPlaying(false);
    // A fatal error closes the worker next; the recovery names it.
    if (note.fatal) recovery.crash(note.fatal);
    else message(note.message);
  },
  [Note.PROGRESS]: (note) => frames.showProgress(note.step, note.of),
  [Note.RETUNED]: (note) => run.reached(note),
  [Note.DEVICE_LOST]: (note) => {
    // The worker closes next; the recovery then continues on the CPU from this copy.
    transport.setPlaying(false);
    recovery.lostDevice(note);
  },
};

const engine = new Engine({ onNote: (note) => NOTES[note.kind]?.(note), onLost: (reason) => recovery.recover(reason) });
const transport = new Transport({
  engine,
  uncover: () => {
    draw.end();
    explain.close();
  },
  paused: () => autosave.save(),
  stepped: () => autosave.touch(),
});
const isReady = () => transport.ready;
const run = new Run({
  engine,
  isReady,
  iteration: () => frames.iteration,
  question: new NewRunQuestion(),
  onNewRun: (state, { keepCharts, keepDrawing }) => {
    if (!keepCharts) {
      frames.resetCharts();
      diagnosis.reset();
    }
    explain.close();
    if (!keepDrawing) draw.end();
    autosave.touch();
  },
  onRefused: (e) => controls.refusedByEngine(e),
  onEdit: (at, edits) => {
    frames.mark(at, editLabel(edits), 'edit');
    autosave.touch();
  },
});
const pacer = new Pacer({ engine, isPlaying: () => transport.playing });
const frames = new Frames({ plane, covered: () => explain.active || draw.active, held: () => explain.active, state: () => run.state });
const described = new Descriptions({ covered: () => explain.active || draw.active, state: () => run.state });
const diagnosis = new Diagnosis({ frames, state: () => run.state });
const controls = new Controls({ set: (key, value) => run.set(key, value), current: () => run.state, refused: () => run.sync() });
helpPage();
foldSections(document.querySelectorAll('.controls > fieldset:not(.run)'), { open: [document.querySelector('fieldset.data')] });
const intro = new Intro({ state: () => run.state });
const trainOn = (points) => run.update((s) => ({ ...s, dataset: 'points' }), points);
const data = new DataPanel({
  pick: (name) => run.change({ dataset: name }),
  draw: () => draw.start(),
  newSeed: () => run.update((s) => ({ ...s, seed: (s.seed % (PROP.seed.max - 1)) + 1 })),
  take: (points) => {
    draw.end();
    return trainOn(points);
  },
});
const draw = new DrawTool({
  plane,
  points: () => run.points,
  before: async () => {
    await transport.pause();
    explain.close();
  },
  done: trainOn,
  ended: () => frames.redraw(),
});
const explain = new ExplainPanel({
  engine,
  plane,
  isReady,
  state: () => run.state,
  before: () => {
    draw.end();
    transport.setPlaying(false);
    intro.close(); // the explanation takes its place beside the picture
  },
  opened: () => autosave.touch(),
  closed: () => frames.redraw(),
});
const share = new SharePanel({ engine, run, iteration: () => frames.iteration });
const tab = new Tab();
const autosave = new Autosave({ engine, run, frames, isReady, tab });
const recovery = new Recovery({ engine, run, frames, transport, start, tab });
const recent = new RecentSessions({ tab, restore: (id) => restoreSession(id) });
// A lesson's panel focuses its title; closed, the focus goes back to what opened it.
const lessonFocus = new Handback($('lesson-panel'), () => $('lessons-open'));
const lesson = new LessonRunner({ run, transport, draw: () => draw.start(), opened: () => (intro.close(), lessonFocus.enter()), changed: () => autosave.touch() });
new LessonList({ restart: (id) => lesson.open(id, { step: 1, setup: true }) });
run.watch((state, points) => {
  controls.sync(state);
  data.sync(state);
  share.sync();
});

/**
 * Starts (or restarts, on a backend change) the engine with the run's state, continuing the
 * autosaved session `restore` if given (`said`: the line that says so); resolves to the iteration
 * restored, or null. A run started afresh gets its link's changes while training, unless
 * `carried` (the caller carries the run over itself).
 */
async function start(restore = null, said = undefined, { carried = false } = {}) {
  frames.hideProgress();
  transport.setEnabled(false);
  transport.setPlaying(false);
  try {
    await engine.start(run.state, run.points, () => pacer.ms);
    transport.setEnabled(true);
  } catch (e) {
    engine.showStatus(t('pg.backend.notRunning'));
    message(e.message);
    return null;
  }
  const restored = restore ? await autosave.restore(restore, said) : null;
  if (restored === null && !carried) await run.begin();
  document.body.dataset.ready = 'true';
  data.loadThumbs(engine);
  return restored;
}

$('reset').addEventListener('click', () => run.update((s) => s));
// Switching backend carries the run over: export from the old engine, import into the new one.
$('backend').addEventListener('change', () =>
  run.serial(async () => {
    const model = transport.ready ? await engine.call(Call.EXPORT).catch(() => null) : null;
    message('');
    await start(null, undefined, { carried: !!model });
    if (!model || !transport.ready) return;
    const history = { origin: run.origin, edits: run.edits };
    const at = await run.importNow(model, t('pg.source.currentRun'), { keepCharts: true, history, said: (at) => t('pg.backend.switched', { at }) });
    if (at === null) await run.begin(); // the new engine runs the settings afresh
  }),
);

new Shortcuts({
  keys: {
    ' ': () => transport.toggle(),
    ArrowRight: () => (explain.active ? explain.move(1) : transport.step(Call.STEP)),
    ArrowLeft: () => explain.move(-1),
    d: () => transport.step(Call.STEP_D),
    g: () => transport.step(Call.STEP_G),
    e: () => explain.open(),
    // Shift: a reset throws the run away, so a stray letter must not.
    'Shift+R': () => run.update((s) => s),
  },
  escape: (target) => {
    if (target.closest?.('dialog')) return; // the dialog closes itself
    if (target.closest?.('#lesson-panel')) lesson.close();
    else if (draw.active) draw.end();
    else explain.close();
  },
  // Embed mode has only the picture and the play button.
  allowed: (name) => !run.state.embed || name === ' ',
});

/**
 * "Restore" in Recent sessions: this tab continues closed session `id`. The work in this tab so far
 * is saved first and stays in the list; if the session cannot be read or run, nothing changes.
 */
function restoreSession(id) {
  return run.serial(async () => {
    await autosave.flush();
    await autosave.hold(async () => {
      const before = tab.id;
      if (!(await tab.own(id))) return message(t('pg.session.openElsewhere'));
      let session = null;
      try {
        session = await loadSession(id);
      } catch (e) {
        message(e.message);
      }
      const at = typeof session?.model === 'string' ? await autosave.restore(session) : null;
      if (at !== null) return;
      if (!session) message(t('pg.session.gone'));
      await tab.own(before);
    });
    autosave.touch();
  });
}

/**
 * The first start. A reload continues this tab's own autosave; a duplicated tab continues a copy
 * of its original's; a new tab with an empty link continues the newest closed session. Each only
 * when the link is empty or the autosave's own; otherwise the link wins. ?fresh=1: the link only.
 */
async function boot() {
  engine.backend = ['auto', 'cpu', 'webgpu'].includes(params.get('backend')) ? params.get('backend') : 'auto';
  const link = location.hash; // as opened (adopting a state rewrites it)
  const fresh = params.get('fresh') === '1';
  const own = await tab.claim({ fresh });
  let session = null;
  let said;
  try {
    if (own) session = await loadSession(tab.id);
    else if (tab.copiedFrom) {
      session = await loadSession(tab.copiedFrom);
      said = t('pg.session.copied');
    } else if (!fresh && location.hash === '') {
      const newest = await recent.newest();
      if (newest && (await tab.own(newest.id))) session = await loadSession(newest.id);
    }
  } catch (e) {
    $('saved').textContent = clipMessage(e.message);
  }
  const useSession = session && typeof session.model === 'string' && (location.hash === '' || location.hash === session.hash);
  const parsed = await readLink(useSession ? session.hash : location.hash, undefined, useSession && session.points instanceof Float32Array ? session.points : null);
  run.adopt(parsed.state, parsed.state.dataset === 'points' ? parsed.points : null, parsed.edits);
  intro.boot({ embed: run.state.embed, hash: link });
  if (parsed.notices.length && !useSession) message(parsed.notices, 'notice');
  const restored = await start(useSession ? session : null, said);
  lesson.boot(restored !== null);
  recent.refresh();
}
boot();
