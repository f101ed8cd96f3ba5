// The page's state, in one zustand store. The UI reads it and calls actions; the
// controller (controller.ts) feeds it the worker's events. No tfjs here.

import { create } from 'zustand';
import { type Config } from '../core/config/fields';
import type { Divergence, Snapshot } from '../core/train/snapshot';
import type { BackendChoice, BackendInfo, RunStatus } from '../worker/protocol';
import { historyPoint, type HistoryPoint } from './history';
import { meanRank, rankEps } from '../core/spectra/rank';
import type { TimeAxis } from '../core/config/link';
import { beginDrawing } from './drawing';
import type { SweepLink } from '../core/sweep/link';

export type NoticeKind = 'link' | 'reset' | 'diverged' | 'collapse' | 'crash' | 'error' | 'info' | 'storage' | 'stored-runs' | 'restored' | 'slow';

export interface Notice {
  id: number;
  kind: NoticeKind;
  text: string;
}

/** The run and its comparison taken at one moment: a chart never draws the two at different steps. */
export interface RunCut {
  history: HistoryPoint[];
  /** The comparison run's history (empty without one). */
  comparison: HistoryPoint[];
}

/**
 * What each panel shows: one moment of the run, handed to the panels one after the other (so no
 * single frame redraws every chart), each part whole: main and comparison from the same moment.
 */
export interface ChartData {
  /** The spectrum chart, the numbers and the mechanism panel. */
  spectrum: Snapshot | null;
  /** The run's step-0 snapshot and the comparison run's latest, drawn behind the spectrum. */
  spectrumInitial: Snapshot | null;
  spectrumComparison: Snapshot | null;
  /** The comparison's history at the spectrum's moment (the numbers' dashed-run figures). */
  comparison: HistoryPoint[];
  rank: RunCut;
  training: RunCut;
}

export interface LabState {
  /** What the controls show, always a valid Config. */
  config: Config;
  backendChoice: BackendChoice;
  /** A second run in lockstep: overrides of `config` (null for a single run). */
  compare: Partial<Config> | null;
  /** The demo the current settings came from, for its caption. */
  presetId: string | null;
  status: RunStatus;
  backend: BackendInfo | null;
  /** Live counters, updated between snapshots. */
  step: number;
  epoch: number;
  stepsPerSecond: number;
  /** The newest measurement received, with every layer's full spectrum (the kept run's record; the screen shows chart.spectrum). */
  latest: Snapshot | null;
  history: HistoryPoint[];
  comparisonHistory: HistoryPoint[];
  /** Steps between measurements now in force (the worker widens config.snapshotEvery to keep measuring within its budget). */
  measuredEvery: number | null;
  /**
   * What the screen shows, every panel alike (the charts, the numbers, the mechanism panel): the
   * same as latest/history, but refreshed at most every CHART_REFRESH_MS while training, because
   * one chart render costs far more than a snapshot. So no two panels show different snapshots
   * (the charts take their turns within 2 x CHART_STAGGER_MS).
   */
  chart: ChartData;
  timeAxis: TimeAxis;
  selectedLayer: string;
  notices: Notice[];
  /** Settings to go back to after a divergence. */
  lastGoodConfig: Config | null;
  /** Which view is open (the lab or its sweeps) and the sweep's definition: both are in the link. */
  sweep: SweepLink;
  /** The keyboard shortcuts' overlay is open (this page only, not in the link). */
  helpOpen: boolean;
  /** Presentation mode: charts filling the screen, a strip of controls (in the link as present=1). */
  presenting: boolean;
  /**
   * A stored run drawn as the dashed comparison (Recent runs, "Compare"), when the run has no
   * lockstep comparison of its own: its snapshots stand in for the comparison's, and stay across resets.
   */
  reference: { id: string; config: Config } | null;
  /** The Recent runs list is open. */
  recentOpen: boolean;
}

let nextNoticeId = 1;

/**
 * Every snapshot of the current run in full, singular values and all, for "Download run". Kept out
 * of the reactive state: no component draws it, and the charts keep small points of their own.
 */
const record = { main: [] as Snapshot[], comparison: [] as Snapshot[], divergence: null as Divergence | null };
/** The reference run's snapshots (see LabState.reference), as stored. */
let referenceSnapshots: Snapshot[] = [];

/**
 * Snapshots kept in full per run: a 2000-step run has a few dozen, but a million-step one tens of
 * thousands, each with every singular value. Past this many, every other one is dropped (the
 * first and the newest stay), so a long run keeps an evenly spaced record in bounded memory.
 */
export const MAX_RECORDED_SNAPSHOTS = 2000;

function thinned(list: Snapshot[]): Snapshot[] {
  if (list.length <= MAX_RECORDED_SNAPSHOTS) return list;
  return list.filter((_, i) => i % 2 === 0 || i === list.length - 1);
}

