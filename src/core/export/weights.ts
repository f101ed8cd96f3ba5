// Weights in PyTorch's layout, so exported .npy files load straight into torch:
// dense [dOut, dIn] (tfjs keeps [dIn, dOut]); conv [C_out, C_in, k, k] (tfjs keeps [k, k, C_in, C_out]).

export interface ExportedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export function toTorchLayout(name: string, tfjsShape: number[], values: Float32Array): ExportedTensor {
  if (tfjsShape.length === 2) {
    const [dIn, dOut] = tfjsShape;
    const data = new Float32Array(values.length);
    for (let i = 0; i < dIn; i++) for (let o = 0; o < dOut; o++) data[o * dIn + i] = values[i * dOut + o];
    return { name, shape: [dOut, dIn], data };
  }
  if (tfjsShape.length === 4) {
    const [kh, kw, cIn, cOut] = tfjsShape;
    const data = new Float32Array(values.length);
    for (let y = 0; y < kh; y++)
      for (let x = 0; x < kw; x++)
        for (let c = 0; c < cIn; c++)
          for (let o = 0; o < cOut; o++)
            data[((o * cIn + c) * kh + y) * kw + x] = values[((y * kw + x) * cIn + c) * cOut + o];
    return { name, shape: [cOut, cIn, kh, kw], data };
  }
  return { name, shape: [...tfjsShape], data: Float32Array.from(values) };
}
