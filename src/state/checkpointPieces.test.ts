import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../core/config';
import { prepareKernels } from '../core/engine/simd/kernels';
import { checkCheckpoint } from '../core/train/checkpoint';
import { TrainingRun } from '../core/train/trainingRun';
import { tinyDataset } from '../core/train/testing';
import { allPieces, fromPieces, toPieces } from './checkpointPieces';

const cut = (value: object, pieceFloats?: number) => { const p = toPieces(value, pieceFloats); return { shell: p.shell, pieces: allPieces(p) }; };

beforeAll(async () => { await prepareKernels(); });

const filled = (n: number, from: number) => Float32Array.from({ length: n }, (_, i) => from + i);

describe('a checkpoint in pieces', () => {
  const value = {
    version: 1,
    main: { step: 7, tensors: [{ name: 'a', shape: [2, 5], data: filled(10, 0) }, { name: 'b', shape: [0], data: new Float32Array(0) }], momentum: [filled(4, 100), filled(5, 200)] },
    comparison: null,
    config: { lrDecaySteps: [3, 9] },
  };

  it('cuts every array into pieces of at most the given size and puts it back together, in order', () => {
    const { shell, pieces } = cut(value, 4);
    expect(pieces.map((p) => p.length)).toEqual([4, 4, 2, 4, 4, 1]);
    expect(JSON.stringify(shell)).not.toContain('"0":'); // the shell holds no array's values
    expect(fromPieces(structuredClone(shell), structuredClone(pieces))).toEqual(value);
  });

  it('reads pieces cut to any size (the size is read off the pieces: runs stored by a version that cut them larger still load)', () => {
    for (const size of [1, 3, 7, 64]) {
      const { shell, pieces } = cut(value, size);
      expect(fromPieces(shell, pieces)).toEqual(value);
    }
  });

  it('pieces are copies, not views of the checkpoint\'s buffers (a stored view writes its whole buffer)', () => {
    const big = new Float32Array(64);
    const { pieces } = cut({ data: big.subarray(0, 8) }, 4);
    expect(pieces.every((p) => p.buffer.byteLength === 16)).toBe(true);
  });

  it('refuses pieces that are missing, of the wrong length or left over', () => {
    const { shell, pieces } = cut(value, 4);
    expect(() => fromPieces(shell, pieces.slice(0, -1))).toThrow(/incomplete/);
    expect(() => fromPieces(shell, [...pieces.slice(0, 2), pieces[2].slice(1), ...pieces.slice(3)])).toThrow(/incomplete/);
    expect(() => fromPieces(shell, [...pieces, filled(1, 0)])).toThrow(/does not account/);
  });

  it('reads a checkpoint stored whole (no pieces) as it is', () => {
    expect(fromPieces(value, [])).toEqual(value);
  });

  it('a real run\'s checkpoint survives the round trip and passes its check', async () => {
    const run = TrainingRun.build(parseConfig({ depth: 2, width: 16, momentum: 0.9, batchNorm: true, batchSize: 4 }).config, tinyDataset(40, 8, 3), 'simd', { weightDecay: 0 });
    run.train(5);
    const checkpoint = await run.checkpoint();
    const { shell, pieces } = cut(checkpoint, 100);
    expect(pieces.length).toBeGreaterThan(checkpoint.main.tensors.length);
    expect(checkCheckpoint(fromPieces(structuredClone(shell), structuredClone(pieces)))).toEqual(checkpoint);
    run.dispose();
  });
});
