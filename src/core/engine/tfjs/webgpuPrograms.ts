// WGSL compute programs for RankLab's kernels (kernels.ts) on tfjs' WebGPU backend,
// in the shape that backend's runWebGPUProgram expects (the WebGPUProgram interface of
// @tensorflow/tfjs-backend-webgpu): the backend prepends the bindings (the output as
// `result`, every input as a storage array named after it), a `uniforms` struct with
// every shape plus the fields named in `uniforms`, and an entry point that calls
// `fn main(index : i32)` with the flat invocation index. One dispatch per kernel.
//
// Two layouts: elementwise (one invocation per output value, workgroups of 64) and
// per-column reductions (one workgroup of 64 per output column, a tree sum in
// workgroup memory), for sums over a batch such as a bias gradient or BatchNorm
// statistics.

import type { Act, Attrs } from './kernels';

/** The fields of @tensorflow/tfjs-backend-webgpu's WebGPUProgram that RankLab's programs set. */
export interface GpuProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  workgroupSize: [number, number, number];
  size: boolean;
  uniforms?: string;
  /** 4: the output (and inputs with variableComponents 4) are read and written as vec4<f32>. */
  outputComponent?: number;
  variableComponents?: number[];
  getUserCode(): string;
}

export interface GpuUniform {
  type: 'float32' | 'int32';
  data: number[];
}

const WORKGROUP = 64;
const count = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const lastDim = (shape: number[]) => shape[shape.length - 1];
const f32 = (v: number): GpuUniform => ({ type: 'float32', data: [v] });
const i32 = (v: number): GpuUniform => ({ type: 'int32', data: [v] });

/** The last line of the update kernels, for s and W of type T (f32, or vec4<f32> four values at a time): W' = rho*W - mu*s. */
const sgdFinish = (t: string) => `fn finish(i : i32, s : ${t}) -> ${t} { return uniforms.rho * W[i] - uniforms.mu * s; }`;
/** torch's momentum buffer (rho carries the momentum, mu the decay coefficient): V' = m*V + (s + decay*W), s + decay*W on the first step. */
const velocityFinish = (t: string) => `
  fn finish(i : i32, s : ${t}) -> ${t} {
    var kept = ${t}(0.0);
    if (uniforms.firstStep == 0) { kept = uniforms.rho * V[i]; }
    return kept + (s + uniforms.mu * W[i]);
  }`;

/** Column sums with more rows than this use one workgroup per column. */
const REDUCE_ROWS = 64;

function program(key: string, outputShape: number[], variableNames: string[], uniforms: string, invocations: number, code: string): GpuProgram {
  return {
    outputShape,
    shaderKey: `ranklab_${key}`,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.max(1, Math.ceil(invocations / WORKGROUP)), 1, 1],
    variableNames,
    workgroupSize: [WORKGROUP, 1, 1],
    size: true, // uniforms.size = number of output values
    uniforms: uniforms || undefined,
    getUserCode: () => code,
  };
}

/** WGSL: dL/dz from g = dL/dy and the activation's output y. */
const ACT_GRAD: Record<Act, string> = {
  relu: 'fn actGrad(g : f32, y : f32) -> f32 { return select(0.0, g, y > 0.0); }',
  tanh: 'fn actGrad(g : f32, y : f32) -> f32 { return g * (1.0 - y * y); }',
};

/** WGSL activations; tanh through exp(-2|v|), which cannot overflow. */
const ACTIVATE: Record<Act, string> = {
  relu: 'fn activate(v : f32) -> f32 { return max(v, 0.0); }',
  tanh: 'fn activate(v : f32) -> f32 { let e = exp(-2.0 * abs(v)); return sign(v) * (1.0 - e) / (1.0 + e); }',
};

/** A sum over the 64 invocations of a workgroup; every invocation must call it (it has barriers). */
const WORKGROUP_SUM = `
  var<workgroup> rankLabPartial : array<f32, ${WORKGROUP}>;
  fn workgroupSum(v : f32, lane : i32) -> f32 {
    rankLabPartial[lane] = v;
    workgroupBarrier();
    for (var k = ${WORKGROUP / 2}; k > 0; k = k >> 1) {
      if (lane < k) { rankLabPartial[lane] = rankLabPartial[lane] + rankLabPartial[lane + k]; }
      workgroupBarrier();
    }
    let total = rankLabPartial[0];
    workgroupBarrier();
    return total;
  }`;

/**
 * The update kernels: out[i] = finish(i, s) with s = sum over r < rows of G[offset + r*n + i].
 * Few rows: one invocation per value; many: one workgroup per value.
 */