/** What the spectrum chart draws behind the latest spectrum: step 0 of this run, and the comparison run's latest. */
function spectrumOverlays(): Pick<ChartData, 'spectrumInitial' | 'spectrumComparison'> {
  const first = record.main[0];
  return { spectrumInitial: first && first.step === 0 ? first : null, spectrumComparison: record.comparison.at(-1) ?? null };
}

/** The rank thresholds on screen: the run's, and the comparison run's (its own if it overrides eps). */
function thresholds(): { eps: number; comparisonEps: number } {
  const { config, compare } = useLab.getState();
  return { eps: config.eps, comparisonEps: compare?.eps ?? config.eps };
}

/** The snapshot with every layer's rank (and the mean) counted at `eps`. */
function recount(s: Snapshot, eps: number): Snapshot {
  const layers = s.layers.map((l) => ({ ...l, rank: rankEps(l.singularValues, eps) }));
  return { ...s, layers, meanRank: meanRank(layers) };
}

/** A snapshot at a step already seen replaces it and what came after (Step after a paused snapshot, re-measure). */
function appendAtStep<T extends { step: number }>(list: readonly T[], item: T): T[] {
  return [...(list.length && list[list.length - 1].step >= item.step ? list.filter((q) => q.step < item.step) : list), item];
}

export const CHART_REFRESH_MS = 1000;
const CHART_STAGGER_MS = 150;
let lastChartRefresh = 0;
let pendingChartRefresh: ReturnType<typeof setTimeout> | null = null;
/** Counts refreshes: a chart's turn from an earlier one (a reset came in between) is dropped, not drawn. */
let chartGeneration = 0;

/** Copy latest/history to the charts now, or once the refresh interval has passed (leading and trailing). */
function refreshCharts(immediately = false) {
  const now = performance.now();
  const apply = () => {
    pendingChartRefresh = null;
    lastChartRefresh = performance.now();
    const generation = ++chartGeneration;
    const { latest, history, comparisonHistory } = useLab.getState();
    const cut: RunCut = { history, comparison: comparisonHistory };
    const first = { spectrum: latest, ...spectrumOverlays(), comparison: comparisonHistory };
    if (immediately) {
      if (useLab.getState().sweep.view === 'lab') beginDrawing();
      useLab.setState({ chart: { ...first, rank: cut, training: cut } });
      return;
    }
    // Staggered: each chart's render gets a frame of its own, all of them the same moment of the run.
    const set = (part: Partial<ChartData>) => {
      if (generation !== chartGeneration) return;
      if (useLab.getState().sweep.view === 'lab') beginDrawing(); // the Sweeps view shows no chart to wait for
      useLab.setState({ chart: { ...useLab.getState().chart, ...part } });
    };
    set(first);
    setTimeout(() => set({ rank: cut }), CHART_STAGGER_MS);
    setTimeout(() => set({ training: cut }), 2 * CHART_STAGGER_MS);
  };
  if (immediately || now - lastChartRefresh >= CHART_REFRESH_MS) {
    if (pendingChartRefresh) clearTimeout(pendingChartRefresh);
    apply();
  } else if (!pendingChartRefresh) {
    pendingChartRefresh = setTimeout(apply, CHART_REFRESH_MS - (now - lastChartRefresh));
  }
}

export const useLab = create<LabState>()(() => ({
  config: undefined as unknown as Config, // set by initLab before the first render
  backendChoice: 'auto',
  compare: null,
  presetId: null,
  status: 'idle',
  backend: null,
  step: 0,
  epoch: 0,
  stepsPerSecond: 0,
  latest: null,
  history: [],
  measuredEvery: null,
  comparisonHistory: [],
  chart: { spectrum: null, spectrumInitial: null, spectrumComparison: null, comparison: [], rank: { history: [], comparison: [] }, training: { history: [], comparison: [] } },
  timeAxis: 'step',
  selectedLayer: 'all',
  notices: [],
  lastGoodConfig: null,
  sweep: { view: 'lab', grid: [], seeds: 1, basis: 'steps' }, // set from the link before the first render
  helpOpen: false,
  presenting: false,
  reference: null,
  recentOpen: false,
}));

