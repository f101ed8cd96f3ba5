// Every tensor of a model under the name and in the layout PyTorch uses, so a run
// can be rebuilt in torch (scripts/replay.py): "fc1.weight" [out, in], "bn1.weight"
// (our scale) and "bn1.bias" (our shift), "bn1.running_mean", conv kernels
// [C_out, C_in, k, k]. The CNN's dense head is permuted from our NHWC flatten order to
// torch's NCHW flatten order.

import type { NamedTensor } from '../engine/engine';
import type { Architecture } from '../models/architecture';
import { toTorchLayout, type ExportedTensor } from './weights';

const torchName = (name: string) =>
  name.replace(/\.scale$/, '.weight').replace(/\.shift$/, '.bias').replace(/\.runningMean$/, '.running_mean').replace(/\.runningVariance$/, '.running_var');

/** NHWC-flattened rows [h*w*c] of a dense head, reordered to NCHW-flattened [c*h*w]; data is [dOut, h*w*c]. */
export function nhwcToNchwColumns(data: Float32Array, dOut: number, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(data.length);
  const cols = h * w * c;
  for (let o = 0; o < dOut; o++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++) out[o * cols + (ch * h + y) * w + x] = data[o * cols + (y * w + x) * c + ch];
  return out;
}

/** Every tensor of a run (Trainer.readTensors) under PyTorch's name and in its layout. */
export function toTorchTensors(tensors: NamedTensor[], architecture: Pick<Architecture, 'headInput'>): ExportedTensor[] {
  return tensors.map(({ name, shape, data }) => {
    const t = toTorchLayout(torchName(name), shape, data);
    if (architecture.headInput && name === 'fc.weight') t.data = nhwcToNchwColumns(t.data, t.shape[0], ...architecture.headInput);
    return t;
  });
}

/** The run's tensors now, in PyTorch's names and layouts. */
export async function exportRun(trainer: { readTensors(): Promise<NamedTensor[]>; architecture: Pick<Architecture, 'headInput'> }): Promise<ExportedTensor[]> {
  return toTorchTensors(await trainer.readTensors(), trainer.architecture);
}
