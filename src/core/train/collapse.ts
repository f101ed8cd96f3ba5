// Too much weight decay kills the network: every weight shrinks toward 0 and test
// accuracy falls to chance, while the *normalised* rank may even stay high. The lab
// must say so instead of showing a rank that means nothing.

import type { LayerSnapshot } from './snapshot';

/** Accuracy within this of chance (1/classes) counts as "at chance". */
const CHANCE_MARGIN = 0.05;
/** A layer whose Frobenius norm fell below this fraction of its initial norm has shrunk toward 0. */
const SHRUNK = 0.1;

export function collapseReason(testAccuracy: number, layers: Pick<LayerSnapshot, 'name' | 'normRatio'>[], numClasses: number): string | null {
  const chance = 1 / numClasses;
  if (!(testAccuracy <= chance + CHANCE_MARGIN)) return null;
  const shrunk = layers.filter((l) => l.normRatio < SHRUNK);
  if (!shrunk.length) return null;
  const smallest = Math.min(...shrunk.map((l) => l.normRatio));
  return `Collapsed: weight decay has shrunk ${shrunk.map((l) => l.name).join(', ')} to ${(100 * smallest).toPrecision(2)}% of ` +
    `${shrunk.length > 1 ? 'their' : 'its'} initial size and test accuracy is at chance (${testAccuracy.toFixed(2)}). ` +
    'The rank shown no longer describes a working network.'; // what to do next is each surface's to say
}