export const lab = {
  get: () => useLab.getState(),
  set: (partial: Partial<LabState>) => useLab.setState(partial),

  notify(kind: NoticeKind, text: string) {
    // One notice per kind: a newer one replaces the older (no pile of stale messages).
    const notices = useLab.getState().notices.filter((n) => n.kind !== kind);
    useLab.setState({ notices: [...notices, { id: nextNoticeId++, kind, text }] });
  },
  dismiss(id: number) {
    useLab.setState({ notices: useLab.getState().notices.filter((n) => n.id !== id) });
  },
  clearNotices(kind: NoticeKind) {
    useLab.setState({ notices: useLab.getState().notices.filter((n) => n.kind !== kind) });
  },

  /** The run stopped (paused, finished, diverged, failed): what arrived while it was throttled is shown now, so the screen holds still on the run's last snapshot. */
  showLatest() {
    if (pendingChartRefresh || useLab.getState().chart.spectrum !== useLab.getState().latest) refreshCharts(true);
  },
  /** A fresh run: the history starts again. */
  clearRun() {
    record.main = [];
    record.comparison = [];
    record.divergence = null;
    useLab.setState({ step: 0, epoch: 0, stepsPerSecond: 0, latest: null, history: [], comparisonHistory: [], measuredEvery: null });
    lab.showReference();
  },
  /** A stored run's record on screen (a reopened run), paused at `step`. */
  loadRecord(main: Snapshot[], comparison: Snapshot[], divergence: Divergence | null, step: number) {
    const { eps, comparisonEps } = thresholds();
    record.main = thinned(main.map((s) => recount(s, eps)));
    record.comparison = thinned(comparison.map((s) => recount(s, comparisonEps)));
    record.divergence = divergence;
    const latest = record.main.at(-1) ?? null;
    useLab.setState({
      latest, history: record.main.map(historyPoint), comparisonHistory: record.comparison.map(historyPoint),
      step, epoch: latest?.epoch ?? 0, stepsPerSecond: 0, measuredEvery: null,
    });
    lab.showReference();
  },
  /** Back to `step` (a new worker going on from an earlier checkpoint): later snapshots are dropped. */
  truncateRecord(step: number) {
    record.main = record.main.filter((s) => s.step <= step);
    if (useLab.getState().compare) record.comparison = record.comparison.filter((s) => s.step <= step);
    const latest = record.main.at(-1) ?? null;
    useLab.setState({
      latest, history: record.main.map(historyPoint), step, epoch: latest?.epoch ?? 0,
      ...(useLab.getState().compare ? { comparisonHistory: record.comparison.map(historyPoint) } : {}),
    });
    refreshCharts(true);
  },
  /** Draw a stored run as the comparison (null: none). Only for a run without a lockstep comparison. */
  setReference(reference: LabState['reference'], snapshots: Snapshot[] = []) {
    referenceSnapshots = reference ? snapshots : [];
    if (!reference) record.comparison = [];
    useLab.setState({ reference, ...(reference ? {} : { comparisonHistory: [] }) });
    lab.showReference();
  },
  /** The reference run's snapshots as the comparison's (recounted at the threshold on screen); charts redrawn. */
  showReference() {
    if (useLab.getState().reference && !useLab.getState().compare) {
      const { comparisonEps } = thresholds();
      record.comparison = referenceSnapshots.map((s) => recount(s, comparisonEps));
      useLab.setState({ comparisonHistory: record.comparison.map(historyPoint) });
    }
    refreshCharts(true);
  },
  addSnapshot(measured: Snapshot, stepsPerSecond: number, measuredEvery: number, measuredComparison?: Snapshot) {
    // Counted at the threshold on screen now: one measured before a change of eps reached the worker would disagree with its eps line.
    const { eps, comparisonEps } = thresholds();
    const s = recount(measured, eps), comparison = measuredComparison && recount(measuredComparison, comparisonEps);
    const { history, comparisonHistory } = useLab.getState();
    const append = (h: HistoryPoint[], p: Snapshot) => appendAtStep(h, historyPoint(p));
    record.main = thinned(appendAtStep(record.main, s));
    if (comparison) record.comparison = thinned(appendAtStep(record.comparison, comparison));
    useLab.setState({
      latest: s,
      history: append(history, s),
      measuredEvery,
      comparisonHistory: comparison ? append(comparisonHistory, comparison) : comparisonHistory,
      // A snapshot measured elsewhere can land after Pause reported a later step: the counter never goes back.
      step: Math.max(s.step, useLab.getState().step),
      epoch: Math.max(s.epoch, useLab.getState().epoch),
      ...(stepsPerSecond > 0 ? { stepsPerSecond } : {}),
    });
    // While paused every snapshot is shown at once (Step, the step-0 spectrum); while running, throttled.
    refreshCharts(useLab.getState().status !== 'running');
  },
  /**
   * The rank threshold moved: every snapshot of the run recounted from its singular values (eps
   * changes what is counted, not what is trained), so numbers, rank curves and the eps line agree
   * at once, paused or not.
   */
  recountRanks() {
    const { eps, comparisonEps } = thresholds();
    record.main = record.main.map((s) => recount(s, eps));
    record.comparison = record.comparison.map((s) => recount(s, comparisonEps));
    const latest = useLab.getState().latest;
    useLab.setState({ latest: latest && recount(latest, eps), history: record.main.map(historyPoint), comparisonHistory: record.comparison.map(historyPoint) });
    refreshCharts(true);
  },
  recordDivergence(d: Divergence) {
    record.divergence = d;
  },
  /** The current run's full snapshots (and its comparison's), and why it stopped if it diverged. */
  recorded(): Readonly<typeof record> {
    return record;
  },
};
