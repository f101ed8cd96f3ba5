// Keeps the run on screen in the page's RunStore (savedRuns.ts) as it trains, so a reload or
// a closed tab loses at most a few seconds of it: the worker's checkpoints (after the first chunk,
// then every 4 s or after every step of half a second or more, and whenever the run stops) and the run record, written together at most every SAVE_MS. A run
// is stored from its first checkpoint on; a reset starts a new stored run. Storage that fails
// (quota full, no IndexedDB) is said once and never stops training.

import type { Config } from '../core/config/fields';
import { configToQuery } from '../core/config';
import type { RunCheckpoint } from '../core/train/checkpoint';
import { isQuotaError, RunStore, SAVED_RUN_FORMAT, type SavedRun, type SavedRunSummary } from './savedRuns';
import { lab } from './store';
import type { Snapshot } from '../core/train/snapshot';

/** Writes to IndexedDB at most this often while a run trains. */
const SAVE_MS = 2000;

interface KeptRun {
  id: string;
  createdAt: number;
  checkpoint: RunCheckpoint | null;
  /** The checkpoint stored last (a save writes the checkpoint only when a newer one came). */
  storedCheckpoint: RunCheckpoint | null;
  /** Steps of the snapshots stored so far, per series (so a save writes only the difference). */
  stored: { main: Set<number>; comparison: Set<number> };
}

let opening: Promise<RunStore | null> | null = null;
let kept: KeptRun | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
let saving: Promise<void> = Promise.resolve();
let lastSave = -Infinity;

/** The page's store, opened once; null where there is none (then nothing is kept, and the page says so once). */
export function runStore(): Promise<RunStore | null> {
  opening ??= RunStore.open().catch((err) => {
    lab.notify('storage', `Runs cannot be kept in this browser (${(err as Error).message ?? err}): a reload starts afresh.`);
    return null;
  });
  return opening;
}

const newId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** The worker's newest checkpoint of the run on screen: stored soon. */
export function keepCheckpoint(checkpoint: RunCheckpoint): void {
  kept ??= { id: newId(), createdAt: Date.now(), checkpoint: null, storedCheckpoint: null, stored: { main: new Set(), comparison: new Set() } };
  kept.checkpoint = checkpoint;
  saveSoon();
}

/** The run's record or status changed (a snapshot, a divergence, the end): stored soon, once it has a checkpoint. */
export function recordChanged(): void {
  if (kept?.checkpoint) saveSoon();
}

/** A new run on screen: the next checkpoint starts a new stored run (the old one stays in Recent runs). */
export function forgetRun(): void {
  if (timer) clearTimeout(timer);
  timer = null;
  kept = null;
}

/** The run on screen is a stored one (reopened): later saves go on writing to it. */
export function adoptRun(saved: SavedRun): void {
  forgetRun();
  kept = {
    id: saved.summary.id, createdAt: saved.summary.createdAt, checkpoint: saved.checkpoint, storedCheckpoint: saved.checkpoint,
    stored: { main: new Set(saved.snapshots.map((s) => s.step)), comparison: new Set(saved.comparison.map((s) => s.step)) },
  };
}

/** The id of the stored run on screen, if it is stored. */
export const keptRunId = () => kept?.id ?? null;

function saveSoon(): void {
  if (timer) return;
  timer = setTimeout(() => { timer = null; void saveNow(); }, Math.max(0, lastSave + SAVE_MS - performance.now()));
}

/** Store the run on screen now (also when the page is being closed). */
export function saveNow(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  const run = kept;
  if (!run?.checkpoint) return saving;
  lastSave = performance.now();
  // What to store is taken now: a save queued behind a slow one must not write what is on
  // screen by then (another run, after a reset) under this run's id.
  const write = whatToStore(run, run.checkpoint);
  saving = saving.then(() => save(run, write));
  return saving;
}

interface Write {
  summary: SavedRunSummary;
  /** The checkpoint to store, or null when the one stored is the newest. */
  checkpoint: RunCheckpoint | null;
  record: { main: Snapshot[]; comparison: Snapshot[] };
}

