// The Sweeps view as a person uses it: a sweep link opens the view with its grid, Run sweep
// trains every cell in the workers, the heatmaps are read cell by cell by their labels, a second
// sweep is cancelled half-way, and the CSV is downloaded and read.

import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { watchConsole } from './helpers';

const SWEEP_LINK = '/?view=sweep&steps=1200&grid=' + encodeURIComponent('weightDecay=0,0.05;batchSize=8,32') + '&seeds=1&basis=steps';
const cellLabel = /^(weightDecay [\d.]+, batchSize \d+): (mean rank ([\d.]+), accuracy ([\d.]+)|diverged.*|collapsed.*)$/;

test('a sweep link runs its grid in the page, fills the heatmaps, and downloads as CSV', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto(SWEEP_LINK);
  await expect(page.getByRole('tab', { name: 'Sweeps' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel('weightDecay values')).toHaveValue('0, 0.05');
  await expect(page.getByLabel('batchSize values')).toHaveValue('8, 32');
  const progress = page.getByRole('progressbar', { name: 'Sweep progress' });

  await page.getByRole('button', { name: 'Run sweep' }).click();
  await expect(page.getByTestId('sweep-status')).toHaveText(/Done: 4 cells/, { timeout: 120_000 });
  await expect(progress).toHaveAttribute('aria-valuenow', '4');
  await expect(progress).toHaveAttribute('aria-valuemax', '4');

  // Read the mean-rank heatmap by its cells' labels: every setting, with numbers.
  const rankCells = page.getByRole('grid', { name: /^Mean rank over weightDecay and batchSize/ }).getByRole('gridcell');
  await expect(rankCells).toHaveCount(4);
  const labels = await rankCells.evaluateAll((cells) => cells.map((c) => c.getAttribute('aria-label') ?? ''));
  expect(labels.map((l) => cellLabel.exec(l)?.[1])).toEqual(['weightDecay 0, batchSize 8', 'weightDecay 0, batchSize 32', 'weightDecay 0.05, batchSize 8', 'weightDecay 0.05, batchSize 32']);
  const rank = (l: string) => Number(cellLabel.exec(l)?.[3]);
  // The paper's direction, on this small grid: more weight decay, lower rank.
  expect(rank(labels[2])).toBeLessThan(rank(labels[0]));
  // A cell opens exactly its run in the lab.
  const href = await page.getByRole('gridcell', { name: labels[3] }).first().getByRole('link').getAttribute('href');
  expect(href).toMatch(/weightDecay=0\.05/);
  expect(href).toMatch(/batchSize=32/);
  expect(href).not.toMatch(/view=sweep/);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  expect(download.suggestedFilename()).toBe('sweep.csv');
  const rows = readFileSync((await download.path())!, 'utf8').trim().split('\n').map((l) => l.split(','));
  expect(rows[0].slice(0, 5)).toEqual(['index', 'weightDecay', 'batchSize', 'seed', 'status']);
  expect(rows).toHaveLength(5);
  const meanRankColumn = rows[0].indexOf('meanRank');
  expect(Number(rows[3][meanRankColumn])).toBeCloseTo(rank(labels[2]), 1);
  expect(errors).toEqual([]);
});

test('Cancel stops a sweep half-way and keeps the cells already done', async ({ page }) => {
  await page.goto('/?view=sweep&steps=3000&width=32&grid=' + encodeURIComponent('weightDecay=0,0.01,0.02,0.03,0.04,0.05'));
  await page.getByRole('button', { name: 'Run sweep' }).click();
  const progress = page.getByRole('progressbar', { name: 'Sweep progress' });
  // Two workers run cells side by side: the count can go from 0 to 2 at once, so wait for at least one.
  await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout: 60_000, intervals: [50] }).toBeGreaterThanOrEqual(1);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('sweep-status')).toHaveText(/Cancelled after \d of 6 cells/);
  const done = Number(await progress.getAttribute('aria-valuenow'));
  expect(done).toBeGreaterThanOrEqual(1);
  expect(done).toBeLessThan(6);
  await page.waitForTimeout(1500); // nothing arrives after Cancel
  await expect(progress).toHaveAttribute('aria-valuenow', String(done));
  await expect(page.getByRole('grid', { name: /^Mean rank/ }).getByRole('gridcell', { name: /not run yet/ })).toHaveCount(6 - done);
});

test('a broken sweep link is repaired with a notice, and editing the grid rewrites the link', async ({ page }) => {
  await page.goto('/?view=sweep&grid=' + encodeURIComponent('batchSize=0,8;depth=3') + '&seeds=zero&basis=weekly');
  await expect(page.getByTestId('notice-link')).toContainText('batchSize: 0');
  await expect(page.getByTestId('notice-link')).toContainText('"depth" is not one of them');
  await expect(page.getByTestId('notice-link')).toContainText('seeds');
  await expect(page.getByTestId('notice-link')).toContainText('basis');
  await expect(page.getByLabel('batchSize values')).toHaveValue('8');
  await page.getByLabel('Columns').selectOption('learningRate');
  await page.getByLabel('learningRate values').fill('0.05, 0.1');
  await expect.poll(() => new URL(page.url()).searchParams.get('grid')).toBe('batchSize=8;learningRate=0.05,0.1');
  await page.getByLabel('learningRate values').fill('0.05, 7');
  await expect(page.getByRole('alert')).toContainText('learningRate: 7');
  await expect(page.getByRole('button', { name: 'Run sweep' })).toBeDisabled();
  // A claim's preset fills the grid and says what was measured for it.
  await page.getByLabel("The paper's claims").selectOption({ label: 'Claim: smaller batches lower it (equal epochs)' });
  await expect(page.getByTestId('sweep-caption')).toContainText('50.00 at B 8');
  await expect(page.getByLabel('batchSize values')).toHaveValue('8, 32, 128');
  await expect(page.getByLabel('Basis')).toHaveValue('epochs');
  await expect(page.getByRole('button', { name: 'Run sweep' })).toBeEnabled();
  await expect.poll(() => new URL(page.url()).searchParams.get('basis')).toBe('epochs');
  await page.getByRole('tab', { name: 'Lab' }).click();
  await expect(page.getByTestId('mean-rank')).toBeVisible();
  expect(new URL(page.url()).searchParams.get('view')).toBeNull();
});
