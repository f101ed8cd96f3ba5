import { expect, test, type Page } from '@playwright/test';

// The training worker, driven through the page: it must pick the backend it is
// told to (or the right one on its own), train and stream snapshots.

function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function playUntilStep(page: Page, step: number) {
  await expect(page.getByTestId('step')).toHaveText('0', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(async () => Number(await page.getByTestId('step').textContent()), { timeout: 90_000 }).toBeGreaterThan(step);
}

test('auto backend: a SwiftShader adapter is software, so the worker picks WASM and trains', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?snapshotEvery=20');
  await expect(page.getByTestId('backend')).toContainText('wasm', { timeout: 60_000 });
  await expect(page.getByTestId('backend-reason')).toContainText(/software|no WebGPU adapter/i);
  await playUntilStep(page, 100);
  expect(Number(await page.getByTestId('mean-rank').textContent())).toBeGreaterThan(0);
  expect(Number(await page.getByTestId('test-accuracy').textContent())).toBeGreaterThan(0.1);
  expect(errors).toEqual([]);
});

test('forced WebGPU trains on the SwiftShader adapter', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?snapshotEvery=10&backend=webgpu');
  await expect(page.getByTestId('backend')).toHaveText('webgpu', { timeout: 60_000 });
  await expect(page.getByTestId('backend-reason')).toContainText('chosen');
  await playUntilStep(page, 20);
  expect(Number(await page.getByTestId('mean-rank').textContent())).toBeGreaterThan(0);
  await expect(page.getByRole('status')).toHaveCount(0); // backend=... is a link key, not a problem
  expect(errors).toEqual([]);
});

test('Pause stops the step counter; Step advances one interval', async ({ page }) => {
  await page.goto('/?snapshotEvery=25&backend=wasm');
  await playUntilStep(page, 50);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('status')).toHaveText('paused');
  const paused = Number(await page.getByTestId('step').textContent());
  await page.waitForTimeout(1000);
  expect(Number(await page.getByTestId('step').textContent())).toBe(paused);
  await page.getByRole('button', { name: 'Step' }).click();
  await expect.poll(async () => Number(await page.getByTestId('step').textContent())).toBeGreaterThan(paused);
  await expect(page.getByTestId('status')).toHaveText('paused');
});
