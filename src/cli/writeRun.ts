// What `--out DIR` writes: run.json, the final weight matrices named after the layers,
// and everything scripts/replay.py needs to replay the run in PyTorch.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../core/config';
import type { Dataset } from '../core/data/dataset';
import { MNIST_MEAN, MNIST_STD } from '../core/data/loadMnist';
import { exportRun } from '../core/export/torchNames';
import { runFile } from '../core/export/runFile';
import type { ExportedTensor } from '../core/export/weights';
import { encodeNpy } from '../core/npy';
import type { RunResult } from '../core/train/run';
import type { Trainer } from '../core/train/trainer';
import { MNIST_BIN_FILE } from '../node/mnistFile';

function writeTensors(dir: string, tensors: ExportedTensor[]) {
  mkdirSync(dir, { recursive: true });
  for (const t of tensors) writeFileSync(join(dir, `${t.name}.npy`), encodeNpy(t.data, t.shape));
}

export async function writeRun(dir: string, run: { config: Config; backend: string; result: RunResult; trainer: Trainer; initial: ExportedTensor[]; data: Dataset; compare?: Partial<Config> | null }): Promise<number> {
  const { config, backend, result, trainer, initial, data } = run;
  mkdirSync(dir, { recursive: true });
  const final = await exportRun(trainer);
  // The measured matrices under their layer names (fc1.npy, conv2.npy), the names run.json uses.
  for (const layer of trainer.architecture.layers) {
    const t = final.find((f) => f.name === `${layer.name}.weight`)!;
    writeFileSync(join(dir, `${layer.name}.npy`), encodeNpy(t.data, t.shape));
  }
  writeTensors(join(dir, 'init'), initial);
  writeTensors(join(dir, 'final'), final);
  const batches = trainer.batchLog ?? [];
  const flat = new Int32Array(batches.reduce((n, b) => n + b.length, 0));
  batches.reduce((at, b) => (flat.set(b, at), at + b.length), 0);
  writeFileSync(join(dir, 'batches.npy'), encodeNpy(flat, [batches.length, config.batchSize]));
  writeFileSync(join(dir, 'split_train.npy'), encodeNpy(data.trainSourceIndex, [data.trainSourceIndex.length]));
  writeFileSync(join(dir, 'split_test.npy'), encodeNpy(data.testSourceIndex, [data.testSourceIndex.length]));
  if (config.dataset !== 'mnist') {
    // No file holds the synthetic data: write the training set itself.
    writeFileSync(join(dir, 'train_x.npy'), encodeNpy(data.trainX, [data.trainY.length, data.trainX.length / data.trainY.length]));
    writeFileSync(join(dir, 'train_y.npy'), encodeNpy(data.trainY, [data.trainY.length]));
  }
  const summary = {
    ...runFile({
      config, backend, writtenBy: 'cli',
      stepsPerSecond: trainer.step / (result.trainMs / 1000),
      divergence: result.divergence ?? null,
      snapshots: result.snapshots,
      compare: run.compare,
      comparison: result.comparison,
    }),
    // The files beside run.json that only the CLI writes.
    replay: {
      about: 'python3 scripts/replay.py DIR replays this run in PyTorch (numpy and torch only)',
      batches: 'batches.npy: int32 [steps, batchSize], row t = indices into the training split used at step t',
      split: 'split_train.npy / split_test.npy: int32 indices of the train / test examples in the source file',
      data: config.dataset === 'mnist'
        ? { source: MNIST_BIN_FILE, format: 'RLMN v1: 20-byte header, uint8 pixels [count*784], uint8 labels [count]', normalise: { mean: MNIST_MEAN, std: MNIST_STD, rule: '(byte/255 - mean) / std' } }
        : { source: 'train_x.npy, train_y.npy' },
      init: 'init/*.npy: every parameter and BatchNorm buffer at step 0, PyTorch names and layouts',
      final: 'final/*.npy: the same at the last step',
      torchWeightDecay: 2 * config.weightDecay,
    },
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(summary));
  return trainer.architecture.layers.length;
}
