// Messages the person must see: a repaired share link, a restart, a divergence
// (with the way back), a backend or worker failure. Plain text only: nothing from
// a URL is ever rendered as HTML.

import { backFromSlowRun, backFromSlowRunLabel, restoreLastGood, switchToSyntheticData, trainSlowRun } from '../state/controller';
import { MNIST_UNAVAILABLE_MESSAGE } from '../core/data/mnistFormat';
import { lab, useLab } from '../state/store';

export function Notices() {
  const notices = useLab((s) => s.notices);
  const lastGood = useLab((s) => s.lastGoodConfig);
  if (!notices.length) return null;
  return (
    <div className="notices">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`} role={n.kind === 'diverged' || n.kind === 'crash' || n.kind === 'error' ? 'alert' : 'status'} data-testid={`notice-${n.kind}`}>
          <span>{n.text}</span>
          {n.kind === 'diverged' && lastGood && (
            <button type="button" className="small" onClick={restoreLastGood}>
              Back to last good settings (mu {lastGood.learningRate}, lambda {lastGood.weightDecay}, B {lastGood.batchSize})
            </button>
          )}
          {n.kind === 'error' && n.text.startsWith(MNIST_UNAVAILABLE_MESSAGE) && (
            <button type="button" className="small" onClick={switchToSyntheticData}>Use the synthetic data set</button>
          )}
          {n.kind === 'slow' && (
            <>
              <button type="button" className="small" onClick={trainSlowRun}>Train it anyway</button>
              <button type="button" className="small" onClick={backFromSlowRun}>{backFromSlowRunLabel()}</button>
            </>
          )}
          <button type="button" className="small close" aria-label="Dismiss" onClick={() => lab.dismiss(n.id)}>x</button>
        </div>
      ))}
    </div>
  );
}
