// Node side of MNIST loading, for the CLI, the tests and the scripts: read public/data/mnist.bin
// from the repository. src/node holds what only Node can do (files), kept out of src/core so the
// browser bundle never imports `fs`, and out of src/cli so the core's tests need no CLI.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Dataset } from '../core/data/dataset';
import { mnistFromBinary } from '../core/data/loadMnist';
import { checkMnistChecksum, MNIST_MISSING_MESSAGE } from '../core/data/mnistFormat';

/** Absolute path of public/data/mnist.bin, resolved from this file (src/node/ -> repo root). */
export const MNIST_BIN_FILE = fileURLToPath(new URL('../../public/data/mnist.bin', import.meta.url));

/** The bytes of the MNIST binary as an ArrayBuffer of exactly the file's length. */
export function readMnist(file: string = MNIST_BIN_FILE): ArrayBuffer {
  if (!existsSync(file)) throw new Error(`${MNIST_MISSING_MESSAGE} (not found: ${file})`);
  const bytes = readFileSync(file);
  // A Node Buffer may be a view into a larger shared pool: copy out exactly its bytes.
  const out = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(out).set(bytes);
  checkMnistChecksum(out, `${file} (rebuild it with node scripts/build-mnist-binary.mjs --force)`);
  return out;
}

/** Read the binary and build the seeded MNIST Dataset (same result as in the browser). */
export function loadMnistDataset(seed: number, file: string = MNIST_BIN_FILE): Dataset {
  return mnistFromBinary(readMnist(file), seed);
}
