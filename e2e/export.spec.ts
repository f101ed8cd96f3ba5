import { expect, test, type Download, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForReady } from './helpers';

// Export as a student or researcher uses it: files downloaded, then opened in Python.

const dir = mkdtempSync(join(tmpdir(), 'ranklab-export-'));

async function download(page: Page, click: () => Promise<void>, name: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]) as [Download, void];
  const path = join(dir, name);
  await file.saveAs(path);
  return path;
}

/** Width and height from a PNG's IHDR chunk (and that it is a PNG at all). */
function pngSize(path: string): { width: number; height: number } {
  const b = readFileSync(path);
  expect(b.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

test('Download run, CSV and PNG: the CLI\'s run.json format, read back in Python', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/?backend=wasm&preset=weight-decay-essential&steps=300&snapshotEvery=50');
  await waitForReady(page);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('status')).toHaveText('finished', { timeout: 120_000 });

  const runPath = await download(page, () => page.getByRole('button', { name: 'Download run' }).click(), 'run.json');
  const csvPath = await download(page, () => page.getByRole('button', { name: 'Download CSV' }).click(), 'run.csv');
  const run = JSON.parse(readFileSync(runPath, 'utf8'));
  expect(run.writtenBy).toBe('page');
  expect(run.snapshots.at(-1).step).toBe(300);
  expect(run.compare).toEqual({ weightDecay: 0 });
  expect(run.comparison.length).toBe(run.snapshots.length);
  expect(readFileSync(csvPath, 'utf8').trim().split('\n').length).toBe(run.snapshots.length + 1);

  // The same format as the CLI's: the same keys at every level (the CLI adds its replay files).
  const cliDir = join(dir, 'cli');
  execFileSync('npx', ['tsx', 'src/cli/train.ts', '--steps', '20', '--snapshotEvery', '10', '--compare', 'weightDecay=0', '--out', cliDir, '--quiet'], { stdio: 'pipe' });
  const cli = JSON.parse(readFileSync(join(cliDir, 'run.json'), 'utf8'));
  expect(Object.keys(run).sort()).toEqual(Object.keys(cli).filter((k) => k !== 'replay').sort());
  expect(Object.keys(run.snapshots[0]).sort()).toEqual(Object.keys(cli.snapshots[0]).sort());
  expect(Object.keys(run.snapshots[0].layers[0]).sort()).toEqual(Object.keys(cli.snapshots[0].layers[0]).sort());

  // Python reads both the same way, and the page's numbers hold up there.
  expect(execFileSync('python3', ['scripts/check-run-file.py', runPath, csvPath], { encoding: 'utf8' })).toMatch(/^ok \d+ snapshots page/);
  expect(execFileSync('python3', ['scripts/check-run-file.py', join(cliDir, 'run.json')], { encoding: 'utf8' })).toMatch(/^ok \d+ snapshots cli/);

  // Pictures: each chart, and the whole view, at twice the screen's pixels (its 12 px labels 24 px in the file).
  let chart = { width: 0, height: 0 };
  for (const [testId, title] of [['spectrum-chart', 'Singular value spectrum'], ['rank-chart', 'Rank of each layer'], ['training-chart', 'Training progress']]) {
    const chartWidth = await page.getByTestId(testId).locator('svg.recharts-surface').evaluate((s) => (s as SVGSVGElement).width.baseVal.value);
    chart = pngSize(await download(page, () => page.getByRole('button', { name: `Download PNG of ${title}` }).click(), `${testId}.png`));
    expect(chart.width, title).toBe(Math.round(2 * chartWidth));
    expect(chart.height, title).toBeGreaterThan(2 * 150);
  }
  const view = pngSize(await download(page, () => page.getByRole('button', { name: 'Download PNG', exact: true }).click(), 'view.png'));
  expect(view.width).toBeGreaterThan(2 * chart.width);
  expect(view.height).toBeGreaterThan(2 * chart.height - 100);
});
