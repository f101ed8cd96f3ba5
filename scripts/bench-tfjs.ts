// The tfjs engine before and after the hand-derived step: backend operations per step
// and steps/s, tfjs' tape + sgd.ts ("tape") against the hand-derived backward pass with
// fused operations and RankLab's kernels ("hand"), on tfjs' WASM and CPU backends in
// Node. Numbers, not a test; the machine is shared, so the two are timed in alternating
// windows of the same run.
//   npx tsx scripts/bench-tfjs.ts [--seconds S] [--backends wasm,cpu] [--rows 0,1,2,3]
// With --webgpu: the same rows on tfjs' WebGPU backend in headless Chromium (SwiftShader
// without a GPU), counting the compute dispatches and queue submissions that reach WebGPU
// (scripts/bench-tfjs-webgpu.ts, served by Vite's dev server), after a check of every WGSL
// kernel against the CPU backend and, per variant, of its first step against the tape's.
//   npx tsx scripts/bench-tfjs.ts --webgpu [--webgl] [--micro] [--seconds S] [--chunk K] [--rows ...]
// (--webgl: the same page on tfjs' WebGL backend, where the hand-derived step composes tfjs
// ops; dispatches are then not counted.)

import * as tf from '../src/core/tf';
import { parseConfig, type Config } from '../src/core/config';
import { datasetFor } from '../src/core/data/forConfig';
import { architectureFor } from '../src/core/models/architecture';
import { BatchSampler } from '../src/core/train/sampler';
import { TfjsEngine, type TfjsEngineOptions } from '../src/core/engine/tfjs/tfjsEngine';
import { readMnist } from '../src/node/mnistFile';
import { useBackend } from '../src/node/tfNode';

const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const seconds = Number(flag('--seconds') ?? 1);
const backends = (flag('--backends') ?? 'wasm,cpu').split(',') as ('wasm' | 'cpu')[];

const ROWS: { label: string; overrides: Partial<Config> }[] = [
  { label: 'MLP 4x128, B=8', overrides: { batchSize: 8 } },
  { label: 'MLP 4x128, B=32', overrides: { batchSize: 32 } },
  { label: 'MLP-BN-10-100, B=8', overrides: { depth: 10, width: 100, batchNorm: true, batchSize: 8, weightDecay: 0.02 } },
  { label: 'CNN 3x64, B=32', overrides: { model: 'cnn', depth: 3, width: 64, batchSize: 32 } },
];
const rows = (flag('--rows') ?? '0,1,2,3').split(',').map(Number).map((i) => ROWS[i]);

if (args.includes('--webgpu')) {
  await benchWebGpu();
  process.exit(0);
}

const data = await datasetFor('mnist', 1, async () => readMnist());
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Operations that do no arithmetic on any backend: views and customGrad's wrappers (no registered kernel). */
const isNoOp = (name: string) => name === 'Reshape' || name === 'Identity' || !tf.getKernel(name, tf.getBackend());

interface Variant { name: string; options: TfjsEngineOptions }
const VARIANTS: Variant[] = [
  { name: 'tape', options: { backward: 'tape' } },
  { name: 'hand', options: { backward: 'hand' } },
];

async function bench(config: Config) {
  const h = { learningRate: config.learningRate, weightDecay: config.weightDecay, momentum: config.momentum };
  const engines = VARIANTS.map((v) => ({ ...v, engine: new TfjsEngine(architectureFor(config, data), data, v.options), sampler: new BatchSampler(data.trainY.length, 1), rates: [] as number[] }));
  const counts: { ops: number; compute: number }[] = [];
  for (const e of engines) {
    for (let i = 0; i < 3; i++) e.engine.step(e.sampler.next(config.batchSize), h); // warm-up
    await e.engine.sync();
    const profile = await tf.profile(() => e.engine.step(e.sampler.next(config.batchSize), h));
    counts.push({ ops: profile.kernels.length, compute: profile.kernels.filter((k) => !isNoOp(k.name)).length });
  }
  for (let w = 0; w < 3; w++) {
    for (const e of engines) {
      let steps = 0, chunk = 1;
      const t0 = performance.now();
      while (performance.now() - t0 < seconds * 1000) {
        for (let i = 0; i < chunk; i++) e.engine.step(e.sampler.next(config.batchSize), h);
        await e.engine.sync();
        steps += chunk;
        chunk = Math.min(chunk * 2, 32);
      }
      e.rates.push((steps * 1000) / (performance.now() - t0));
    }
  }
  for (const e of engines) e.engine.dispose();
  return engines.map((e, i) => ({ name: e.name, rate: median(e.rates), ...counts[i] }));
}

