// The page's stored runs, in IndexedDB: for each run a summary (what the Recent runs list
// shows), its snapshots (the run record, one entry per snapshot so a save writes only what is
// new) and its latest checkpoint (weights and all, to continue it). Nothing here knows React or
// the worker; what is read back is checked, and a run that does not pass is reported, not shown.

import type { Config } from '../core/config/fields';
import { parseConfig } from '../core/config/parse';
import { checkCheckpoint, type RunCheckpoint } from '../core/train/checkpoint';
import type { Divergence, Snapshot } from '../core/train/snapshot';
import type { RunStatus } from '../worker/protocol';
import { fromPieces, toPieces } from './checkpointPieces';

/** Bumped when what is stored changes shape: older runs are then skipped with a notice. */
export const SAVED_RUN_FORMAT = 1;
export const MAX_SAVED_RUNS = 20;

export interface SavedRunSummary {
  format: typeof SAVED_RUN_FORMAT;
  id: string;
  /** When the run was first and last stored (ms since the epoch). */
  createdAt: number;
  savedAt: number;
  config: Config;
  compare: Partial<Config> | null;
  presetId: string | null;
  backend: string;
  /** The step its checkpoint is at: where it continues. */
  step: number;
  status: RunStatus;
  divergence: Divergence | null;
  /** The newest snapshot's numbers (and the comparison run's mean rank), for the list. */
  latest: { step: number; meanRank: number; testAccuracy: number; trainLoss: number; comparisonMeanRank: number | null } | null;
}

export interface SavedRun {
  summary: SavedRunSummary;
  snapshots: Snapshot[];
  comparison: Snapshot[];
  checkpoint: RunCheckpoint;
}

/** Which run a stored snapshot belongs to. */
const MAIN = 0, COMPARISON = 1;
type Which = typeof MAIN | typeof COMPARISON;

const DB_NAME = 'ranklab';
const DB_VERSION = 1;
const SUMMARIES = 'summaries', SNAPSHOTS = 'snapshots', CHECKPOINTS = 'checkpoints';

const request = <T>(r: IDBRequest<T>) => new Promise<T>((resolve, reject) => {
  r.onsuccess = () => resolve(r.result);
  r.onerror = () => reject(r.error);
});
const done = (t: IDBTransaction) => new Promise<void>((resolve, reject) => {
  t.oncomplete = () => resolve();
  t.onerror = () => reject(t.error);
  t.onabort = () => reject(t.error ?? new Error('the storage transaction was aborted'));
});

/** Main-thread time one batch of writes may take. */
const WRITE_SLICE_MS = 4;

/**
 * Issue `writes` in order, a few ms of them per task: each batch is issued from the success
 * event of the previous batch's last request, where the transaction is still open, so a save
 * stays one transaction (all or nothing). A put serialises its value on the page's main thread:
 * a save of the snapshots measured over 2 s with a checkpoint, issued in one go, was a task of
 * 35-60 ms while training (a Chromium trace), the page's longest.
 */
export function writeInSlices(writes: readonly (() => IDBRequest)[], sliceMs = WRITE_SLICE_MS): void {
  let next = 0;
  const slice = () => {
    const until = performance.now() + sliceMs;
    let last: IDBRequest | null = null;
    while (next < writes.length && (last === null || performance.now() < until)) last = writes[next++]();
    if (last && next < writes.length) last.onsuccess = slice;
  };
  slice();
}

/** The keys of a run's checkpoint pieces: [id, k] (its shell is under id). */
const pieceKeys = (id: string) => IDBKeyRange.bound([id, 0], [id, Infinity]);

/** Every snapshot key of one run (or of one of its two series): [id, which, step]. */
const runKeys = (id: string, which?: Which) => IDBKeyRange.bound([id, which ?? MAIN, -Infinity], [id, which ?? COMPARISON, Infinity]);

