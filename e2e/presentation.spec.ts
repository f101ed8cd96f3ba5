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
    const smallest = (selector: string, prop: 'fontSize' | 'strokeWidth' = 'fontSize') => Math.min(...[...document.querySelectorAll(selector)].map((e) => px(e, prop)).filter((v) => v > 0));
    const overflows = (selector: string) => { const e = document.querySelector(selector) as HTMLElement; return e.scrollHeight > e.clientHeight + 1; };
    return {
      zoom,
      scrolls: document.documentElement.scrollHeight > innerHeight || document.documentElement.scrollWidth > innerWidth,
      chartsOverflow: overflows('.charts'),
      numbersOverflow: overflows('.numbers'),
      /** Every number of the numbers panel (step, epoch, speed, time left, ranks, accuracy, in force). */
      number: smallest('.numbers dd'),
      tick: smallest('.recharts-cartesian-axis-tick-value'),
      /** Axis titles and the reference lines' labels (eps, each layer's maximum rank). */
      axisLabel: smallest('.recharts-label'),
      legend: smallest('.chart-legend li'),
      thinnestLine: smallest('.recharts-line-curve, .plain-line', 'strokeWidth'),
    };
  });
}

// The lockstep comparison at the three sizes, and the paper's ten-layer network (its ten layer
// ranks pushed the numbers panel past its card) on the smallest.
for (const [width, height, preset] of [[1280, 720, 'weight-decay-essential'], [1366, 768, 'weight-decay-essential'], [1920, 1080, 'weight-decay-essential'], [1280, 720, 'paper-mlp-bn-10-100']] as const) {
  test(`presentation mode fits ${width}x${height} (${preset}) without scrolling, numbers >= 28 px, labels >= 18 px, lines >= 3 px`, async ({ page }) => {
    const errors = watchConsole(page);
    await page.setViewportSize({ width, height });
    // A long run, so the time left is on screen too.
    await page.goto(`/?backend=wasm&preset=${preset}&steps=1000000`);
    await waitForReady(page);
    await page.keyboard.press('p');
    await expect(page.getByTestId('presentation')).toBeVisible();
    await expect(page).toHaveURL(/[?&]present=1/);
    await expect(page.getByRole('region', { name: 'Settings' })).toHaveCount(0); // the settings panel folds away
    for (const name of ['Batch size', 'Learning rate', 'Weight decay']) await expect(page.getByRole('slider', { name })).toBeVisible();
    await page.keyboard.press('Space');
    await expect.poll(async () => (await onScreen(page)).thinnestLine, { timeout: 30_000 }).toBeGreaterThan(0); // lines drawn
    if (preset === 'weight-decay-essential') {
      // The comparison run is told apart without colour: its lines are dashed.
      await expect.poll(() => page.locator('[data-testid="rank-chart"] path.recharts-line-curve[stroke-dasharray="7 4"]').count(), { timeout: 30_000 }).toBeGreaterThan(0);
      await expect(page.getByTestId('comparison-mean-rank')).toHaveText(/\d/, { timeout: 30_000 });
    }
    // Measured once the run is under way: the spectrum's legend then names its overlays too, and
    // took the plots under the height where the charts' area scrolls (the bottom row cut off).
    await expect(page.getByTestId('spectrum-chart').locator('.chart-legend')).toContainText('step 0 (faint)', { timeout: 30_000 });
    await expect(page.getByTestId('time-left')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('layer-ranks')).toHaveText(/\d/);
    const s = await onScreen(page);
    expect(s.scrolls).toBe(false);
    expect(s.chartsOverflow).toBe(false);
    expect(s.numbersOverflow).toBe(false);
    expect(s.number).toBeGreaterThanOrEqual(28);
    expect(s.tick).toBeGreaterThanOrEqual(18);
    expect(s.axisLabel).toBeGreaterThanOrEqual(18);
    expect(s.legend).toBeGreaterThanOrEqual(18);
    expect(s.thinnestLine).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: `test-results/presentation-${width}x${height}-${preset}.png` });
    expect(errors).toEqual([]);
  });
}

