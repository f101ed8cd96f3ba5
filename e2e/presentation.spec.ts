import { expect, test, type Page } from '@playwright/test';
import { waitForReady, watchConsole } from './helpers';

// Presentation mode as a lecturer uses it: P (or the button, or present=1 in the link), read from
// the back row, on the screens of a lecture hall.

/** What the page measures on screen: zoom-adjusted sizes of the text and lines that must carry. */
async function onScreen(page: Page) {
  return page.evaluate(() => {
    const lab = document.querySelector('.lab') as HTMLElement;
    const zoom = Number(getComputedStyle(lab).zoom) || 1;
    const px = (el: Element | null, prop: 'fontSize' | 'strokeWidth') => (el ? parseFloat(getComputedStyle(el)[prop]) * zoom : NaN);
    const curves = [...document.querySelectorAll('.recharts-line-curve, .plain-line')];
    return {
      zoom,
      scrolls: document.documentElement.scrollHeight > innerHeight || document.documentElement.scrollWidth > innerWidth,
      chartsOverflow: (() => { const c = document.querySelector('.charts') as HTMLElement; return c.scrollHeight > c.clientHeight + 1; })(),
      number: px(document.querySelector('[data-testid="mean-rank"]'), 'fontSize'),
      tick: px(document.querySelector('.recharts-cartesian-axis-tick-value'), 'fontSize'),
      legend: Math.min(...[...document.querySelectorAll('.chart-legend li')].map((e) => px(e, 'fontSize')).filter((v) => v > 0)),
      thinnestLine: Math.min(...curves.map((c) => px(c, 'strokeWidth'))),
    };
  });
}

for (const [width, height] of [[1280, 720], [1366, 768], [1920, 1080]] as const) {
  test(`presentation mode fits ${width}x${height} without scrolling, numbers >= 28 px, labels >= 18 px, lines >= 3 px`, async ({ page }) => {
    const errors = watchConsole(page);
    await page.setViewportSize({ width, height });
    await page.goto('/?backend=wasm&preset=weight-decay-essential');
    await waitForReady(page);
    await page.keyboard.press('p');
    await expect(page.getByTestId('presentation')).toBeVisible();
    await expect(page).toHaveURL(/[?&]present=1/);
    await expect(page.getByRole('region', { name: 'Settings' })).toHaveCount(0); // the settings panel folds away
    for (const name of ['Batch size', 'Learning rate', 'Weight decay']) await expect(page.getByRole('slider', { name })).toBeVisible();
    await page.keyboard.press('Space');
    await expect.poll(async () => (await onScreen(page)).thinnestLine, { timeout: 30_000 }).toBeGreaterThan(0); // lines drawn
    // The comparison run is told apart without colour: its lines are dashed.
    await expect.poll(() => page.locator('[data-testid="rank-chart"] path.recharts-line-curve[stroke-dasharray="7 4"]').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    // Measured once the run is under way: the spectrum's legend then names its overlays too, and
    // took the plots under the height where the charts' area scrolls (the bottom row cut off).
    await expect(page.getByTestId('spectrum-chart').locator('.chart-legend')).toContainText('step 0 (faint)', { timeout: 30_000 });
    const s = await onScreen(page);
    expect(s.scrolls).toBe(false);
    expect(s.chartsOverflow).toBe(false);
    expect(s.number).toBeGreaterThanOrEqual(28);
    expect(s.tick).toBeGreaterThanOrEqual(18);
    expect(s.legend).toBeGreaterThanOrEqual(18);
    expect(s.thinnestLine).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: `test-results/presentation-${width}x${height}.png` });
    expect(errors).toEqual([]);
  });
}

test('present=1 opens in presentation mode after a reload; P and the buttons go in and out', async ({ page }) => {
  await page.goto('/?backend=wasm&present=1');
  await waitForReady(page);
  await expect(page.getByTestId('presentation')).toBeVisible();
  await page.reload();
  await waitForReady(page);
  await expect(page.getByTestId('presentation')).toBeVisible();
  await page.getByRole('button', { name: 'Exit presentation' }).click();
  await expect(page.getByTestId('presentation')).toHaveCount(0);
  await expect(page).not.toHaveURL(/present=/);
  await page.getByRole('button', { name: 'Presentation mode' }).click();
  await expect(page.getByTestId('presentation')).toBeVisible();
  await page.keyboard.press('P');
  await expect(page.getByTestId('presentation')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Settings' })).toBeVisible();
});

test('normal mode fits 1280x720 without the page scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?backend=wasm');
  await waitForReady(page);
  const fits = await page.evaluate(() => document.documentElement.scrollHeight <= innerHeight && document.documentElement.scrollWidth <= innerWidth);
  expect(fits).toBe(true);
  await expect(page.getByTestId('training-chart')).toBeInViewport({ ratio: 1 });
});
