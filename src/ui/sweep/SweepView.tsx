// The Sweeps view: the paper's grids in the page. Pick one or two axes and their values; every
// other setting is the lab's (the panel on the left). "Run sweep" trains every cell in a pool of
// workers, the heatmaps fill in as cells finish, and the definition is in the link.

import { useEffect, useMemo, useState } from 'react';
import { gridToText, parseGrid, SWEEP_AXES, SWEEP_BASES, type Grid, type SweepAxis, type SweepBasis } from '../../core/sweep/grid';
import { findSweepPreset, SWEEP_PRESETS } from '../../core/sweep/presets';
import { MAX_SEEDS } from '../../core/sweep/grid';
import { MAX_LINK_AXIS_VALUES } from '../../core/sweep/link';
import { sweepCsv, sweepJson } from '../../core/sweep/result';
import { applyConfig, pause, setSweep } from '../../state/controller';
import { specProblems } from '../../core/sweep/cells';
import { useLab } from '../../state/store';
import { cancelSweep, currentSweepFile, startSweep, sweepSecondsLeft, useSweepRun } from '../../state/sweepRun';
import { poolSize } from '../../state/sweepPool';
import { downloadText } from '../download';
import { Heatmap } from './Heatmap';
import { settingResults } from './heatmapData';
import { SweepLine } from './SweepLine';

const NONE = 'none';
const BASIS_LABELS: Record<SweepBasis, string> = { steps: 'equal steps', epochs: 'equal epochs (samples)' };

/** The form's text for a grid: each axis' field and its values as typed. */
const axisTexts = (grid: Grid): { field: string; values: string }[] => [0, 1].map((i) => ({ field: grid[i]?.field ?? NONE, values: grid[i]?.values.join(', ') ?? '' }));

