// A minimal run panel over the training worker: status, numbers and the transport
// controls. The full lab (sliders, charts, share links) builds on this.

import { useEffect, useRef, useState } from 'react';
import { configFromQuery } from '../core/config';
import type { Snapshot } from '../core/train/snapshot';
import { createTrainingWorker, type TrainingWorker } from '../worker/client';
import { BACKEND_CHOICES, type BackendChoice, type BackendInfo, type RunStatus } from '../worker/protocol';

export function App() {
  const [{ config, problems, backend: requestedBackend }] = useState(() => configFromQuery(window.location.search));
  const backendChoice: BackendChoice = (BACKEND_CHOICES as readonly string[]).includes(requestedBackend ?? '') ? (requestedBackend as BackendChoice) : 'auto';
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [status, setStatus] = useState<RunStatus>('idle');
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [stepsPerSecond, setStepsPerSecond] = useState(0);
  const [message, setMessage] = useState('');
  const worker = useRef<TrainingWorker | null>(null);

  useEffect(() => {
    const w = createTrainingWorker((e) => {
      if (e.type === 'backend') setBackend(e.backend);
      else if (e.type === 'status') setStatus(e.status);
      else if (e.type === 'snapshot') { setSnapshot(e.snapshot); if (e.stepsPerSecond) setStepsPerSecond(e.stepsPerSecond); }
      else if (e.type === 'diverged') setMessage(e.divergence.reason);
      else if (e.type === 'error') setMessage(`${e.phase} error: ${e.message}`);
    }, (m) => setMessage(`The training worker stopped: ${m}`));
    worker.current = w;
    w.send({ type: 'reset', config, backend: backendChoice });
    return () => w.terminate();
  }, [config, backendChoice]);

  const send = (type: 'start' | 'step' | 'reset') => worker.current?.send({ type, config, backend: backendChoice });
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 24, maxWidth: 900 }}>
      <h1>RankLab</h1>
      {problems.length > 0 && <p role="status">Link repaired: {problems.map((p) => p.message).join('; ')}</p>}
      <div style={{ display: 'flex', gap: 8 }}>
        <button onClick={() => send('start')}>Play</button>
        <button onClick={() => worker.current?.send({ type: 'pause' })}>Pause</button>
        <button onClick={() => send('step')}>Step</button>
        <button onClick={() => send('reset')}>Reset</button>
      </div>
      <dl>
        <dt>Status</dt><dd data-testid="status">{status}</dd>
        <dt>Backend</dt><dd data-testid="backend">{backend ? `${backend.name}${backend.threads ? ` (${backend.threads} threads)` : ''}` : '...'}</dd>
        <dt>Why</dt><dd data-testid="backend-reason">{backend?.reason ?? ''}</dd>
        <dt>Step</dt><dd data-testid="step">{snapshot?.step ?? 0}</dd>
        <dt>Steps/s</dt><dd data-testid="steps-per-second">{stepsPerSecond.toFixed(0)}</dd>
        <dt>Mean rank</dt><dd data-testid="mean-rank">{snapshot ? snapshot.meanRank.toFixed(2) : ''}</dd>
        <dt>Layer ranks</dt><dd data-testid="layer-ranks">{snapshot?.layers.map((l) => `${l.name} ${l.rank}/${Math.min(...l.shape)}`).join(', ')}</dd>
        <dt>Test accuracy</dt><dd data-testid="test-accuracy">{snapshot ? snapshot.testAccuracy.toFixed(3) : ''}</dd>
        <dt>Snapshot cost</dt><dd data-testid="measure-ms">{snapshot ? `${snapshot.measureMs.toFixed(1)} ms` : ''}</dd>
      </dl>
      {message && <p role="alert">{message}</p>}
    </main>
  );
}
