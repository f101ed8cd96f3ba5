import { expect, type Page } from '@playwright/test';

/** Collects console errors and uncaught page errors (a test asserts there are none). */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

export const numberOf = async (page: Page, testId: string) => Number(await page.getByTestId(testId).textContent());

/** Wait until the run is built (the step-0 snapshot is on screen). */
export async function waitForReady(page: Page) {
  await expect(page.getByTestId('mean-rank')).toHaveText(/\d/, { timeout: 90_000 });
}

export async function stepPasses(page: Page, step: number, timeout = 60_000) {
  await expect.poll(() => numberOf(page, 'step'), { timeout }).toBeGreaterThan(step);
}

/** Number of drawn data lines (non-empty SVG paths: recharts lines and plain ones) in a chart. */
export async function linesIn(page: Page, chartTestId: string): Promise<number> {
  return page.getByTestId(chartTestId).locator('path.recharts-curve, path.plain-line').evaluateAll(
    (paths) => paths.filter((p) => (p.getAttribute('d') ?? '').length > 20).length,
  );
}

/** The page's current training worker (the newest: a crashed one may linger in the list until it is collected). */
export function trainingWorker(page: Page) {
  const worker = page.workers().filter((w) => /training/.test(w.url())).at(-1);
  if (!worker) throw new Error(`no training worker among ${page.workers().map((w) => w.url()).join(', ')}`);
  return worker;
}

/**
 * An uncaught error inside the training worker, as a bug would throw: the way to test the page's
 * recovery without a crash hook in the product (the built page has none).
 */
export async function crashTrainingWorker(page: Page) {
  await trainingWorker(page).evaluate(() => { setTimeout(() => { throw new Error('a test broke the training worker'); }); });
}
