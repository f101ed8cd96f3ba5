import { expect, test } from '@playwright/test';
import { linesIn, numberOf, stepPasses, waitForReady, watchConsole } from './helpers';

// The SIMD engine shares a large CNN's heavy kernels with a helper worker over shared memory
// (src/core/engine/simd/kernelThreads.ts): in the real page that worker must start, and the run
// must train, measure and pause as any other. The arithmetic is the one-thread engine's bit for
// bit (src/node/kernelHelper.test.ts); here it is the page's side of it.

const workerNames = (page: import('@playwright/test').Page) => page.workers().map((w) => w.url());

test('a full-size CNN trains with the SIMD engine\'s helper worker; the CNN demo starts none', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?model=cnn&depth=3&width=64&batchSize=32&backend=simd&steps=100000');
  await waitForReady(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, 150, 90_000);
  await expect.poll(() => workerNames(page).filter((u) => u.includes('kernelHelper')).length, { timeout: 10_000 }).toBe(1);
  await expect.poll(() => linesIn(page, 'rank-chart'), { timeout: 60_000 }).toBeGreaterThan(1);
  await expect(page.getByTestId('snapshot-every')).toHaveText(/measured every \d+ steps/); // measured while it trains
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('status')).toHaveText(/paused/i, { timeout: 5_000 });
  const paused = await numberOf(page, 'step');
  await page.waitForTimeout(500);
  expect(await numberOf(page, 'step')).toBe(paused);
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, paused + 50, 60_000);
  expect(errors).toEqual([]);

  // The demo's 16-channel CNN at B=8 has no job large enough to share: no helper.
  await page.goto('/?preset=conv-layers-too&backend=simd');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, 300, 60_000);
  expect(workerNames(page).filter((u) => u.includes('kernelHelper'))).toEqual([]);
  expect(errors).toEqual([]);
});
