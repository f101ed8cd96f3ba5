import { expect, test } from '@playwright/test';
import { linesIn, numberOf, stepPasses, trainingWorker, waitForReady } from './helpers';

// Faults as the person at the page meets them: each said in words they can act on, none looping.

test('a worker script that cannot load is asked for again after 1, 2, 4 s, not dozens of times a second', async ({ page, context }) => {
  let requests = 0;
  await context.route(/training\.worker[^/]*\.js/, async (route) => { requests++; await route.fulfill({ status: 404, body: 'gone' }); });
  await page.goto('/');
  await expect(page.getByTestId('notice-crash')).toContainText(/could not start .*Trying again in \d+ s/, { timeout: 30_000 });
  const at = requests;
  await page.waitForTimeout(5000);
  // Before: ~28 requests a second. Now the retries in these 5 s are those due at 1, 2 and 4 s after the first failures.
  expect(requests - at).toBeLessThanOrEqual(4);
  expect(requests).toBeGreaterThanOrEqual(2);
});

test('the digits cannot be loaded: the page says so to the person, offers the synthetic data, and the notice goes once it trains', async ({ page, context }) => {
  await context.route('**/mnist.bin', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await page.goto('/');
  const notice = page.getByTestId('notice-error');
  await expect(notice).toContainText('could not be loaded', { timeout: 60_000 });
  await expect(notice).not.toContainText('npm'); // nothing the person at the page could do
  await notice.getByRole('button', { name: 'Use the synthetic data set' }).click();
  await expect(page.getByRole('combobox', { name: 'Dataset' })).toHaveValue('teacher');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, 50);
  await expect(page.getByTestId('notice-error')).toHaveCount(0); // "could not be loaded" is no longer what is happening
  expect(await numberOf(page, 'step')).toBeGreaterThan(50);
});

test('a data file with the right header but other bytes is refused, not trained on', async ({ page, context }) => {
  await context.route('**/mnist.bin', async (route) => {
    const response = await route.fetch();
    const body = Buffer.from(await response.body());
    for (let i = 5000; i < 6000; i++) body[i] = (i * 7919) & 255; // random-looking pixels, header intact
    await route.fulfill({ response, body });
  });
  await page.goto('/');
  await expect(page.getByTestId('notice-error')).toContainText(/damaged: its checksum is/, { timeout: 60_000 });
  await expect(page.getByTestId('mean-rank')).toHaveText('');
});

test('the GPU device lost mid-run: the run goes on from its last checkpoint on WebAssembly, its history kept', async ({ page }) => {
  await page.goto('/?backend=webgpu&steps=100000&snapshotEvery=10');
  await waitForReady(page);
  await expect(page.getByTestId('backend')).toHaveText(/^webgpu/);
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, 20, 90_000);
  await page.waitForTimeout(5000); // past the first checkpoint (every 4 s)
  // What a driver reset does to the page: tfjs' WebGPU device is lost (destroyed here, from outside the product).
  await trainingWorker(page).evaluate(() => {
    (self as unknown as { _tfengine: { backend: { device: GPUDevice } } })._tfengine.backend.device.destroy();
  });
  const notice = page.getByTestId('notice-crash');
  await expect(notice).toContainText(/The GPU device was lost .* RankLab's WebAssembly engine goes on from step \d+/, { timeout: 30_000 });
  const from = Number((await notice.textContent())!.match(/from step (\d+)/)![1]);
  expect(from).toBeGreaterThan(0);
  await expect(page.getByTestId('backend')).toHaveText(/^simd/, { timeout: 30_000 });
  expect(await linesIn(page, 'rank-chart')).toBeGreaterThan(0); // the history up to the checkpoint is still drawn
  await stepPasses(page, from + 100);
  await expect(page.getByTestId('status')).toHaveText('running');
  await expect(page.getByTestId('notice-error')).toHaveCount(0);
});
