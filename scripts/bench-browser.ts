// The real page in headless Chromium (WebGPU on SwiftShader where there is no GPU). Numbers,
// not a test:
//  1. steps/s of each benchmark row (benchRows.ts) in the page, against the same network in Node over the
//     same steps just after (three pairs per row, the median ratio), with the page's main-thread
//     long tasks (PerformanceObserver) while training;
//  2. the default model on each forced backend;
//  3. time from Play until the effect is on screen (the default link and two demos).
//   npm run build && npx tsx scripts/bench-browser.ts [seconds per run, default 20] [backends, default simd,wasm,webgpu,webgl,cpu] [pairs per row, default 3]
//     [rows: a part of their labels, e.g. "MLP-BN", default all; "none" skips part 1] [skip: "no-effect" skips the time to the effect]

import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import type { Config } from '../src/core/config';
import { datasetFor } from '../src/core/data/forConfig';
import { Trainer } from '../src/core/train/trainer';
import { readMnist } from '../src/node/mnistFile';
import { useBackend } from '../src/node/tfNode';
import { useTwoThreads } from '../src/node/kernelHelper';
import { SimdEngine } from '../src/core/engine/simd/simdEngine';
import { BENCH_ROWS, rowConfig, rowQuery } from './benchRows';

const data = await datasetFor('mnist', 1, async () => readMnist());
// Node as the CLI trains: the SIMD engine's heavy kernels on two threads (the page's training worker does the same).
await useBackend('simd');
const nodeThreads = await useTwoThreads();

/**
 * Steps/s of the SIMD engine in Node over the same steps the page trained (from..to), in chunks
 * as the worker does: a run's speed changes as it goes (a network that collapses under weight
 * decay has subnormal gradients, which x86 handles several times slower), so both sides must
 * time the same stretch of the run.
 */
async function nodeStepsPerSecond(config: Config, from: number, to: number): Promise<number> {
  const trainer = new Trainer(config, data, 'simd');
  if (nodeThreads) await (trainer.engine as SimdEngine).threadCount();
  trainer.train(Math.max(from, 3));
  const t0 = performance.now();
  for (let left = to - Math.max(from, 3); left > 0; left -= 16) trainer.train(Math.min(16, left));
  const rate = ((to - Math.max(from, 3)) * 1000) / (performance.now() - t0);
  trainer.dispose();
  return rate;
}

/**
 * Open a link, press Play, train for `seconds`: the rate is steps advanced on screen over wall
 * time (the page's own figure is also read), with the main thread's long tasks meanwhile.
 */
async function pageRun(link: string, seconds: number) {
  // A fresh browser each time: SwiftShader work left over from one run slows the next.
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: flags });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) w.longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`http://127.0.0.1:${port}${link}`);
    await page.getByTestId('mean-rank').filter({ hasText: /\d/ }).waitFor({ timeout: 120_000 });
    const read = async (id: string) => (await page.getByTestId(id).textContent())?.trim() ?? '';
    await page.getByRole('button', { name: 'Play' }).click();
    // The first seconds pay one-off costs: kernels compile, the first snapshots, and the automatic
    // backend choice, whose WebGPU burst leaves SwiftShader busy in the GPU process for a while.
    await page.waitForTimeout(3000);
    await page.evaluate(() => { (window as unknown as { longTasks: number[] }).longTasks = []; });
    const [step0, t0] = [Number(await read('step')), Date.now()];
    await page.waitForTimeout(seconds * 1000);
    const [step1, t1] = [Number(await read('step')), Date.now()];
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    return {
      from: step0,
      to: step1,
      rate: ((step1 - step0) * 1000) / (t1 - t0),
      reported: await read('steps-per-second'),
      backend: await read('backend'),
      longTasks: `${longTasks.length}, longest ${longTasks.length ? Math.max(...longTasks).toFixed(0) + ' ms' : '-'}`,
    };
  } finally {
    await browser.close();
  }
}

const seconds = Number(process.argv[2] ?? 20);
const backends = (process.argv[3] ?? 'simd,wasm,webgpu,webgl,cpu').split(',').filter(Boolean);
const repeats = Number(process.argv[4] ?? 3);
const rowFilter = process.argv[5] ?? '';
const timeToEffect = process.argv[6] !== 'no-effect';
const port = 4179;
const flags = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader', '--disable-vulkan-surface', '--enable-unsafe-swiftshader'];

