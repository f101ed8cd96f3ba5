import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMnist } from '../../node/mnistFile';
import { hasMnistMagic, MNIST_HEADER_BYTES, parseMnistBinary } from './mnistFormat';

/** A well-formed binary with the given images (rows x cols bytes each) and labels. */
function makeBinary(count: number, rows: number, cols: number, options: { magic?: string; version?: number; extra?: number } = {}) {
  const size = MNIST_HEADER_BYTES + count * rows * cols + count + (options.extra ?? 0);
  const bytes = new Uint8Array(size);
  const magic = options.magic ?? 'RLMN';
  for (let i = 0; i < 4; i++) bytes[i] = magic.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  view.setUint32(4, options.version ?? 1, true);
  view.setUint32(8, count, true);
  view.setUint32(12, rows, true);
  view.setUint32(16, cols, true);
  for (let i = 0; i < count * rows * cols; i++) bytes[MNIST_HEADER_BYTES + i] = i % 256;
  for (let i = 0; i < count; i++) bytes[MNIST_HEADER_BYTES + count * rows * cols + i] = i % 10;
  return bytes.buffer;
}

describe('parseMnistBinary', () => {
  it('parses a well-formed small file', () => {
    const parsed = parseMnistBinary(makeBinary(3, 2, 2));
    expect(parsed).toMatchObject({ count: 3, rows: 2, cols: 2 });
    expect(Array.from(parsed.pixels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(Array.from(parsed.labels)).toEqual([0, 1, 2]);
  });

  it('rejects garbage with clear errors', () => {
    expect(() => parseMnistBinary(new ArrayBuffer(0))).toThrow(/truncated.*header/);
    expect(() => parseMnistBinary(new TextEncoder().encode('<!doctype html><html></html>').buffer)).toThrow(/bad magic/);
    expect(() => parseMnistBinary(makeBinary(3, 2, 2, { magic: 'XXXX' }))).toThrow(/bad magic/);
    expect(() => parseMnistBinary(makeBinary(3, 2, 2, { version: 7 }))).toThrow(/version 7/);
    expect(() => parseMnistBinary(makeBinary(0, 28, 28))).toThrow(/header is invalid/);
    expect(() => parseMnistBinary(makeBinary(3, 2, 2, { extra: 5 }))).toThrow(/5 unexpected trailing bytes/);
    const full = makeBinary(3, 2, 2);
    expect(() => parseMnistBinary(full.slice(0, full.byteLength - 1))).toThrow(/truncated/);
    expect(() => parseMnistBinary(full.slice(0, 30))).toThrow(/truncated/);
    const badLabel = new Uint8Array(makeBinary(3, 2, 2));
    badLabel[badLabel.length - 1] = 10;
    expect(() => parseMnistBinary(badLabel.buffer)).toThrow(/label #2 is 10/);
  });

  it('sniffs the magic', () => {
    expect(hasMnistMagic(makeBinary(1, 1, 1))).toBe(true);
    expect(hasMnistMagic(new ArrayBuffer(3))).toBe(false);
    expect(hasMnistMagic(new TextEncoder().encode('<!DOCTYPE').buffer)).toBe(false);
  });
});

describe('public/data/mnist.bin', () => {
  const parsed = parseMnistBinary(readMnist());

  it('holds the 10,000 digits of the mnist package in source-index order', () => {
    expect(parsed).toMatchObject({ count: 10000, rows: 28, cols: 28 });
    const perClass = new Array(10).fill(0);
    for (let i = 0; i < parsed.count; i++) {
      perClass[parsed.labels[i]]++;
      if (i > 0) expect(parsed.labels[i]).toBeGreaterThanOrEqual(parsed.labels[i - 1]);
    }
    expect(perClass).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  });

  it('matches the JSON source byte for byte (digits 0, 3 and 9)', () => {
    const require = createRequire(import.meta.url);
    const dir = path.join(path.dirname(require.resolve('mnist/package.json')), 'src', 'digits');
    let start = 0;
    for (let c = 0; c < 10; c++) {
      const data: number[] = JSON.parse(readFileSync(path.join(dir, `${c}.json`), 'utf8')).data;
      if (c === 0 || c === 3 || c === 9) {
        const bytes = parsed.pixels.subarray(start * 784, start * 784 + data.length);
        for (let i = 0; i < data.length; i++) {
          if (Math.abs(bytes[i] / 255 - data[i]) > 0.0006) throw new Error(`class ${c} value ${i}: ${bytes[i]} vs ${data[i]}`);
        }
      }
      start += data.length / 784;
    }
    expect(start).toBe(10000);
  });
});