function columnSumProgram(key: string, outputShape: number[], variableNames: string[], rows: number, offset: number, finish: (t: string) => string): GpuProgram {
  const n = count(outputShape);
  if (rows <= REDUCE_ROWS) {
    // Four values per invocation when the tensor and the offset allow it (G is then read as vec4 too).
    const v4 = n % 4 === 0 && offset % 4 === 0;
    const t = v4 ? 'vec4<f32>' : 'f32';
    const p = program(`${key}_rows${v4 ? '_v4' : ''}`, outputShape, variableNames, 'rows : i32, start : i32, rho : f32, mu : f32, firstStep : i32,', v4 ? n / 4 : n, `
      ${finish(t)}
      fn main(index : i32) {
        if (index < uniforms.size) {
          var s = ${t}(0.0);
          for (var r = 0; r < uniforms.rows; r = r + 1) { s = s + G[uniforms.start${v4 ? ' / 4' : ''} + r * uniforms.size + index]; }
          setOutputAtIndex(index, finish(index, s));
        }
      }`);
    return v4 ? { ...p, outputComponent: 4, variableComponents: variableNames.map(() => 4) } : p;
  }
  return program(`${key}_reduce`, outputShape, variableNames, 'rows : i32, start : i32, rho : f32, mu : f32, firstStep : i32,', n * WORKGROUP, `
    ${finish('f32')}
    ${WORKGROUP_SUM}
    fn main(index : i32) {
      let column = index / ${WORKGROUP};
      let lane = index - column * ${WORKGROUP};
      var s = 0.0;
      if (column < uniforms.size) {
        for (var r = lane; r < uniforms.rows; r = r + ${WORKGROUP}) { s = s + G[uniforms.start + r * uniforms.size + column]; }
      }
      let total = workgroupSum(s, lane);
      if (lane == 0 && column < uniforms.size) { setOutputAtIndex(column, finish(column, total)); }
    }`);
}

/** The update kernels with s = (A^T D)[k, n] summed in place over the rows of A [rows, K] and D [rows, N]: one invocation per value. */
function outerProgram(key: string, outputShape: number[], variableNames: string[], dOut: number, finish: (t: string) => string): GpuProgram {
  // Four consecutive outputs per invocation when dOut allows (W, V and D read as vec4, A as f32).
  const v4 = dOut % 4 === 0;
  const t = v4 ? 'vec4<f32>' : 'f32';
  const p = program(`${key}_outer${v4 ? '_v4' : ''}`, outputShape, variableNames, 'rho : f32, mu : f32, firstStep : i32,', count(outputShape) / (v4 ? 4 : 1), `
    ${finish(t)}
    fn main(index : i32) {
      if (index < uniforms.size) {
        let rows = uniforms.aShape.x;
        let K = uniforms.aShape.y;
        let N = uniforms.dShape.y${v4 ? ' / 4' : ''};
        let k = index / N;
        let n = index - k * N;
        var s = ${t}(0.0);
        for (var r = 0; r < rows; r = r + 1) { s = s + A[r * K + k] * D[r * N + n]; }
        setOutputAtIndex(index, finish(index, s));
      }
    }`);
  return v4 ? { ...p, outputComponent: 4, variableComponents: variableNames.map((name) => (name === 'A' ? 1 : 4)) } : p;
}

/** Per-channel sums over rows (BatchNorm): one workgroup per channel, `body` accumulates `a` and `b` at flat index i. */
function channelSumsProgram(key: string, channels: number, variableNames: string[], header: string, prologue: string, body: string, epilogue: string): GpuProgram {
  return program(key, [2, channels], variableNames, 'channels : i32, rows : i32, eps : f32,', channels * WORKGROUP, `
    ${header}
    ${WORKGROUP_SUM}
    fn main(index : i32) {
      let c = index / ${WORKGROUP};
      let lane = index - c * ${WORKGROUP};
      let C = uniforms.channels;
      let N = uniforms.rows;
      let live = c < C;
      ${prologue}
      ${body}
      ${epilogue}
    }`);
}

