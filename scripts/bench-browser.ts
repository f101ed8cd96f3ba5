// Steps per second of the default model in the real page, per tfjs backend, in headless
// Chromium (WebGPU on SwiftShader where there is no GPU). Numbers, not a test.
//   npm run build && npx tsx scripts/bench-browser.ts [seconds per backend, default 20] [backends, default simd,wasm,webgpu,webgl,cpu]

import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';

const seconds = Number(process.argv[2] ?? 20);
const port = 4179;
const flags = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader', '--disable-vulkan-surface', '--enable-unsafe-swiftshader'];

const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true });
await new Promise((r) => setTimeout(r, 2500));
try {
  console.log(`default model, ${seconds} s of training per backend (steps/s as the page reports it)`);
  for (const backend of (process.argv[3] ?? 'simd,wasm,webgpu,webgl,cpu').split(',')) {
    // A fresh browser each time: SwiftShader work left over from one backend slows the next.
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: flags });
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    // Main-thread long tasks (> 50 ms) while training: the page must stay responsive.
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) w.longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`http://127.0.0.1:${port}/?backend=${backend}&steps=100000`);
    await page.getByTestId('mean-rank').filter({ hasText: /\d/ }).waitFor({ timeout: 120_000 });
    await page.evaluate(() => { (window as unknown as { longTasks: number[] }).longTasks = []; }); // loading does not count
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForTimeout(seconds * 1000);
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    const read = async (id: string) => (await page.getByTestId(id).textContent())?.trim();
    console.log(`  ${backend.padEnd(7)} ${(await read('steps-per-second'))!.padStart(5)} steps/s   step ${await read('step')}   backend: ${await read('backend')}   main-thread long tasks: ${longTasks.length}, longest ${longTasks.length ? Math.max(...longTasks).toFixed(0) + ' ms' : '-'}`);
    await browser.close();
  }

  // Time to the effect, as a lecturer sees it: from pressing Play until the mean rank on
  // screen has fallen to half its value at step 0 (polled every 50 ms).
  console.log('\ntime from Play until the mean rank on screen is at most half its start (automatic backend)');
  for (const link of ['/']) {
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
  for (const link of ['/?preset=weight-decay-essential', '/?preset=conv-layers-too']) {
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
  process.kill(-server.pid!);
}
