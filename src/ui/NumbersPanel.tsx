// The numbers behind the charts, as text: for reading aloud, for screen readers and for tests.

import { useState } from 'react';
import { describeMain, describeOverrides, findPreset, overridesBetween } from '../core/config/presets';
import { dropReference } from '../state/controller';
import { useLab } from '../state/store';
import { describeMeasurement } from '../worker/backendCache';
import { timeLeft } from './timeLeft';
import { hiddenSettings } from './controls/hiddenSettings';
import type { Snapshot } from '../core/train/snapshot';

/** A value as typed, not its float rounding: a scheduled 0.1 x 0.2 reads 0.02, not 0.020000000000000004. */
const shortest = (v: number) => String(Number(v.toPrecision(12)));

/** Each layer's rank, with its largest possible rank when `ofMax`. */
const ranksOf = (s: Snapshot | null, ofMax: boolean) => s?.layers.map((l) => (ofMax ? `${l.rank}/${Math.min(...l.shape)}` : String(l.rank))).join('  ') ?? '';

/**
 * Each layer's rank and, in its own span, its largest possible rank: a screen of projector height
 * hides the maxima (styles.css) so that the paper's ten layers stay on the numbers' first line;
 * the rank chart draws each maximum, and the title lists them.
 */
const RankList = ({ snapshot }: { snapshot: Snapshot }) => snapshot.layers.map((l, i) => (
  <span key={l.name}>{i > 0 ? '  ' : ''}{l.rank}<span className="rank-max">/{Math.min(...l.shape)}</span></span>
));

