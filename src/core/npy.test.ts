import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, type NpyArray } from './npy';

/** The files np.save wrote in scripts/make-svd-fixtures.py, with the arrays they hold. */
const NUMPY_FILES: Array<{ file: string; data: NpyArray; shape: number[] }> = [
  { file: 'float32_2x3.npy', data: Float32Array.of(1.5, -2.0, 3.25, 0.1, 1e-8, -7.0), shape: [2, 3] },
  { file: 'int32_4.npy', data: Int32Array.of(1, -2, 300000, -2147483648), shape: [4] },
  { file: 'float64_2x2.npy', data: Float64Array.of(Math.PI, -1e-300, 2.0, 0.0), shape: [2, 2] },
  { file: 'uint8_5.npy', data: Uint8Array.of(0, 1, 127, 128, 255), shape: [5] },
];

const readFixture = (file: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${file}`, import.meta.url)));

function headerOf(bytes: Uint8Array): string {
  const length = bytes[8] | (bytes[9] << 8);
  return new TextDecoder('latin1').decode(bytes.subarray(10, 10 + length));
}

describe('encodeNpy', () => {
  it('writes exactly the bytes numpy writes', () => {
    for (const { file, data, shape } of NUMPY_FILES) {
      const ours = encodeNpy(data, shape);
      const theirs = readFixture(file);
      expect(headerOf(ours), file).toBe(headerOf(theirs));
      expect(Array.from(ours), file).toEqual(Array.from(theirs));
    }
  });

  it('writes a version 1.0 header, 64-byte aligned and ending in a newline', () => {
    const shapes = [[], [1], [7], [2, 3], [10, 784], [3, 4, 5, 6], [123456789, 0]];
    for (const shape of shapes) {
      const count = shape.reduce((a, b) => a * b, 1);
      const bytes = encodeNpy(new Float32Array(count), shape);
      expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
      const header = headerOf(bytes);
      const dataStart = 10 + header.length;
      expect(dataStart % 64).toBe(0);
      expect(bytes.length).toBe(dataStart + 4 * count);
      expect(header.endsWith('\n')).toBe(true);
      const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
      expect(header.trimEnd()).toBe(`{'descr': '<f4', 'fortran_order': False, 'shape': ${tuple}, }`);
    }
  });

  it('uses the dtype of the typed array', () => {
    const descr = (data: NpyArray) => /'descr': '([^']+)'/.exec(headerOf(encodeNpy(data, [data.length])))?.[1];
    expect(descr(new Float32Array(2))).toBe('<f4');
    expect(descr(new Float64Array(2))).toBe('<f8');
    expect(descr(new Int32Array(2))).toBe('<i4');
    expect(descr(new Uint8Array(2))).toBe('|u1');
  });

  it('encodes a view into a larger buffer without its neighbours', () => {
    const backing = Float64Array.of(9, 1, 2, 3, 9);
    const view = backing.subarray(1, 4);
    expect(Array.from(decodeNpy(encodeNpy(view, [3])).data)).toEqual([1, 2, 3]);
  });

  it('rejects a shape that does not match the data', () => {
    expect(() => encodeNpy(new Float32Array(6), [2, 2])).toThrow(RangeError);
    expect(() => encodeNpy(new Float32Array(2), [-1, -2])).toThrow(RangeError);
  });
});

describe('decodeNpy', () => {
  it('reads the files numpy wrote', () => {
    for (const { file, data, shape } of NUMPY_FILES) {
      const decoded = decodeNpy(readFixture(file));
      expect(decoded.shape, file).toEqual(shape);
      expect(decoded.data.constructor, file).toBe(data.constructor);
      expect(Array.from(decoded.data), file).toEqual(Array.from(data));
    }
  });

  it('round-trips every dtype, including special values', () => {
    const cases: Array<[NpyArray, number[]]> = [
      [Float32Array.of(0, -0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, -3.4e38), [2, 3]],
      [Float64Array.of(Number.MIN_VALUE, -Number.MAX_VALUE, Number.NEGATIVE_INFINITY, 1 / 3), [4]],
      [Int32Array.of(2147483647, -2147483648, 0), [3, 1]],
      [Uint8Array.of(255, 0, 17, 42), [2, 2]],
      [new Float32Array(0), [0, 5]],
      [Float64Array.of(42), []],
    ];
    for (const [data, shape] of cases) {
      const decoded = decodeNpy(encodeNpy(data, shape));
      expect(decoded.shape).toEqual(shape);
      expect(decoded.data.constructor).toBe(data.constructor);
      expect(Object.is(decoded.data[1], data[1])).toBe(true); // keeps -0
      expect(Array.from(decoded.data)).toEqual(Array.from(data));
    }
  });

  it('rejects files that are not .npy', () => {
    expect(() => decodeNpy(new TextEncoder().encode('not an npy file at all'))).toThrow(/magic/);
    const truncated = encodeNpy(new Float64Array(10), [10]).subarray(0, 100);
    expect(() => decodeNpy(truncated)).toThrow(/shorter/);
  });
});