/** True when a failed write was the browser's storage quota. */
export const isQuotaError = (err: unknown) => err instanceof DOMException && (err.name === 'QuotaExceededError' || err.name === 'NS_ERROR_DOM_QUOTA_REACHED');

/** A run stored by another version of RankLab: not shown, and not deleted (that version may still read it). */
export class OtherFormat extends Error {}

function checkSummary(value: unknown): SavedRunSummary {
  const s = value as Partial<SavedRunSummary> | null;
  if (!s || typeof s !== 'object' || typeof s.id !== 'string') throw new Error('its summary is damaged');
  if (s.format !== SAVED_RUN_FORMAT) throw new OtherFormat(`it was stored by another version of RankLab (format ${String(s.format)})`);
  if (typeof s.savedAt !== 'number' || typeof s.createdAt !== 'number' || !Number.isSafeInteger(s.step)) throw new Error('its summary is damaged');
  const { problems } = parseConfig(s.config);
  if (problems.length) throw new Error(`its settings are not valid: ${problems[0].message}`);
  if (s.compare !== null && (typeof s.compare !== 'object' || parseConfig({ ...s.config, ...s.compare }).problems.length)) throw new Error('its comparison settings are not valid');
  return s as SavedRunSummary;
}

function checkSnapshot(value: unknown): Snapshot {
  const s = value as Partial<Snapshot> | null;
  const numbers = (v: unknown) => (Array.isArray(v) || ArrayBuffer.isView(v)) && Array.from(v as ArrayLike<unknown>).every((x) => typeof x === 'number');
  if (!s || typeof s !== 'object' || !Number.isSafeInteger(s.step) || typeof s.meanRank !== 'number' || !Array.isArray(s.layers) ||
    !s.layers.every((l) => l && typeof l.name === 'string' && typeof l.rank === 'number' && numbers(l.singularValues))) {
    throw new Error('a snapshot is damaged');
  }
  return s as Snapshot;
}

export class RunStore {
  private constructor(private readonly db: IDBDatabase) {}

