import { expect, test } from '@playwright/test';
import { stepPasses, waitForReady, watchConsole } from './helpers';

// After one visit, the lab in a lecture hall without network: the service worker's cache serves
// the app, the workers, the WASM binaries and the MNIST file.

test('after one visit the lab loads and trains offline, and a new seed needs no network', async ({ page, context }) => {
  const errors = watchConsole(page);
  await page.goto('/?backend=wasm');
  await waitForReady(page);
  // The service worker has installed (every file cached) and controls the page after a reload.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  await context.setOffline(true);
  await page.goto('/?backend=wasm&preset=weight-decay-essential');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, 100);
  await page.getByLabel('Seed').fill('7');
  await page.getByLabel('Seed').press('Enter');
  await expect(page.getByTestId('notice-reset')).toContainText('seed');
  await waitForReady(page);
  await expect(page.getByRole('alert')).toHaveCount(0); // no "data file missing", no failed backend
  await page.goto('/?backend=simd&model=cnn&depth=2&width=8');
  await waitForReady(page);
  expect(errors.filter((e) => !/net::ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
});

test.describe('without a service worker (a first visit)', () => {
  test.use({ serviceWorkers: 'block' });

  test('the 7.85 MB MNIST file is downloaded once: the measuring worker gets it from the training worker, and a new seed needs it no more', async ({ page }) => {
    const downloads: string[] = [];
    page.context().on('request', (r) => { if (r.url().endsWith('/mnist.bin')) downloads.push(r.url()); });
    await page.goto('/?backend=simd&steps=100000');
    await waitForReady(page);
    await page.getByRole('button', { name: 'Play' }).click();
    await stepPasses(page, 2000); // snapshots measured in the measuring worker on the way
    await expect(page.getByTestId('snapshot-every')).toBeVisible();
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('spinbutton', { name: 'Seed' }).fill('7');
    await page.getByRole('spinbutton', { name: 'Seed' }).press('Enter');
    await page.getByRole('button', { name: 'Play' }).click();
    await stepPasses(page, 500);
    expect(downloads).toHaveLength(1);
  });
});