export function NumbersPanel() {
  const step = useLab((s) => s.step);
  const epoch = useLab((s) => s.epoch);
  const stepsPerSecond = useLab((s) => s.stepsPerSecond);
  const backend = useLab((s) => s.backend);
  const status = useLab((s) => s.status);
  // The snapshot the charts show (the store's chart.*), not the newest received: the numbers and
  // the charts beside them never disagree (the newest reaches the charts within a second).
  const latest = useLab((s) => s.chart.spectrum);
  const comparisonLatest = useLab((s) => s.chart.comparison.at(-1));
  const measuredEvery = useLab((s) => s.measuredEvery);
  const compare = useLab((s) => s.compare);
  const reference = useLab((s) => (s.compare ? null : s.reference));
  const config = useLab((s) => s.config);
  const presenting = useLab((s) => s.presenting);
  const preset = findPreset(useLab((s) => s.presetId));
  const backendWhy = backend ? [backend.adapter && `adapter: ${backend.adapter}`, backend.reason, backend.measurement && describeMeasurement(backend.measurement)].filter(Boolean).join('; ') : undefined;
  // While running only: a paused run has no speed to promise.
  const left = status === 'running' ? timeLeft(step, config.steps, stepsPerSecond) : null;
  const hidden = hiddenSettings(config);
  const [captionOpen, setCaptionOpen] = useState(false);
  return (
    <section className="panel numbers" aria-label="Numbers">
      <dl>
        <div><dt>Step</dt><dd data-testid="step">{step}</dd></div>
        <div><dt>Epoch</dt><dd data-testid="epoch">{epoch.toFixed(2)}</dd></div>
        <div><dt>Steps/s</dt><dd data-testid="steps-per-second">{status === 'running' ? stepsPerSecond.toFixed(0) : '-'}</dd></div>
        {left && <div><dt>Time left</dt><dd data-testid="time-left" className="time-left">{left}</dd></div>}
        <div><dt>Mean rank</dt><dd data-testid="mean-rank">{latest ? latest.meanRank.toFixed(1) : ''}</dd></div>
        <div><dt>Test accuracy</dt><dd data-testid="test-accuracy">{latest ? latest.testAccuracy.toFixed(3) : ''}</dd></div>
        {/* On a projector the ranks alone, on one line for the paper's ten layers (the rank chart draws each maximum). */}
        <div><dt>Layer ranks</dt><dd data-testid="layer-ranks" title={ranksOf(latest, true)}>{latest && (presenting ? ranksOf(latest, false) : <RankList snapshot={latest} />)}</dd></div>
        <div>
          <dt>In force</dt>
          <dd data-testid="in-force">
            {latest ? <>B <span data-testid="snapshot-batch-size">{latest.batchSize}</span>, mu <span data-testid="snapshot-learning-rate">{shortest(latest.learningRate)}</span>, lambda <span data-testid="snapshot-weight-decay">{shortest(latest.weightDecay)}</span></> : ''}
          </dd>
        </div>
      </dl>
      {hidden.length > 0 && (
        <p className="comparison-line" data-testid="hidden-settings" title="These came with the link and have no control on screen">
          <strong>Also in force</strong>: {hidden.join('; ')}
        </p>
      )}
      {compare && (
        <p className="comparison-line" data-testid="comparison">
          {/* On a projector the legends name the runs; the line keeps only the dashed run's numbers, on one line. */}
          {presenting ? <strong>Dashed run</strong> : <><strong>Dashed run</strong> ({describeOverrides(compare)}; solid {describeMain(config, compare)}; same batches)</>}
          {comparisonLatest && <>: mean rank <strong data-testid="comparison-mean-rank">{comparisonLatest.meanRank.toFixed(1)}</strong>{presenting ? '' : ` (solid ${latest?.meanRank.toFixed(1)})`},
            test accuracy <strong data-testid="comparison-test-accuracy">{comparisonLatest.testAccuracy.toFixed(3)}</strong>{presenting ? '' : ` (solid ${latest?.testAccuracy.toFixed(3)})`}</>}
        </p>
      )}
      {reference && (
        <p className="comparison-line" data-testid="reference">
          <strong>Compared with a stored run</strong> (dashed, as it was stored: not trained here){describeOverrides(overridesBetween(config, reference.config)) ? `, which differs in ${describeOverrides(overridesBetween(config, reference.config))}` : ', with the same settings'}
          {comparisonLatest && <>: mean rank <strong data-testid="comparison-mean-rank">{comparisonLatest.meanRank.toFixed(1)}</strong> at step {comparisonLatest.step}</>}
          {' '}<button type="button" className="small" onClick={dropReference}>Stop comparing</button>
        </p>
      )}
      {preset && (
        <p className={captionOpen ? 'preset-caption open' : 'preset-caption'} data-testid="preset-caption">
          {/* A screen of projector height shows its first line (styles.css); the button opens the rest. */}
          <span className="preset-text"><strong>{preset.title}.</strong> {preset.caption}</span>
          <button type="button" className="small caption-more" aria-expanded={captionOpen} onClick={() => setCaptionOpen(!captionOpen)}>{captionOpen ? 'Less' : 'More'}</button>
        </p>
      )}
      {/* One line: what runs and its state first; why this backend, and its measured speeds, after
          them, cut to the line's end on a small screen (all of it on hover and for screen readers). */}
      <p className="backend-line" data-testid="backend-line" title={backendWhy}>
        <span className="muted">Backend </span>
        <strong data-testid="backend">{backend ? `${backend.name}${backend.threads && backend.threads > 1 ? ` (${backend.threads} threads)` : ''}` : 'starting...'}</strong>
        {/* Each its own phrase after a separator: run together they read "353 steps/s running". */}
        <span className="muted"> · </span><strong data-testid="status">{status}</strong>
        {measuredEvery ? <span className="muted" title="Measuring (every spectrum, the test set) runs in a second worker while training goes on, spaced to keep that core at most 15% busy (10% of training time when a helper thread of the SIMD engine trains on it too); on one core it runs between training steps, spaced to cost at most ~10% of training time. A short run asks for 40 measurements whatever they cost (as many as measuring can keep up with)" data-testid="snapshot-every"> · measured every {measuredEvery} steps</span> : null}
        {backend && <span className="muted"> · </span>}
        {backend?.adapter ? <span className="muted" data-testid="adapter">adapter: {backend.adapter} </span> : null}
        <span className="muted" data-testid="backend-reason">{backend?.reason}</span>
        {backend?.measurement ? <span className="muted" data-testid="backend-measured">; {describeMeasurement(backend.measurement)}</span> : null}
      </p>
    </section>
  );
}
