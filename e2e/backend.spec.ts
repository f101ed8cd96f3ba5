import { expect, test, type Page } from '@playwright/test';
import { stepPasses, waitForReady, watchConsole } from './helpers';

// The automatic backend choice is measured: short bursts of the run's model on every
// candidate, the fastest wins, and the page caches the result per device and shape.

interface Figure { name: string; threads: number; stepsPerSecond: number; bound: boolean }

/** The figures on the backend line: "simd 1480, wasm 104, webgl slower than 1.1 steps/s (...)". */
function figuresOf(text: string): Figure[] {
  const list = text.slice(text.indexOf(': ') + 2, text.indexOf(' steps/s'));
  return list.split(', ').map((item) => {
    const m = item.match(/^(simd|wasm|webgl|webgpu|cpu)(?: x(\d+) threads)? (slower than )?([\d.]+)$/);
    if (!m) throw new Error(`not a figure: "${item}" in "${text}"`);
    return { name: m[1], threads: Number(m[2] ?? 1), stepsPerSecond: Number(m[4]), bound: Boolean(m[3]) };
  });
}

const storedKeys = (page: Page) => page.evaluate(() => Object.keys(JSON.parse(localStorage.getItem('ranklab.backendMeasurements.v1') ?? '{}')));

test('the automatic choice times every candidate, trains on the fastest, and a reload reuses the measurement', async ({ page }) => {
  const errors = watchConsole(page);
  // Long enough not to finish before Pause below: the default 2000 steps take ~0.3 s on the SIMD engine here.
  await page.goto('/?steps=100000');
  await waitForReady(page);
  const measured = page.getByTestId('backend-measured');
  await expect(measured).toContainText(/measured in [\d.]+ s: /);
  const text = (await measured.textContent())!;
  // Every candidate is on the line, timed, bounded ("slower than") or with the reason it was not timed.
  for (const name of ['simd', 'wasm', 'webgl', 'webgpu']) expect(text).toContain(name);
  // The bursts stay within their budget (2.2 s; a GPU burst may overrun its cap by 0.1 s, a CPU burst's start-up is not cut short).
  expect(Number(text.match(/measured in ([\d.]+) s/)![1])).toBeLessThan(3);
  const figures = figuresOf(text);
  const timed = figures.filter((f) => !f.bound);
  expect(timed.map((f) => f.name)).toEqual(expect.arrayContaining(['simd', 'wasm']));
  const fastest = timed.reduce((a, b) => (b.stepsPerSecond > a.stepsPerSecond ? b : a));
  // No bound says a candidate might have been faster.
  for (const f of figures.filter((g) => g.bound)) expect(f.stepsPerSecond).toBeLessThan(fastest.stepsPerSecond);
  const shown = (await page.getByTestId('backend').textContent())!;
  expect(shown.split(' ')[0]).toBe(fastest.name);
  if (fastest.name === 'wasm' && fastest.threads > 1) expect(shown).toContain(`${fastest.threads} threads`);
  await expect(page.getByTestId('backend-reason')).toContainText('the fastest measured for this model and batch size');
  expect(await storedKeys(page)).toHaveLength(1);

  // A reload on the same device and shape times nothing: the same figures, from the cache.
  await page.reload();
  await waitForReady(page);
  await expect(measured).toContainText(/cached \(measured (just now|\d+ min ago)\): /);
  expect((await measured.textContent())!.replace(/^.*?: /, '')).toBe(text.replace(/^.*?: /, ''));
  expect((await page.getByTestId('backend').textContent())!.split(' ')[0]).toBe(fastest.name);
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, 100);

  // Another batch-size bucket is another shape: a new run measures again, and both are kept.
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('slider', { name: 'Batch size' }).press('ArrowRight'); // 8 -> 16: a live change, same backend
  await expect(measured).toContainText('cached');
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(measured).toContainText(/measured in [\d.]+ s: /, { timeout: 30_000 });
  await waitForReady(page);
  expect(await storedKeys(page)).toHaveLength(2);
  expect(errors).toEqual([]);
});

test('a forced backend is used as it is: ?backend=wasm trains on tfjs WASM', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?backend=wasm');
  await waitForReady(page);
  await expect(page.getByTestId('backend')).toHaveText(/^wasm/);
  await expect(page.getByTestId('backend-reason')).toContainText('wasm chosen by you');
  // Only the thread count is measured (one thread against every core, on a cross-origin-isolated page).
  const text = (await page.getByTestId('backend-measured').textContent()) ?? '';
  if (text) expect(figuresOf(text).every((f) => f.name === 'wasm')).toBe(true);
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, 20);
  await expect(page.getByTestId('backend')).toHaveText(/^wasm/);
  expect(errors).toEqual([]);
});
