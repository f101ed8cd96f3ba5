import { expect, test } from '@playwright/test';
import { numberOf, stepPasses, trainingWorker, waitForReady, watchConsole } from './helpers';

// What a deployment sends and what the page does with it: the headers the README asks for, a page
// that trains under its Content-Security-Policy on both engines, and a worker that acts only on valid commands.

test('the server sends the deployment headers, and the page trains under its CSP on WebGPU and WASM threads with nothing refused', async ({ page }) => {
  const errors = watchConsole(page);
  await page.addInitScript(() => {
    const w = window as unknown as { violations: string[] };
    w.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.violations.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  for (const backend of ['webgpu', 'wasm'] as const) {
    const response = await page.goto(`/?backend=${backend}`);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
    await waitForReady(page);
    await page.getByRole('button', { name: 'Play' }).click();
    await stepPasses(page, 20, 90_000);
    await expect(page.getByTestId('backend')).toContainText(backend === 'wasm' ? /wasm/ : /webgpu/);
    if (backend === 'wasm') expect(await page.evaluate(() => crossOriginIsolated)).toBe(true); // threads allowed
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
  }
  // The built page has no test hooks (the crash tests break the worker from outside, as a bug would).
  expect(await page.evaluate(() => 'ranklab' in window)).toBe(false);
  expect(errors).toEqual([]);
});

test('a message to the worker outside the settings table is refused and said; the run goes on with its own settings', async ({ page }) => {
  await page.goto('/?backend=simd&steps=100000');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, 30);
  // As any script on the page could: a learning rate of 1e9 and a batch of 3.5 samples.
  await trainingWorker(page).evaluate(() => {
    const scope = self as unknown as { onmessage: (e: MessageEvent) => void };
    scope.onmessage(new MessageEvent('message', { data: null }));
    scope.onmessage(new MessageEvent('message', { data: { type: 'update', changes: { learningRate: 1e9, batchSize: 3.5 } } }));
  });
  await expect(page.getByTestId('notice-error')).toContainText('refused a command: update: learningRate: 1000000000 is outside');
  const at = await numberOf(page, 'step');
  await stepPasses(page, at + 200);
  await expect(page.getByTestId('status')).toHaveText(/running/); // 1e9 would have diverged at once
  await expect(page.getByTestId('notice-diverged')).toHaveCount(0);
});