test('every shortcut has a control on screen in presentation mode too, and they work', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?backend=wasm&present=1');
  await waitForReady(page);
  const strip = page.getByRole('banner', { name: 'Presentation controls' });
  for (const name of ['Play', 'Pause', 'Step', 'Reset', 'Full screen', 'Keys', 'Exit presentation']) await expect(strip.getByRole('button', { name, exact: true })).toBeInViewport();
  await expect(strip.getByRole('combobox', { name: 'Demo' })).toBeInViewport();
  // E's control: the time axes in epochs, and back.
  await strip.getByRole('checkbox', { name: 'Epochs' }).check();
  await expect(page.getByTestId('rank-chart').locator('.recharts-label').filter({ hasText: 'Epoch' })).toHaveCount(1);
  await strip.getByRole('checkbox', { name: 'Epochs' }).uncheck();
  await expect(page.getByTestId('rank-chart').locator('.recharts-label').filter({ hasText: 'Epoch' })).toHaveCount(0);
  // ?'s control: the list of shortcuts.
  await strip.getByRole('button', { name: 'Keys' }).click();
  await expect(page.getByRole('dialog', { name: /keyboard shortcuts/i })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: /keyboard shortcuts/i })).toHaveCount(0);
  // F's control: the page goes full screen, and comes back.
  await strip.getByRole('button', { name: 'Full screen' }).click();
  await expect.poll(() => page.evaluate(() => document.fullscreenElement !== null)).toBe(true);
  await strip.getByRole('button', { name: 'Full screen' }).click();
  await expect.poll(() => page.evaluate(() => document.fullscreenElement !== null)).toBe(false);
});

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

test('normal mode fits 1280x720 with every demo: nothing scrolls, every chart whole on screen, explanations one line with the rest at hand', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?backend=wasm');
  await waitForReady(page);
  const picker = page.getByRole('combobox', { name: 'Demo' });
  const demos = (await picker.locator('option:not([disabled])').allTextContents());
  expect(demos.length).toBeGreaterThanOrEqual(9);
  for (const demo of demos) {
    await picker.selectOption({ label: demo });
    await expect(page.getByTestId('preset-caption')).toContainText(demo);
    // The charts' height follows a ResizeObserver: the layout settles a frame or two after the demo loads.
    await expect.poll(async () => page.evaluate(() => {
      const charts = document.querySelector('.charts') as HTMLElement;
      return { page: document.documentElement.scrollHeight <= innerHeight && document.documentElement.scrollWidth <= innerWidth, charts: charts.scrollHeight <= charts.clientHeight + 1 };
    }), { message: demo }).toEqual({ page: true, charts: true });
    for (const chart of ['spectrum-chart', 'rank-chart', 'training-chart']) {
      await expect(page.getByTestId(chart), `${demo}: ${chart}`).toBeInViewport({ ratio: 1 });
      const plot = (await page.getByTestId(chart).locator('.recharts-cartesian-grid').boundingBox())!;
      expect(plot.height, `${demo}: ${chart}`).toBeGreaterThanOrEqual(75);
    }
    // A caption cut to one line keeps all of it in its title.
    for (const caption of await page.locator('.chart-caption').all()) expect(await caption.getAttribute('title')).toBe(await caption.textContent());
  }
  await page.screenshot({ path: 'test-results/normal-1280x720-last-demo.png' });
  // The demo's caption: its first line, and the rest behind More.
  const caption = page.getByTestId('preset-caption');
  const oneLine = (await caption.boundingBox())!.height;
  await caption.getByRole('button', { name: 'More' }).click();
  await expect(caption.getByRole('button', { name: 'Less' })).toHaveAttribute('aria-expanded', 'true');
  expect((await caption.boundingBox())!.height).toBeGreaterThan(oneLine * 1.5);
  await caption.getByRole('button', { name: 'Less' }).click();
  expect((await caption.boundingBox())!.height).toBe(oneLine);
});

test.describe('at 150% zoom on a 1280x720 laptop (853 x 480 CSS px)', () => {
  test.use({ viewport: { width: 853, height: 480 }, deviceScaleFactor: 1.5 });

  test('normal mode: the page scrolls as a whole, nothing sideways, each chart full width with a plot to read', async ({ page }) => {
    const errors = watchConsole(page);
    await page.goto('/?backend=wasm&preset=weight-decay-essential&steps=1000000');
    await waitForReady(page);
    await expect(page.getByRole('button', { name: 'Play' })).toBeInViewport();
    await page.getByRole('button', { name: 'Play' }).click();
    await expect(page.getByTestId('status')).toHaveText('running');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
    for (const chart of ['spectrum-chart', 'rank-chart', 'training-chart']) {
      await page.getByTestId(chart).scrollIntoViewIfNeeded();
      await expect(page.getByTestId(chart)).toBeInViewport({ ratio: 0.98 }); // the whole card on screen once scrolled to (but for subpixel rounding at 1.5x)
      const plot = (await page.getByTestId(chart).locator('.recharts-cartesian-grid').boundingBox())!;
      expect(plot.height, chart).toBeGreaterThanOrEqual(120);
      expect(plot.width, chart).toBeGreaterThanOrEqual(350); // one chart a row: in two columns the cards were 266 px wide
    }
    for (const name of ['Weight decay', 'Rank threshold']) {
      await page.getByRole('slider', { name }).scrollIntoViewIfNeeded();
      await expect(page.getByRole('slider', { name })).toBeInViewport();
    }
    await page.screenshot({ path: 'test-results/normal-150-percent.png', fullPage: true });
    expect(errors).toEqual([]);
  });
});
