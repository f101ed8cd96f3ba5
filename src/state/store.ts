// The page's state, in one zustand store. The UI reads it and calls actions; the
// controller (controller.ts) feeds it the worker's events. No tfjs here.

import { create } from 'zustand';
import { type Config } from '../core/config/fields';
import type { Snapshot } from '../core/train/snapshot';
import type { BackendChoice, BackendInfo, RunStatus } from '../worker/protocol';
import { historyPoint, type HistoryPoint } from './history';

export type NoticeKind = 'link' | 'reset' | 'diverged' | 'crash' | 'error' | 'info';

export interface Notice {
  id: number;
  kind: NoticeKind;
  text: string;
}

export interface LabState {
  /** What the controls show, always a valid Config. */
  config: Config;
  backendChoice: BackendChoice;
  status: RunStatus;
  backend: BackendInfo | null;
  /** Live counters, updated between snapshots. */
  step: number;
  epoch: number;
  stepsPerSecond: number;
  /** The newest measurement, with every layer's full spectrum. */
  latest: Snapshot | null;
  history: HistoryPoint[];
  xAxis: 'step' | 'epoch';
  selectedLayer: string;
  notices: Notice[];
  /** Settings to go back to after a divergence. */
  lastGoodConfig: Config | null;
}

let nextNoticeId = 1;

export const useLab = create<LabState>()(() => ({
  config: undefined as unknown as Config, // set by initLab before the first render
  backendChoice: 'auto',
  status: 'idle',
  backend: null,
  step: 0,
  epoch: 0,
  stepsPerSecond: 0,
  latest: null,
  history: [],
  xAxis: 'step',
  selectedLayer: 'all',
  notices: [],
  lastGoodConfig: null,
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

  /** A fresh run: the history starts again. */
  clearRun() {
    useLab.setState({ step: 0, epoch: 0, stepsPerSecond: 0, latest: null, history: [] });
  },
  addSnapshot(s: Snapshot, stepsPerSecond: number) {
    const history = useLab.getState().history;
    // A snapshot at a step already seen replaces it (Step after a paused snapshot, re-measure).
    const kept = history.length && history[history.length - 1].step >= s.step ? history.filter((p) => p.step < s.step) : history;
    useLab.setState({
      latest: s,
      history: [...kept, historyPoint(s)],
      step: s.step,
      epoch: s.epoch,
      ...(stepsPerSecond > 0 ? { stepsPerSecond } : {}),
    });
  },
};
