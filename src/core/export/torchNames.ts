// Every tensor of a model under the name and in the layout PyTorch uses, so a run
// can be rebuilt in torch (scripts/replay.py): "fc1.weight" [out, in], "bn1.weight"
// (our scale) and "bn1.bias" (our shift), "bn1.running_mean", conv kernels
// [C_out, C_in, k, k]. The CNN's dense head is permuted from our NHWC flatten order to
// torch's NCHW flatten order.

import type { Model } from '../models';
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

export async function exportModel(model: Model): Promise<ExportedTensor[]> {
  const all = [...model.params.map((p) => ({ name: p.name, variable: p.variable })), ...model.state];
  const out: ExportedTensor[] = [];
  for (const { name, variable } of all) {
    const t = toTorchLayout(torchName(name), variable.shape, (await variable.data()) as Float32Array);
    if (model.headInput && name === 'fc.weight') t.data = nhwcToNchwColumns(t.data, t.shape[0], ...model.headInput);
    out.push(t);
  }
  return out;
}
