// Why the rank falls, next to the measurement: every update is low rank (gradient
// rank <= B*R), old weights fade like rho^t, so W is a sum of the last n_eps low-rank
// updates. The theory numbers follow the sliders; the measured ones the last snapshot.

import { decayPerStep, memoryWindow, rankCeiling } from '../core/theory';
import { useLab } from '../state/store';
import { Explained } from './Explained';
import { formatCompact } from './charts/format';

/** The ceiling, or why there is none: no weight decay ("none"), or rho <= 0 ("n/a"). */
function ceilingText(ceiling: number | null, t: { learningRate: number; weightDecay: number }): string {
  if (ceiling !== null) return String(ceiling);
  return t.weightDecay === 0 ? 'none' : 'n/a';
}


export function MechanismPanel() {
  const config = useLab((s) => s.config);
  const latest = useLab((s) => s.chart.spectrum);
  const rho = decayPerStep(config);
  const nEps = memoryWindow(config);
  return (
    <section className="panel mechanism" aria-labelledby="mechanism-title" data-testid="mechanism">
      <h2 id="mechanism-title">Why the rank falls</h2>
      <p className="theory-line">
        <Explained testId="theory-rho" text="Each step multiplies every weight by rho = 1 - 2*mu*lambda before adding the update.">
          rho = <strong>{rho.toPrecision(4)}</strong>
        </Explained>
        {' · '}
        <Explained testId="theory-memory" text="n_eps = ceil(ln(eps/2) / ln(rho)): after this many steps the old weights weigh less than eps/2.">
          memory n_eps = <strong>{nEps === null ? 'n/a' : nEps === Infinity ? 'infinite' : `${nEps} steps`}</strong>
        </Explained>
        {' · '}
        <Explained testId="theory-init-weight" text="rho^t: the weight left on the initial matrix after t steps (the product over the steps actually taken).">
          rho^t = <strong>{latest ? formatCompact(latest.initialisationWeight) : '-'}</strong>
        </Explained>
      </p>
      {config.weightDecay === 0 ? (
        <p className="theory-note" data-testid="no-ceiling">lambda = 0: rho = 1, nothing is forgotten and no rank ceiling exists; the rank has no reason to fall.</p>
      ) : rho <= 0 ? (
        <p className="theory-note" data-testid="rho-not-positive">rho = 1 - 2*mu*lambda is not above 0 (mu*lambda &gt;= 1/2): each step wipes or flips the weights, so the theorem and its ceiling do not apply.</p>
      ) : latest?.collapse ? (
        <p className="theory-note" data-testid="ceiling-collapsed">Collapsed: the weights are shrinking rounding noise, and the theorem's ceiling, which assumes the weights keep their size, does not bound that noise's rank.</p>
      ) : (
        <p className="theory-note">The ceiling min(d, R*B*n_eps) is the paper's theorem: loose here (B*n_eps is far above any width), it explains the direction of the effect, not its size.</p>
      )}
      <table>
        <thead>
          <tr>
            <th>Layer</th>
            <th><Explained text="rank_eps(W): singular values of W/||W||_F above eps, out of min(d_out, d_in).">rank</Explained></th>
            <th><Explained text="Rank of the last mini-batch gradient, and its bound min(B*R, d_out, d_in): every update is low rank.">gradient rank</Explained></th>
            <th><Explained text="min(d, R*B*n_eps): W_t is within eps of a sum of n_eps updates of rank <= R*B each.">ceiling</Explained></th>
            <th><Explained text="||rho^t W_0|| / ||W_t||: the share of the current matrix that is still its initialisation.">init share</Explained></th>
          </tr>
        </thead>
        <tbody>
          {latest?.layers.map((l) => {
            // The ceiling for the hyperparameters in force at this snapshot (the rank beside it is
            // that snapshot's), at the eps the rank is counted with; none that applies after a collapse.
            const inForce = { learningRate: latest.learningRate, weightDecay: latest.weightDecay, batchSize: latest.batchSize, eps: config.eps };
            const ceiling = latest.collapse ? 'n/a' : ceilingText(rankCeiling(inForce, l.shape, l.positionsPerSample), inForce);
            return (
              <tr key={l.name} data-testid={`mechanism-${l.name}`}>
                <td>{l.name}</td>
                <td>{l.rank}/{Math.min(...l.shape)}</td>
                <td data-testid={`gradient-rank-${l.name}`}>{l.gradientRank === null ? '-' : `${l.gradientRank} ≤ ${l.gradientRankBound}`}</td>
                <td data-testid={`ceiling-${l.name}`}>{ceiling}</td>
                <td>{Number.isFinite(l.initialisationShare) ? formatCompact(l.initialisationShare) : '-'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