/** The program and its uniforms (after the backend's own) for one call of the kernel `name`. */
export function programFor(name: string, shapes: number[][], attrs: Attrs, outShape: number[]): { program: GpuProgram; uniforms: GpuUniform[] } {
  const num = (key: string) => attrs[key] as number;
  const act = attrs.activation as Act;
  const updateUniforms = (rho: number, mu: number, first = false) => [i32(num('rows')), i32(num('offset')), f32(rho), f32(mu), i32(first ? 1 : 0)];
  const outerUniforms = (rho: number, mu: number, first = false) => [f32(rho), f32(mu), i32(first ? 1 : 0)];
  switch (name) {
    case 'RankLabSgdStepOuter':
      return {
        program: outerProgram('sgd_step', outShape, ['W', 'A', 'D'], shapes[2][1], sgdFinish),
        uniforms: outerUniforms(num('rho'), num('mu')),
      };
    case 'RankLabMomentumVelocityOuter':
      return {
        program: outerProgram('velocity', outShape, ['V', 'W', 'A', 'D'], shapes[3][1], velocityFinish),
        uniforms: outerUniforms(num('momentum'), num('decay'), attrs.first === true),
      };
    case 'RankLabSgdStep':
      return {
        program: columnSumProgram('sgd_step', outShape, ['W', 'G'], num('rows'), num('offset'), sgdFinish),
        uniforms: updateUniforms(num('rho'), num('mu')),
      };
    case 'RankLabMomentumVelocity':
      // rho carries the momentum, mu the decay coefficient.
      return {
        program: columnSumProgram('velocity', outShape, ['V', 'W', 'G'], num('rows'), num('offset'), velocityFinish),
        uniforms: updateUniforms(num('momentum'), num('decay'), attrs.first === true),
      };
    case 'RankLabActivationGrad':
      return {
        program: program(`act_grad_${act}`, outShape, ['G', 'Y'], '', count(outShape), `
          ${ACT_GRAD[act]}
          fn main(index : i32) {
            if (index < uniforms.size) { setOutputAtIndex(index, actGrad(G[index], Y[index])); }
          }`),
        uniforms: [],
      };
    case 'RankLabSoftmaxXentGrad':
      return {
        program: program('xent_grad', outShape, ['Z', 'Y'], '', count(outShape), `
          fn main(index : i32) {
            if (index < uniforms.size) {
              let classes = uniforms.zShape.y;
              let base = (index / classes) * classes;
              var m = Z[base];
              for (var c = 1; c < classes; c = c + 1) { m = max(m, Z[base + c]); }
              var s = 0.0;
              for (var c = 0; c < classes; c = c + 1) { s = s + exp(Z[base + c] - m); }
              setOutputAtIndex(index, (exp(Z[index] - m) / s - Y[index]) / f32(uniforms.zShape.x));
            }
          }`),
        uniforms: [],
      };
    case 'RankLabXentLossSum':
      return {
        program: program('xent_loss', outShape, ['Z', 'Y', 'Total'], '', 1, `
          fn main(index : i32) {
            if (index == 0) {
              let batch = uniforms.zShape.x;
              let classes = uniforms.zShape.y;
              var sum = 0.0;
              for (var b = 0; b < batch; b = b + 1) {
                let base = b * classes;
                var m = Z[base];
                for (var c = 1; c < classes; c = c + 1) { m = max(m, Z[base + c]); }
                var s = 0.0;
                var yz = 0.0;
                for (var c = 0; c < classes; c = c + 1) { s = s + exp(Z[base + c] - m); yz = yz + Y[base + c] * Z[base + c]; }
                sum = sum + (m + log(s) - yz);
              }
              setOutputAtIndex(0, Total[0] + sum / f32(batch));
            }
          }`),
        uniforms: [],
      };
    case 'RankLabBatchNormStats': {
      const channels = lastDim(shapes[0]);
      return {
        program: channelSumsProgram('bn_stats', channels, ['X'], '', '', `
          var s = 0.0;
          if (live) { for (var r = lane; r < N; r = r + ${WORKGROUP}) { s = s + X[r * C + c]; } }
          let mean = workgroupSum(s, lane) / f32(N);
          var q = 0.0;
          if (live) { for (var r = lane; r < N; r = r + ${WORKGROUP}) { let d = X[r * C + c] - mean; q = q + d * d; } }
          let variance = workgroupSum(q, lane) / f32(N);`, `
          if (live && lane == 0) { setOutputAtIndex(c, mean); setOutputAtIndex(C + c, variance); }`),
        uniforms: [i32(channels), i32(count(shapes[0]) / channels), f32(0)],
      };
    }
    case 'RankLabBatchNormApply': {
      const channels = lastDim(shapes[0]);
      return {
        program: program(`bn_apply_${act}`, outShape, ['X', 'Stats', 'Gamma', 'Beta'], 'channels : i32, eps : f32,', count(outShape), `
          ${ACTIVATE[act]}
          fn main(index : i32) {
            if (index < uniforms.size) {
              let C = uniforms.channels;
              let c = index % C;
              let inv = 1.0 / sqrt(Stats[C + c] + uniforms.eps);
              setOutputAtIndex(index, activate((X[index] - Stats[c]) * inv * Gamma[c] + Beta[c]));
            }
          }`),
        uniforms: [i32(channels), f32(num('eps'))],
      };
    }
    case 'RankLabBatchNormGradSums': {
      const channels = lastDim(shapes[2]);
      return {
        program: channelSumsProgram(`bn_grad_sums_${act}`, channels, ['G', 'Y', 'X', 'Stats'], ACT_GRAD[act], `
          var mean = 0.0;
          var inv = 0.0;
          if (live) { mean = Stats[c]; inv = 1.0 / sqrt(Stats[C + c] + uniforms.eps); }`, `
          var a = 0.0;
          var b = 0.0;
          if (live) {
            for (var r = lane; r < N; r = r + ${WORKGROUP}) {
              let i = r * C + c;
              let dy = actGrad(G[i], Y[i]);
              a = a + dy;
              b = b + dy * (X[i] - mean) * inv;
            }
          }
          let sumDy = workgroupSum(a, lane);
          let sumDyXhat = workgroupSum(b, lane);`, `
          if (live && lane == 0) { setOutputAtIndex(c, sumDy); setOutputAtIndex(C + c, sumDyXhat); }`),
        uniforms: [i32(channels), i32(count(shapes[2]) / channels), f32(num('eps'))],
      };
    }
    case 'RankLabBatchNormGradInput': {
      const channels = lastDim(shapes[2]);
      return {
        program: program(`bn_grad_input_${act}`, outShape, ['G', 'Y', 'X', 'Stats', 'Gamma', 'Sums'], 'channels : i32, rows : i32, eps : f32,', count(outShape), `
          ${ACT_GRAD[act]}
          fn main(index : i32) {
            if (index < uniforms.size) {
              let C = uniforms.channels;
              let c = index % C;
              let N = f32(uniforms.rows);
              let inv = 1.0 / sqrt(Stats[C + c] + uniforms.eps);
              let xhat = (X[index] - Stats[c]) * inv;
              let dy = actGrad(G[index], Y[index]);
              setOutputAtIndex(index, Gamma[c] * inv * (dy - Sums[c] / N - xhat * (Sums[C + c] / N)));
            }
          }`),
        uniforms: [i32(channels), i32(count(shapes[2]) / channels), f32(num('eps'))],
      };
    }
    case 'RankLabIm2colT':
      return {
        program: program('im2col_t', outShape, ['X'], 'outH : i32, outW : i32,', count(outShape), `
          fn main(index : i32) {
            if (index < uniforms.size) {
              let H = uniforms.xShape.y;
              let W = uniforms.xShape.z;
              let C = uniforms.xShape.w;
              let rows = uniforms.outShape.y;
              let col = index / rows;
              let row = index - col * rows;
              let tap = col / C;
              let ch = col - tap * C;
              let ky = tap / 3;
              let kx = tap - ky * 3;
              let positions = uniforms.outH * uniforms.outW;
              let b = row / positions;
              let p = row - b * positions;
              let oy = p / uniforms.outW;
              let ox = p - oy * uniforms.outW;
              let iy = 2 * oy + ky - 1;
              let ix = 2 * ox + kx - 1;
              var v = 0.0;
              if (iy >= 0 && iy < H && ix >= 0 && ix < W) { v = X[((b * H + iy) * W + ix) * C + ch]; }
              setOutputAtIndex(index, v);
            }
          }`),
        uniforms: [i32(num('outH')), i32(num('outW'))],
      };
    case 'RankLabCol2im':
      return {
        program: program('col2im', outShape, ['Cols'], 'outH : i32, outW : i32,', count(outShape), `
          fn main(index : i32) {
            if (index < uniforms.size) {
              let coords = getCoordsFromIndex(index);
              let b = coords.x;
              let iy = coords.y;
              let ix = coords.z;
              let c = coords.w;
              let C = uniforms.outShape.w;
              let K = 9 * C;
              var s = 0.0;
              for (var ky = 0; ky < 3; ky = ky + 1) {
                let ty = iy + 1 - ky;
                let oy = ty / 2;
                if (ty < 0 || ty - oy * 2 != 0 || oy >= uniforms.outH) { continue; }
                for (var kx = 0; kx < 3; kx = kx + 1) {
                  let tx = ix + 1 - kx;
                  let ox = tx / 2;
                  if (tx < 0 || tx - ox * 2 != 0 || ox >= uniforms.outW) { continue; }
                  s = s + Cols[((b * uniforms.outH + oy) * uniforms.outW + ox) * K + (ky * 3 + kx) * C + c];
                }
              }
              setOutputAtIndex(index, s);
            }
          }`),
        uniforms: [i32(num('outH')), i32(num('outW'))],
      };
    default:
      throw new Error(`no WebGPU program for ${name}`);
  }
}
