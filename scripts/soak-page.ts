// The built page training for a long time in headless Chromium: does its memory level off?
// Numbers, not a test. Every minute it prints the renderer processes' resident memory (the page
// and its workers), the page's JS heap and DOM node count, and the step (a finished run is played
// again); at the end, the growth over the first and the last third of the soak.
//   npm run build && npx tsx scripts/soak-page.ts [minutes, default 30] [link query, default the default demo at 1,000,000 steps]

import { chromium } from '@playwright/test';
import { execSync, spawn } from 'node:child_process';

const minutes = Number(process.argv[2] ?? 30);
const query = process.argv[3] ?? 'steps=1000000&backend=simd';
const port = 4181;

/** Resident memory (MiB) of every process below `pid` that is a Chromium renderer (the page's, with its workers' threads). */
function rendererRssMiB(pid: number): number {
  const rows = execSync('ps -eo pid=,ppid=,rss=,args=', { encoding: 'utf8' }).trim().split('\n').map((line) => {
    const [p, pp, rss, ...args] = line.trim().split(/\s+/);
    return { pid: Number(p), ppid: Number(pp), rss: Number(rss), args: args.join(' ') };
  });
  const below = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rows) if (below.has(r.ppid) && !below.has(r.pid)) { below.add(r.pid); grew = true; }
  }
  return rows.filter((r) => below.has(r.pid) && r.args.includes('--type=renderer')).reduce((sum, r) => sum + r.rss, 0) / 1024;
}

const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true });
await new Promise((r) => setTimeout(r, 2500));
const browserServer = await chromium.launchServer({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--enable-precise-memory-info'] });
try {
  const browser = await chromium.connect(browserServer.wsEndpoint());
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(`http://127.0.0.1:${port}/?${query}`);
  await page.getByTestId('mean-rank').filter({ hasText: /\d/ }).waitFor({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Play' }).click();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const samples: { minute: number; rss: number; heap: number; nodes: number; step: number }[] = [];
  console.log(`soak: /?${query} for ${minutes} min (renderer RSS = the page's renderer processes, workers included)`);
  console.log('minute  step        renderer RSS MiB  JS heap MiB  DOM nodes  status');
  for (let minute = 0; minute <= minutes; minute++) {
    if (minute > 0) await page.waitForTimeout(60_000);
    const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
    const step = Number(await page.getByTestId('step').textContent());
    const sample = { minute, rss: rendererRssMiB(browserServer.process().pid!), heap: metric('JSHeapUsedSize') / 2 ** 20, nodes: metric('Nodes'), step };
    samples.push(sample);
    const status = (await page.getByTestId('status').textContent())?.trim();
    console.log(`${String(minute).padStart(6)}  ${String(step).padEnd(10)}  ${sample.rss.toFixed(0).padStart(16)}  ${sample.heap.toFixed(1).padStart(11)}  ${String(sample.nodes).padStart(9)}  ${status}`);
    // A run of a million steps ends before half an hour here: Play replays it from step 0 (a new run, as a lecturer would).
    if (status === 'finished') await page.getByRole('button', { name: 'Play' }).click();
  }
  const third = Math.max(1, Math.floor(samples.length / 3));
  const growth = (a: (typeof samples)[number], b: (typeof samples)[number]) => `${(b.rss - a.rss).toFixed(0)} MiB RSS, ${(b.heap - a.heap).toFixed(1)} MiB heap over ${b.minute - a.minute} min`;
  console.log(`first third: ${growth(samples[0], samples[third])}; last third: ${growth(samples[samples.length - 1 - third], samples[samples.length - 1])}`);
  await browser.close();
} finally {
  await browserServer.close();
  try { process.kill(-server.pid!); } catch { /* the preview server has already gone */ }
}