function whatToStore(run: KeptRun, checkpoint: RunCheckpoint): Write {
  const record = lab.recorded();
  // Snapshots past the checkpoint describe steps a restored run trains again: not kept with it.
  const upTo = (list: readonly Snapshot[]) => list.filter((s) => s.step <= checkpoint.main.step);
  // The reference run (a stored run drawn as the comparison) is not this run's: only a lockstep comparison is kept.
  const stored = { main: upTo(record.main), comparison: lab.get().compare ? upTo(record.comparison) : [] };
  return { summary: summaryOf(run, checkpoint, stored), checkpoint: checkpoint === run.storedCheckpoint ? null : checkpoint, record: stored };
}

/** What the Recent runs list says about the run on screen. */
function summaryOf(run: KeptRun, checkpoint: RunCheckpoint, record: Write['record']): SavedRunSummary {
  const { config, compare, presetId, backend, status } = lab.get();
  const last = record.main.at(-1);
  return {
    format: SAVED_RUN_FORMAT, id: run.id, createdAt: run.createdAt, savedAt: Date.now(),
    config, compare, presetId, backend: backend?.name ?? 'unknown', step: checkpoint.main.step, status, divergence: lab.recorded().divergence,
    latest: last ? { step: last.step, meanRank: last.meanRank, testAccuracy: last.testAccuracy, trainLoss: last.trainLoss, comparisonMeanRank: record.comparison.at(-1)?.meanRank ?? null } : null,
  };
}

async function save(run: KeptRun, write: Write): Promise<void> {
  const store = await runStore();
  if (!store) return;
  const isNew = run.stored.main.size === 0;
  try {
    run.stored = await store.save(write.summary, write.checkpoint, write.record, run.stored);
    if (write.checkpoint) run.storedCheckpoint = write.checkpoint;
    lab.clearNotices('storage');
  } catch (err) {
    lab.notify('storage', isQuotaError(err)
      ? 'The browser\'s storage is full: this run is no longer being kept for the next visit (it goes on training). Delete runs under Recent runs to make room.'
      : `This run could not be stored (${(err as Error).message ?? err}); it goes on training.`);
    return;
  }
  if (isNew) await store.prune(run.id).catch((err) => console.warn(`old runs were not pruned: ${(err as Error).message}`));
}

/** Settings as one comparable string: the link's query and the comparison's overrides. */
export const runIdentity = (config: Config, compare: Partial<Config> | null) =>
  `${configToQuery(config)}|${JSON.stringify(Object.entries(compare ?? {}).sort(([a], [b]) => a.localeCompare(b)))}`;

/**
 * A stored run to continue: the newest one stored with exactly these settings (a reload of the
 * page, or the same link opened again), read in full. Runs that cannot be read are reported
 * and removed; null when there is none.
 */
export async function findResumable(config: Config, compare: Partial<Config> | null): Promise<SavedRun | null> {
  const store = await runStore();
  if (!store) return null;
  const { runs, unreadable, otherFormat } = await store.list();
  const wanted = runIdentity(config, compare);
  const match = runs.find((r) => runIdentity(r.config, r.compare) === wanted);
  const broken = [...unreadable];
  let found: SavedRun | null = null;
  if (match) {
    try {
      found = await store.load(match.id);
    } catch (err) {
      broken.push({ id: match.id, reason: (err as Error).message });
    }
  }
  await reportUnreadable(store, broken, otherFormat);
  return found;
}

/**
 * Stored runs that cannot be read: damaged ones removed, another version's left for it (not
 * shown here), and both said in a notice (never a blank page).
 */
export async function reportUnreadable(store: RunStore, broken: { id: string; reason: string }[], otherFormat = 0): Promise<void> {
  const said: string[] = [];
  if (broken.length) {
    let removed = 0;
    for (const b of broken) await store.remove(b.id).then(() => removed++, () => {});
    const n = broken.length === 1 ? 'A stored run' : `${broken.length} stored runs`;
    said.push(`${n} could not be read (${broken[0].reason}${broken.length > 1 ? ', ...' : ''})${removed === broken.length ? ` and ${broken.length === 1 ? 'was' : 'were'} removed` : ''}.`);
  }
  if (otherFormat) said.push(`${otherFormat === 1 ? 'One stored run was' : `${otherFormat} stored runs were`} kept by another version of RankLab and ${otherFormat === 1 ? 'is' : 'are'} not shown here.`);
  if (said.length) lab.notify('stored-runs', said.join(' '));
}