console.log(`tfjs engine, tape -> hand-derived step — ${new Date().toISOString()} — Node ${process.version}`);
console.log(`steps/s: median of 3 alternating windows of ${seconds} s; ops: tf.profile's kernel calls per step (in brackets: without Reshape, Identity and customGrad wrappers, which compute nothing)`);
for (const backend of backends) {
  await useBackend(backend);
  console.log(`\n${backend}`);
  console.log(`  ${'network, batch'.padEnd(22)} ${'tape ops'.padStart(12)} ${'hand ops'.padStart(10)} ${'tape steps/s'.padStart(13)} ${'hand steps/s'.padStart(13)} ${'speed-up'.padStart(9)}`);
  for (const row of rows) {
    const { config } = parseConfig(row.overrides);
    const [tape, hand] = await bench(config);
    const ops = (r: { ops: number; compute: number }) => `${r.ops} (${r.compute})`;
    console.log(`  ${row.label.padEnd(22)} ${ops(tape).padStart(12)} ${ops(hand).padStart(10)} ${tape.rate.toFixed(1).padStart(13)} ${hand.rate.toFixed(1).padStart(13)} ${(hand.rate / tape.rate).toFixed(2).padStart(8)}x`);
  }
}

async function benchWebGpu(): Promise<void> {
  const { chromium } = await import('@playwright/test');
  const chunk = Number(flag('--chunk') ?? 8);
  const port = 4181;
  const flags = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader', '--disable-vulkan-surface', '--enable-unsafe-swiftshader'];
  // Vite's dev server without file watching: edits elsewhere in the tree must not reload the page mid-run.
  const { createServer } = await import('vite');
  const server = await createServer({ configFile: 'vite.config.ts', logLevel: 'error', server: { host: '127.0.0.1', port, strictPort: true, hmr: false, watch: null } });
  await server.listen();
  try {
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: flags });
    const page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error') console.error('  page:', m.text()); });
    await page.goto(`http://127.0.0.1:${port}/scripts/bench-tfjs-webgpu.html`);
    await page.waitForFunction(() => (window as unknown as { benchReady?: boolean }).benchReady === true, undefined, { timeout: 180_000 });
    const backend = args.includes('--webgl') ? 'webgl' : 'webgpu';
    const variants = backend === 'webgl' ? [
      { name: 'tape (before)', options: { backward: 'tape' } },
      { name: 'hand (tfjs ops)', options: { backward: 'hand' } },
    ] : [
      { name: 'tape (before)', options: { backward: 'tape', stepsPerSubmission: 0 } },
      { name: 'hand, tfjs\' submissions', options: { backward: 'hand', stepsPerSubmission: 0 } },
      { name: 'hand, 1 step/submission', options: { backward: 'hand', stepsPerSubmission: 1 } },
      { name: 'hand, 4 steps/submission', options: { backward: 'hand', stepsPerSubmission: 4 } },
    ];
    const check = await page.evaluate(() => (window as unknown as { checkKernels: () => Promise<Record<string, number>> }).checkKernels());
    const bad = Object.entries(check).filter(([, v]) => !(v < 1e-5));
    console.log(`RankLab's WGSL kernels against the same kernels on tfjs' CPU backend: ${bad.length ? 'MISMATCH ' + JSON.stringify(bad) : `all ${Object.keys(check).length} agree (largest relative difference ${Math.max(...Object.values(check)).toExponential(1)})`}`);
    if (args.includes('--micro')) {
      const ms = await page.evaluate(() => (window as unknown as { microBench: (n: number) => Promise<Record<string, number>> }).microBench(30));
      console.log('ms per operation (wall time, WebGPU):');
      for (const [k, v] of Object.entries(ms)) console.log(`  ${k.padEnd(30)} ${v.toFixed(2)}`);
    }
    console.log(`tfjs engine on ${backend === 'webgl' ? 'WebGL' : 'WebGPU'} in headless Chromium — ${new Date().toISOString()}`);
    console.log(`${chunk} steps per wait for the GPU (CNN: 1); steps/s: median of 3 windows of ${(seconds / 3).toFixed(1)} s per variant, the variants alternating; dispatches and submissions per step counted at the WebGPU API;`);
    console.log('"diff": largest relative difference of any tensor from the tape\'s after the same first step');
    for (const row of rows) {
      const out = await page.evaluate((req) => (window as unknown as { runBench: (r: unknown) => Promise<{ adapter: string; results: { name: string; stepsPerSecond: number; dispatchesPerStep: number; submitsPerStep: number; maxRelativeDifference: number; worstTensor: string }[] }> }).runBench(req),
        // The CNN takes seconds per step on SwiftShader: one step per wait.
        { backend, overrides: row.overrides, variants, seconds, chunk: row.overrides.model === 'cnn' ? 1 : chunk });
      console.log(`\n${row.label} (adapter: ${out.adapter || 'unknown'})`);
      for (const r of out.results) {
        console.log(`  ${r.name.padEnd(26)} ${r.stepsPerSecond.toFixed(2).padStart(8)} steps/s ${r.dispatchesPerStep.toFixed(1).padStart(7)} dispatches/step ${r.submitsPerStep.toFixed(2).padStart(6)} submits/step   diff ${r.maxRelativeDifference.toExponential(1)}${r.worstTensor ? ` (${r.worstTensor})` : ''}`);
      }
    }
    await browser.close();
  } finally {
    await server.close();
  }
}