const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true });
await new Promise((r) => setTimeout(r, 2500));
try {
  // 1. Each benchmark row in the page (automatic backend), then the same steps of the same run in
  // Node (RankLab's SIMD engine, as the CLI trains): the page must reach at least 0.8x of Node.
  // The pair is repeated: this machine's speed drifts by 20% within a minute, so one pair's ratio
  // can land anywhere in 0.7-1.1x; the median of the pairs' ratios is the row's figure.
  console.log(`1. steps/s in the page (automatic backend, charts drawing; ${seconds} s per run) against Node (the SIMD engine) over the same steps just after; ${repeats} pairs per row, median ratio`);
  console.log(`   ${'network, batch size'.padEnd(26)} ${'page/Node'.padStart(9)}  pairs: Node, page steps/s (page/Node), steps, main-thread long tasks (> 50 ms)`);
  await useBackend('simd');
  for (const row of BENCH_ROWS.filter((r) => r.label.includes(rowFilter))) {
    const pairs: string[] = [];
    const ratios: number[] = [];
    let backend = '';
    for (let r = 0; r < repeats; r++) {
      const page = await pageRun(`/?${rowQuery(row)}`, seconds);
      const node = await nodeStepsPerSecond(rowConfig(row), page.from, page.to);
      ratios.push(page.rate / node);
      backend = page.backend;
      pairs.push(`${node.toFixed(0)}, ${page.rate.toFixed(0)} (${(page.rate / node).toFixed(2)}x), ${page.from}-${page.to}, ${page.longTasks}`);
    }
    const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)];
    console.log(`   ${row.label.padEnd(26)} ${median.toFixed(2).padStart(8)}x  ${backend}; ${pairs.join('; ')}`);
  }
  // 2. The tfjs backends in the page, default model.
  console.log(`\n2. the default model on each forced backend in the page (${seconds} s each)`);
  for (const backend of backends) {
    const page = await pageRun(`/?backend=${backend}&steps=1000000`, seconds);
    console.log(`   ${backend.padEnd(7)} ${page.rate.toFixed(0).padStart(6)} steps/s (page reports ${page.reported})   backend: ${page.backend}   long tasks: ${page.longTasks}`);
  }

  // Time to the effect, as a lecturer sees it: from pressing Play until the mean rank on
  // screen has fallen to half its value at step 0 (polled every 50 ms).
  console.log('\ntime from Play until the mean rank on screen is at most half its start (automatic backend)');
  for (const link of timeToEffect ? ['/'] : []) {
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: flags });
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`http://127.0.0.1:${port}${link}`);
    const meanRank = page.getByTestId('mean-rank');
    await meanRank.filter({ hasText: /\d/ }).waitFor({ timeout: 120_000 });
    const start = Number(await meanRank.textContent());
    await page.getByRole('button', { name: 'Play' }).click();
    const t0 = Date.now();
    let seconds: number | null = null, rank = start;
    while (Date.now() - t0 < 120_000) {
      rank = Number(await meanRank.textContent());
      if (rank <= start / 2) { seconds = (Date.now() - t0) / 1000; break; }
      if ((await page.getByTestId('status').textContent())?.match(/finished|diverged/i)) break;
      await page.waitForTimeout(50);
    }
    const step = (await page.getByTestId('step').textContent())?.trim();
    console.log(`  ${link.padEnd(52)} mean rank ${start} -> ${rank} at step ${step}: ${seconds === null ? 'not halved' : `${seconds.toFixed(1)} s`}   backend: ${(await page.getByTestId('backend').textContent())?.trim()}`);
    await browser.close();
  }

  // A comparison demo's effect: the run with weight decay at least 15% below the one without.
  console.log('\ntime from Play until the mean rank on screen is 15% below the comparison run\'s (automatic backend)');
  for (const link of timeToEffect ? ['/?preset=weight-decay-essential', '/?preset=conv-layers-too'] : []) {
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: flags });
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(`http://127.0.0.1:${port}${link}`);
    await page.getByTestId('comparison-mean-rank').filter({ hasText: /\d/ }).waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Play' }).click();
    const t0 = Date.now();
    let seconds: number | null = null, main = 0, other = 0;
    while (Date.now() - t0 < 120_000) {
      main = Number(await page.getByTestId('mean-rank').textContent());
      other = Number(await page.getByTestId('comparison-mean-rank').textContent());
      if (main <= 0.85 * other) { seconds = (Date.now() - t0) / 1000; break; }
      if ((await page.getByTestId('status').textContent())?.match(/finished|diverged/i)) break;
      await page.waitForTimeout(50);
    }
    const step = (await page.getByTestId('step').textContent())?.trim();
    console.log(`  ${link.padEnd(36)} mean rank ${main} against ${other} at step ${step}: ${seconds === null ? 'no effect' : `${seconds.toFixed(1)} s`}`);
    await browser.close();
  }
} finally {
  try { process.kill(-server.pid!); } catch { /* the preview server has already gone */ }
}