export function SweepView() {
  const sweep = useLab((s) => s.sweep);
  const config = useLab((s) => s.config);
  const run = useSweepRun();
  const [axes, setAxes] = useState(() => axisTexts(sweep.grid));
  const [problems, setProblems] = useState<string[]>([]);
  const [, tick] = useState(0);

  // While running, refresh the time left once a second.
  useEffect(() => {
    if (run.status !== 'running') return;
    const id = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(id);
  }, [run.status]);

  const edit = (i: number, change: Partial<{ field: string; values: string }>) => {
    const next = axes.map((a, k) => (k === i ? { ...a, ...change } : a));
    if (i === 0 && next[1].field === next[0].field) next[1] = { field: NONE, values: '' };
    setAxes(next);
    const text = next.filter((a) => a.field !== NONE).map((a) => `${a.field}=${a.values}`).join(';');
    const parsed = parseGrid(text, config);
    const problems = [...parsed.problems, ...parsed.grid.filter((a) => a.values.length > MAX_LINK_AXIS_VALUES)
      .map((a) => `${a.field}: at most ${MAX_LINK_AXIS_VALUES} values per axis here (npm run sweep takes more)`)];
    setProblems(problems);
    if (!problems.length) setSweep({ grid: parsed.grid });
  };

  const spec = useMemo(() => ({ grid: sweep.grid, base: config, seeds: sweep.seeds, basis: sweep.basis, points: 1 }), [sweep, config]);
  // The lab's settings may have changed since the grid was typed (BatchNorm on, say): say what no longer fits.
  const specIssues = useMemo(() => specProblems(spec), [spec]);
  const shown = run.spec ?? (specIssues.length ? null : spec);
  const settings = useMemo(() => (shown ? settingResults(shown, run.results) : []), [shown, run.results]);
  const shownProblems = [...problems, ...specIssues.filter((p) => !problems.includes(p))];
  const running = run.status === 'running';
  const done = run.results.length;
  const left = running ? sweepSecondsLeft(run) : null;
  const file = currentSweepFile(run);
  const cellsNow = spec.grid.reduce((n, a) => n * a.values.length, 1) * spec.seeds;

  const preset = findSweepPreset(gridToText(sweep.grid), sweep.basis);
  const choosePreset = (id: string) => {
    const p = SWEEP_PRESETS.find((q) => q.id === id);
    if (!p) return;
    const grid = parseGrid(p.grid, config).grid;
    setAxes(axisTexts(grid));
    setProblems([]);
    setSweep({ grid, basis: p.basis });
  };

  return (
    <div className="sweep-view" data-testid="sweep-view">
      <section className="panel sweep-form" aria-label="Sweep settings">
        <div className="sweep-preset">
          <label htmlFor="sweep-preset">The paper's claims</label>
          <select id="sweep-preset" value={preset?.id ?? ''} onChange={(e) => choosePreset(e.target.value)}>
            <option value="" disabled>(your own grid)</option>
            {SWEEP_PRESETS.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}
          </select>
          {preset && <p className="sweep-caption" data-testid="sweep-caption">{preset.caption}</p>}
        </div>
        <div className="sweep-axes">
          {[0, 1].map((i) => (
            <div key={i} className="sweep-axis">
              <label htmlFor={`sweep-axis-${i}`}>{i === 0 ? 'Rows' : 'Columns'}</label>
              <select id={`sweep-axis-${i}`} value={axes[i].field} onChange={(e) => edit(i, { field: e.target.value, values: e.target.value === NONE ? '' : defaultValues(e.target.value as SweepAxis) })}>
                {i === 1 && <option value={NONE}>none (one axis)</option>}
                {SWEEP_AXES.filter((f) => i === 0 || f !== axes[0].field).map((f) => <option key={f} value={f}>{f}</option>)}
              </select>
              {axes[i].field !== NONE && (
                <input aria-label={`${axes[i].field} values`} value={axes[i].values} onChange={(e) => edit(i, { values: e.target.value })} spellCheck={false} />
              )}
            </div>
          ))}
          <div className="sweep-axis">
            <label htmlFor="sweep-steps">Steps</label>
            <input id="sweep-steps" type="number" min={1} max={1_000_000} value={config.steps} onChange={(e) => { const n = Number(e.target.value); if (Number.isInteger(n) && n >= 1) applyConfig({ steps: n }); }} />
          </div>
          <div className="sweep-axis">
            <label htmlFor="sweep-basis">Basis</label>
            <select id="sweep-basis" value={sweep.basis} onChange={(e) => setSweep({ basis: e.target.value as SweepBasis })}>
              {SWEEP_BASES.map((b) => <option key={b} value={b}>{BASIS_LABELS[b]}</option>)}
            </select>
          </div>
          <div className="sweep-axis">
            <label htmlFor="sweep-seeds">Seeds</label>
            <input id="sweep-seeds" type="number" min={1} max={MAX_SEEDS} value={sweep.seeds} onChange={(e) => { const n = Number(e.target.value); if (Number.isInteger(n) && n >= 1 && n <= MAX_SEEDS) setSweep({ seeds: n }); }} />
          </div>
        </div>
        {shownProblems.length > 0 && <p role="alert" className="sweep-problems">{shownProblems.join('; ')}</p>}
        <div className="sweep-actions">
          {/* A sweep pauses the lab's run: both would compete for the same cores. */}
          <button type="button" className="primary" onClick={() => { pause(); startSweep(spec); }} disabled={shownProblems.length > 0}>Run sweep</button>
          <button type="button" onClick={cancelSweep} aria-disabled={!running}>Cancel</button>
          <button type="button" aria-disabled={!file || done === 0} onClick={() => file && done > 0 && downloadText('sweep.csv', sweepCsv(file), 'text/csv')}>Download CSV</button>
          <button type="button" aria-disabled={!file || done === 0} onClick={() => file && done > 0 && downloadText('sweep.json', sweepJson(file), 'application/json')}>Download JSON</button>
          <span className="muted">
            {cellsNow} cells ({spec.grid.map((a) => `${a.values.length} ${a.field}`).join(' x ')} x {spec.seeds} seed{spec.seeds > 1 ? 's' : ''}, {BASIS_LABELS[spec.basis]}),
            {' '}{poolSize()} worker{poolSize() > 1 ? 's' : ''}; every other setting from the lab.
          </span>
        </div>
        <div className="sweep-progress">
          <div role="progressbar" aria-label="Sweep progress" aria-valuemin={0} aria-valuemax={run.total} aria-valuenow={done}
            aria-valuetext={`${done} of ${run.total} cells`} className="bar">
            <div style={{ width: `${run.total ? (100 * done) / run.total : 0}%` }} />
          </div>
          <span data-testid="sweep-status" role="status">
            {run.status === 'idle' ? 'Press Run sweep to train every cell.'
              : running ? `${done} of ${run.total} cells${left !== null ? `, about ${Math.ceil(left)} s left` : ''}`
                : run.status === 'done' ? `Done: ${done} cells in ${((run.finishedAt - run.startedAt) / 1000).toFixed(1)} s`
                  : run.status === 'cancelled' ? `Cancelled after ${done} of ${run.total} cells`
                    : `Stopped: ${run.error}`}
          </span>
        </div>
      </section>
      {shown && shown.grid.length > 0 && (
        <div className="heatmaps">
          <Heatmap title="Mean rank" metric="meanRank" grid={shown.grid} settings={settings} />
          <Heatmap title="Test accuracy" metric="accuracy" grid={shown.grid} settings={settings} />
        </div>
      )}
      {shown?.grid.length === 1 && <SweepLine axis={shown.grid[0]} settings={settings} />}
      <p className="muted sweep-legend">Hatched cells diverged (the loss became NaN or infinite) or collapsed (accuracy at chance, so the rank describes no working network). A cell opens its run in the lab in a new tab.</p>
    </div>
  );
}

function defaultValues(field: SweepAxis): string {
  return { batchSize: '8, 32, 128', learningRate: '0.025, 0.05, 0.1, 0.2', weightDecay: '0, 0.005, 0.01, 0.02' }[field];
}
