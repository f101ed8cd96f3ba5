// One step's arithmetic, op by op through the backward pass: the gradient of every measured weight
// matrix at a run's initial weights, on each of its first batches, from each of RankLab's engines,
// written as .npy for scripts/replay.py --gradients to set against PyTorch's in float32 and
// float64. Each batch starts from the same weights, so nothing accumulates: what differs is the
// rounding of the ops themselves (dense, BatchNorm, ReLU, softmax cross-entropy and their gradients).
//   npx tsx src/cli/train.ts <settings> --snapshotEvery 1 --out DIR
//   npx tsx scripts/gradient-check.ts DIR [batches, default all]
//   /usr/bin/python3 scripts/replay.py DIR --gradients

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../src/core/config';
import { prepareKernels } from '../src/core/engine/simd/kernels';
import { ENGINE_NAMES } from '../src/core/engine/engine';
import { decodeNpy, encodeNpy } from '../src/core/npy';
import { Trainer } from '../src/core/train/trainer';
import { loadMnistDataset } from '../src/node/mnistFile';
import { useBackend } from '../src/node/tfNode';

const dir = process.argv[2];
const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
const { config } = parseConfig(run.config);
const batches = decodeNpy(new Uint8Array(readFileSync(join(dir, 'batches.npy'))));
const [count, size] = batches.shape;
const use = Math.min(count, Number(process.argv[3] ?? count));
await prepareKernels();
await useBackend('wasm');
for (const engine of ENGINE_NAMES) {
  const trainer = new Trainer(config, loadMnistDataset(config.seed), engine);
  const out = join(dir, 'gradients', engine);
  mkdirSync(out, { recursive: true });
  for (let b = 0; b < use; b++) {
    const batch = Int32Array.from(batches.data.slice(b * size, (b + 1) * size) as ArrayLike<number>, Number);
    const grads = await trainer.engine.gradients(batch);
    // In tfjs' layout, [dIn, dOut] for a dense layer (replay.py transposes it to torch's).
    trainer.architecture.layers.forEach((layer, i) => writeFileSync(join(out, `${b}_${layer.name}.npy`), encodeNpy(grads[i], [layer.shape[1], layer.shape[0]])));
  }
  trainer.dispose();
  console.log(`${engine}: ${use} batches' gradients of ${trainer.architecture.layers.map((l) => l.name).join(', ')} in ${out}`);
}
