// The page's side of the measured backend choice: the worker has no localStorage, so the
// page keeps the measurements it reports (keyed by device and shape, see measurementKey in
// backend.ts), hands them back with every start and reset, and shows the figures.

import type { BackendCache, BackendFigure, BackendInfo, BackendMeasurement } from './protocol';

const STORAGE_KEY = 'ranklab.backendMeasurements.v1';
/** Enough for every shape a lecture visits; the oldest go first. */
const MAX_ENTRIES = 24;
/** Browsers, drivers and machines change: a measurement older than this is taken again. */
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/** Every stored measurement still young enough (empty where storage is unavailable or holds garbage). */
export function readBackendCache(): BackendCache {
  try {
    const parsed: unknown = JSON.parse(globalThis.localStorage?.getItem(STORAGE_KEY) ?? '{}');
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    const cache: BackendCache = {};
    for (const [key, m] of Object.entries(parsed as Record<string, BackendMeasurement>)) {
      const valid = m && typeof m === 'object' && m.key === key && typeof m.backend === 'string' && Array.isArray(m.figures) && typeof m.measuredAt === 'number';
      if (valid && Date.now() - m.measuredAt < MAX_AGE_MS) cache[key] = m;
    }
    return cache;
  } catch {
    return {};
  }
}

/** Keep a fresh measurement the worker reported (a cached one is already stored). */
export function rememberMeasurement(info: BackendInfo): void {
  const m = info.measurement;
  if (!m || m.cached) return;
  try {
    const entries = Object.values({ ...readBackendCache(), [m.key]: m })
      .sort((a, b) => b.measuredAt - a.measuredAt)
      .slice(0, MAX_ENTRIES);
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(Object.fromEntries(entries.map((e) => [e.key, e]))));
  } catch {
    // Storage full or forbidden: the next start measures again.
  }
}

const label = (f: BackendFigure) => `${f.backend}${f.threads && f.threads > 1 ? ` x${f.threads} threads` : ''}`;
const figure = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toPrecision(2));

function age(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 90) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 36 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

/**
 * The figures as the backend line shows them, e.g.
 * "measured: simd 1480, wasm 104, webgl 31 steps/s (wasm x2 threads: at most 2 x 104 < 1480; webgpu: no adapter)",
 * or "cached (measured 3 min ago): ..." when nothing was timed now.
 */
export function describeMeasurement(m: BackendMeasurement, now = Date.now()): string {
  const timed = m.figures.filter((f) => f.stepsPerSecond !== undefined || f.slowerThan !== undefined);
  const numbers = timed.map((f) => `${label(f)} ${f.stepsPerSecond !== undefined ? figure(f.stepsPerSecond) : `slower than ${figure(f.slowerThan!)}`}`);
  const untimed = m.figures.filter((f) => f.skipped).map((f) => `${label(f)}: ${f.skipped}`);
  const head = m.cached ? `cached (measured ${age(now - m.measuredAt)})` : `measured in ${(m.ms / 1000).toFixed(1)} s`;
  return `${head}: ${numbers.join(', ')} steps/s${untimed.length ? ` (${untimed.join('; ')})` : ''}`;
}