  /** The store, or null where the page has no IndexedDB (a private window in some browsers, file://). */
  static async open(): Promise<RunStore | null> {
    if (typeof indexedDB === 'undefined') return null;
    const opening = indexedDB.open(DB_NAME, DB_VERSION);
    opening.onupgradeneeded = () => {
      const db = opening.result;
      if (!db.objectStoreNames.contains(SUMMARIES)) db.createObjectStore(SUMMARIES, { keyPath: 'id' });
      if (!db.objectStoreNames.contains(SNAPSHOTS)) db.createObjectStore(SNAPSHOTS);
      if (!db.objectStoreNames.contains(CHECKPOINTS)) db.createObjectStore(CHECKPOINTS);
    };
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
      // A tab of another version holding the database open would otherwise keep this one waiting for ever.
      opening.onblocked = () => reject(new Error('another RankLab tab holds the stored runs open'));
    });
    db.onversionchange = () => db.close(); // and this tab never blocks a newer one
    return new RunStore(db);
  }

  /** The stored runs, newest first; those that are damaged (with why); how many another version stored. */
  async list(): Promise<{ runs: SavedRunSummary[]; unreadable: { id: string; reason: string }[]; otherFormat: number }> {
    const all = await request(this.db.transaction(SUMMARIES).objectStore(SUMMARIES).getAll());
    const runs: SavedRunSummary[] = [], unreadable: { id: string; reason: string }[] = [];
    let otherFormat = 0;
    for (const value of all) {
      try {
        runs.push(checkSummary(value));
      } catch (err) {
        if (err instanceof OtherFormat) otherFormat++;
        else unreadable.push({ id: String((value as { id?: unknown })?.id ?? '?'), reason: (err as Error).message });
      }
    }
    runs.sort((a, b) => b.savedAt - a.savedAt);
    return { runs, unreadable, otherFormat };
  }

  /** One run in full, checked; throws with what is wrong. */
  async load(id: string): Promise<SavedRun> {
    const t = this.db.transaction([SUMMARIES, SNAPSHOTS, CHECKPOINTS]);
    const [summary, snapshots, keys, shell, pieces] = await Promise.all([
      request(t.objectStore(SUMMARIES).get(id)),
      request(t.objectStore(SNAPSHOTS).getAll(runKeys(id))),
      request(t.objectStore(SNAPSHOTS).getAllKeys(runKeys(id))) as Promise<[string, Which, number][]>,
      request(t.objectStore(CHECKPOINTS).get(id)),
      request(t.objectStore(CHECKPOINTS).getAll(pieceKeys(id))),
    ]);
    const checked = checkSummary(summary);
    const all = snapshots.map(checkSnapshot);
    return {
      summary: checked,
      snapshots: all.filter((_, i) => keys[i][1] === MAIN),
      comparison: all.filter((_, i) => keys[i][1] === COMPARISON),
      checkpoint: checkCheckpoint(fromPieces(shell, pieces)),
    };
  }

  /**
   * Store a run: its summary, its checkpoint (null: the one stored is still its newest), and its
   * record as `snapshots` (and `comparison`) hold it now. `stored` are the steps already stored
   * per series, from the previous save: only the difference is written (new snapshots added,
   * thinned or replaced ones deleted). Returns the steps stored now. One transaction: a failed
   * save leaves the previous one whole.
   */
  async save(summary: SavedRunSummary, checkpoint: RunCheckpoint | null, record: { main: readonly Snapshot[]; comparison: readonly Snapshot[] }, stored: { main: Set<number>; comparison: Set<number> }):
    Promise<{ main: Set<number>; comparison: Set<number> }> {
    const t = this.db.transaction([SUMMARIES, SNAPSHOTS, CHECKPOINTS], 'readwrite');
    const snapshots = t.objectStore(SNAPSHOTS), checkpoints = t.objectStore(CHECKPOINTS);
    const now = { main: new Set<number>(), comparison: new Set<number>() };
    const writes: (() => IDBRequest)[] = [];
    for (const [which, list, before, after] of [[MAIN, record.main, stored.main, now.main], [COMPARISON, record.comparison, stored.comparison, now.comparison]] as const) {
      const last = list.at(-1)?.step ?? -Infinity;
      for (const s of list) {
        after.add(s.step);
        // A snapshot at or before the newest one stored may replace it (a re-measured step): always rewritten.
        if (!before.has(s.step) || s.step === last) writes.push(() => snapshots.put(s, [summary.id, which, s.step]));
      }
      for (const step of before) if (!after.has(step)) writes.push(() => snapshots.delete([summary.id, which, step]));
    }
    writes.push(() => t.objectStore(SUMMARIES).put(summary));
    if (checkpoint) {
      const pieces = toPieces(checkpoint);
      writes.push(() => checkpoints.delete(pieceKeys(summary.id)), () => checkpoints.put(pieces.shell, summary.id));
      for (let k = 0; k < pieces.count; k++) writes.push(() => checkpoints.put(pieces.piece(k), [summary.id, k]));
    }
    writeInSlices(writes);
    await done(t);
    return now;
  }

  /** Forget a run entirely. */
  async remove(id: string): Promise<void> {
    const t = this.db.transaction([SUMMARIES, SNAPSHOTS, CHECKPOINTS], 'readwrite');
    t.objectStore(SUMMARIES).delete(id);
    t.objectStore(SNAPSHOTS).delete(runKeys(id));
    t.objectStore(CHECKPOINTS).delete(id);
    t.objectStore(CHECKPOINTS).delete(pieceKeys(id));
    await done(t);
  }

  /** Keep the newest MAX_SAVED_RUNS (never `keep`, the run on screen); returns how many were removed. */
  async prune(keep: string | null): Promise<number> {
    const { runs } = await this.list();
    const extra = runs.filter((r) => r.id !== keep).slice(MAX_SAVED_RUNS - (keep ? 1 : 0));
    for (const r of extra) await this.remove(r.id);
    return extra.length;
  }
}
