// Recent runs: the runs this browser has kept (the last 20), with their settings and latest
// numbers. Open continues one here, paused where it was; Compare draws one as the dashed
// comparison of the run on screen; Delete forgets it.

import { useEffect, useRef, useState } from 'react';
import { compareWithStoredRun, dropReference, openStoredRun } from '../state/controller';
import { keptRunId, reportUnreadable, runStore, saveNow } from '../state/runKeeping';
import type { SavedRunSummary } from '../state/savedRuns';
import { lab, useLab } from '../state/store';
import { describeOverrides, findPreset } from '../core/config/presets';

const close = () => lab.set({ recentOpen: false });

/** The settings a person would name a run by. */
function settingsOf(r: SavedRunSummary): string {
  const c = r.config;
  const net = c.model === 'cnn' ? `CNN ${c.depth} x ${c.width}` : `MLP ${c.depth} x ${c.width}${c.batchNorm ? ' BN' : ''}`;
  const base = `${net}, B ${c.batchSize}, learning rate ${c.learningRate}, weight decay ${c.weightDecay}`;
  return r.compare ? `${base}; against ${describeOverrides(r.compare)}` : base;
}

function latestOf(r: SavedRunSummary): string {
  const l = r.latest;
  const at = `step ${r.step.toLocaleString('en-US')} of ${r.config.steps.toLocaleString('en-US')}`;
  if (!l) return at;
  const comparison = l.comparisonMeanRank !== null ? ` (comparison ${l.comparisonMeanRank.toFixed(1)})` : '';
  return `${at}: mean rank ${l.meanRank.toFixed(1)}${comparison}, test accuracy ${l.testAccuracy.toFixed(3)}${r.status === 'diverged' ? ', diverged' : ''}`;
}

export function RecentRuns() {
  const open = useLab((s) => s.recentOpen);
  const hasComparison = useLab((s) => s.compare !== null);
  const referenceId = useLab((s) => s.reference?.id);
  const [runs, setRuns] = useState<SavedRunSummary[] | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [generation, setGeneration] = useState(0);
  const closeButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    let current = true;
    void (async () => {
      await saveNow(); // the run on screen as it is now
      const store = await runStore();
      if (!store) { if (current) setUnavailable(true); return; }
      try {
        const { runs, unreadable, otherFormat } = await store.list();
        await reportUnreadable(store, unreadable, otherFormat);
        if (current) setRuns(runs);
      } catch (err) {
        lab.notify('stored-runs', `The stored runs could not be listed: ${(err as Error).message}`);
        if (current) setUnavailable(true);
      }
    })();
    return () => { current = false; };
  }, [open, generation]);
  useEffect(() => { if (open) closeButton.current?.focus(); }, [open]);
  if (!open) return null;

  const onScreen = keptRunId();
  const remove = async (id: string) => {
    const store = await runStore();
    try {
      await store?.remove(id);
    } catch (err) {
      lab.notify('stored-runs', `That run could not be deleted: ${(err as Error).message}`);
    }
    if (referenceId === id) dropReference();
    setGeneration((g) => g + 1);
  };
  return (
    <div className="overlay" onClick={close}>
      <div className="panel recent-runs" role="dialog" aria-modal="true" aria-labelledby="recent-runs-title" onClick={(e) => e.stopPropagation()}>
        <h2 id="recent-runs-title">Recent runs</h2>
        <p className="muted">This browser keeps your last 20 runs as they train: a reload or a closed tab goes on where it was.</p>
        {unavailable && <p>This browser keeps no runs here (no usable IndexedDB).</p>}
        {runs && runs.length === 0 && <p>No runs kept yet: a run is kept once it has trained a few seconds.</p>}
        {runs && runs.length > 0 && (
          <ol className="recent-list" data-testid="recent-runs">
            {runs.map((r) => (
              <li key={r.id} data-testid="recent-run">
                <div className="recent-title">
                  <strong>{findPreset(r.presetId ?? '')?.title ?? 'Custom settings'}</strong>
                  {r.id === onScreen && <span className="muted"> (on screen)</span>}
                  <span className="muted"> · {new Date(r.savedAt).toLocaleString()}</span>
                </div>
                <div className="muted">{settingsOf(r)}</div>
                <div data-testid="recent-numbers">{latestOf(r)}</div>
                <div className="recent-actions">
                  <button type="button" className="small" disabled={r.id === onScreen} onClick={() => { close(); void openStoredRun(r.id); }}>Open</button>
                  <button type="button" className="small" disabled={hasComparison || r.id === onScreen}
                    title={hasComparison ? 'This run has a comparison run of its own' : 'Draw this run dashed behind the run on screen'}
                    onClick={() => { close(); void compareWithStoredRun(r.id); }}>Compare</button>
                  <button type="button" className="small" disabled={r.id === onScreen} onClick={() => void remove(r.id)}>Delete</button>
                </div>
              </li>
            ))}
          </ol>
        )}
        <button ref={closeButton} type="button" onClick={close}>Close</button>
      </div>
    </div>
  );
}
