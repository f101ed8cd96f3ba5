import { expect, test, type Page } from '@playwright/test';
import { numberOf, stepPasses, waitForReady } from './helpers';

// What the screen says matches what it shows, checked as a person meets it.

test('while a lockstep comparison trains, each chart draws both runs up to the same step, and the numbers give both runs at one step', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?preset=weight-decay-essential&steps=100000&backend=wasm');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, 100);
  // Where each of recharts' lines ends, in the chart's pixels: in lockstep both runs are measured at
  // the same steps. (The rank chart's per-layer lines are drawn apart from recharts, a frame sooner.)
  const lineEnds = (chart: string) => page.getByTestId(chart).locator('path.recharts-line-curve').evaluateAll((paths) =>
    paths.map((p) => [...(p.getAttribute('d') ?? '').matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].at(-1)).filter((m) => m !== undefined).map((m) => Number(m![1])));
  // A line needs a second snapshot, which on a fast page can land after step 100 (the charts redraw
  // once a second): in CI the training chart had only step 0's, and so no line, at step 112.
  for (const chart of ['rank-chart', 'training-chart']) {
    await expect.poll(async () => (await lineEnds(chart)).length, { message: chart, timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  }
  for (let i = 0; i < 16; i++) {
    await page.waitForTimeout(230); // out of step with the charts' turns (150 ms apart, once a second)
    for (const chart of ['rank-chart', 'training-chart']) {
      const ends = await lineEnds(chart);
      expect(ends.length, chart).toBeGreaterThanOrEqual(2);
      expect(Math.max(...ends) - Math.min(...ends), `${chart}, sample ${i}: ${ends.join(', ')}`).toBeLessThanOrEqual(1);
    }
  }
  await expect(page.getByTestId('status')).toHaveText('running');
});

test('a demo that trains in about a second still draws its rank curve from a dozen snapshots or more', async ({ page }) => {
  // Measuring is spaced by its cost, but a short run asks for 40 snapshots (measureBudget.ts); one is
  // measured at a time, so this demo, which outpaces measuring, gets 12-14 here. On its budget
  // alone it was measured every 926 steps: a curve of three straight segments.
  await page.goto('/?preset=weight-decay-essential&backend=simd');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('status')).toHaveText('finished', { timeout: 90_000 });
  const points = await page.getByTestId('rank-chart').locator('path.recharts-line-curve').evaluateAll((paths) =>
    paths.map((p) => (p.getAttribute('d') ?? '').match(/[ML]/g)?.length ?? 0));
  expect(points.length).toBeGreaterThanOrEqual(2); // the run and its comparison
  for (const n of points) expect(n).toBeGreaterThanOrEqual(8);
  await expect(page.getByTestId('snapshot-every')).toHaveText(/measured every ([1-9]|[1-4]\d|50) steps/); // 2000 / 40 = 50 at most
});

test('hovering a comparison chart shows both runs at the step under the pointer, not at their last step', async ({ page }) => {
  await page.goto('/?preset=weight-decay-essential&backend=simd');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('status')).toHaveText('finished', { timeout: 90_000 });
  const finalRank = await numberOf(page, 'mean-rank');
  for (const chart of ['rank-chart', 'training-chart']) {
    await page.getByTestId(chart).scrollIntoViewIfNeeded(); // the charts' area scrolls on a small screen
    const grid = await page.getByTestId(chart).locator('.recharts-cartesian-grid').boundingBox();
    const tip = page.getByTestId(chart).locator('.recharts-tooltip-wrapper');
    const steps: number[] = [];
    for (const at of [0.2, 0.5, 0.8]) {
      await page.mouse.move(grid!.x + grid!.width * at, grid!.y + grid!.height / 2, { steps: 4 }); // a few moves: recharts acts on mousemove inside the plot
      await expect(tip).toContainText(/step \d+/);
      await expect(tip, chart).toContainText('Weight decay 0'); // the comparison run's value at that step too
      steps.push(Number((await tip.textContent())!.match(/step (\d+)/)![1]));
      if (chart === 'rank-chart' && at === 0.2) {
        // Early on, the run with weight decay still has its high rank, far above where it ends.
        const early = Number((await tip.textContent())!.match(/mean, Weight decay 0\.025 : ([\d.]+)/)![1]);
        expect(early).toBeGreaterThan(finalRank + 20);
      }
    }
    // The nearest snapshot to each position (snapshots are spaced by what measuring costs, so not evenly).
    expect(steps[0], chart).toBeLessThanOrEqual(steps[1]);
    expect(steps[1], chart).toBeLessThanOrEqual(steps[2]);
    expect(steps[0], chart).toBeLessThan(steps[2]);
    expect(steps[1], `${chart}: the middle of 2000 steps`).toBeLessThan(2000);
  }
  // The chart does not lag the numbers: its last point is the snapshot the numbers show.
  await page.getByTestId('rank-chart').scrollIntoViewIfNeeded();
  const grid = await page.getByTestId('rank-chart').locator('.recharts-cartesian-grid').boundingBox();
  await page.mouse.move(grid!.x + grid!.width - 1, grid!.y + grid!.height / 2, { steps: 4 });
  const tip = page.getByTestId('rank-chart').locator('.recharts-tooltip-wrapper');
  await expect(tip).toContainText('step 2000');
  await expect(tip).toContainText(`mean, Weight decay 0.025 : ${finalRank}`);
});

test('choosing a demo while paused: one Play trains it', async ({ page }) => {
  await page.goto('/?backend=simd');
  await waitForReady(page);
  await page.getByRole('combobox', { name: 'Demo' }).selectOption({ label: 'Weight decay is essential' });
  await expect(page.getByTestId('comparison-mean-rank')).toHaveText(/\d/, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('status')).toHaveText(/running|finished/); // its 2000 steps can be over within a second here
  await stepPasses(page, 100);
});

/** Rectangles of a chart's legend items and of its axes' tick labels, in page pixels. */
async function legendAndTicks(page: Page, chart: string) {
  return page.getByTestId(chart).evaluate((card) => {
    const box = (e: Element) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height, text: e.textContent ?? '' }; };
    return {
      legend: [...card.querySelectorAll('.chart-legend li')].map(box),
      ticks: [...card.querySelectorAll('.recharts-cartesian-axis-tick-value')].map(box).filter((b) => b.w > 0),
    };
  });
}

const overlap = (a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Every chart on screen: a plot of at least 60 px, legends clear of the tick labels, and tick labels clear of each other. */
async function checkCharts(page: Page, where: string, deep: boolean) {
  for (const chart of ['spectrum-chart', 'rank-chart', 'training-chart']) {
    await expect.poll(async () => (await legendAndTicks(page, chart)).ticks.length, { message: `${where} ${chart}` }).toBeGreaterThan(3);
    const { legend, ticks } = await legendAndTicks(page, chart);
    expect(legend.length, `${where} ${chart}`).toBeGreaterThan(0);
    const clashes = legend.flatMap((l) => ticks.filter((t) => overlap(l, t)));
    expect(clashes, `${where} ${chart}: legend items over tick labels`).toEqual([]);
    const touching = ticks.flatMap((a, i) => ticks.slice(i + 1).filter((b) => overlap(a, b)).map((b) => `${a.text} over ${b.text}`));
    expect(touching, `${where} ${chart}: tick labels over each other`).toEqual([]);
    // A plot, not a sliver: at least 60 px between its axes (the charts' area scrolls if the screen has no room).
    expect((await page.getByTestId(chart).locator('.recharts-cartesian-grid').boundingBox())!.height, `${where} ${chart}: plot height`).toBeGreaterThanOrEqual(60);
    // Ten layers are one legend item ("fc1–fc10"), so the legend leaves the plot its room.
    if (deep && chart !== 'training-chart') await expect(page.getByTestId(chart).locator('.chart-legend')).toContainText('fc1–fc10');
  }
}

test('plots of at least 60 px whose legends clear the axis ticks, and tick labels each other, at 1280x720, 1366x768 and 1920x1080, normal and presenting', async ({ page }) => {
  for (const demo of ['weight-decay-essential', 'paper-mlp-bn-accuracy-kept']) {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`/?preset=${demo}&snapshotEvery=50&steps=50000&backend=simd`); // steps: still training at Pause (2000 take ~0.3 s)
    await waitForReady(page);
    await page.getByRole('button', { name: 'Play' }).click();
    await stepPasses(page, 300);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByTestId('status')).toHaveText('paused');
    const deep = demo.startsWith('paper');
    const sizes = deep ? [[1280, 720]] : [[1280, 720], [1366, 768]];
    for (const present of [false, true]) {
      if (present) await page.keyboard.press('p');
      for (const [width, height] of present && !deep ? [[1280, 720], [1920, 1080]] : sizes) {
        await page.setViewportSize({ width, height });
        await page.waitForTimeout(400); // the charts measure their room again
        await checkCharts(page, `${demo} ${width}x${height}${present ? ' presenting' : ''}`, deep);
      }
    }
  }
});

test('controls show what runs: a width the list does not offer, and a scheduled learning rate as typed', async ({ page }) => {
  await page.goto('/?depth=10&width=100&batchNorm=true&lrSchedule=step&lrDecaySteps=100&lrDecayFactor=0.2&snapshotEvery=50&steps=100000&backend=simd');
  await waitForReady(page);
  await expect(page.getByRole('combobox', { name: 'Width' })).toHaveValue('100');
  await expect(page.getByRole('combobox', { name: 'Depth' })).toHaveValue('10');
  await page.getByRole('button', { name: 'Play' }).click();
  // A snapshot past step 100 (on a busy machine measuring is spaced wider than the 50 steps asked for).
  await expect(page.getByTestId('snapshot-learning-rate')).toHaveText('0.02', { timeout: 60_000 }); // 0.1 x 0.2 in float is 0.020000000000000004
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('status')).toHaveText('paused');
  await expect(page.getByTestId('snapshot-learning-rate')).toHaveText('0.02');
  await expect(page.getByTestId('layer-ranks')).toContainText('/100');
});

test('sliders show what runs: 0.00014 is not 1e-4, and batch size 100 sits between 64 and 128, whose arrows reach them', async ({ page }) => {
  await page.goto('/?batchSize=100&weightDecay=0.00014&snapshotEvery=20&backend=simd');
  await waitForReady(page);
  await expect(page.getByTestId('value-weightDecay')).toHaveText('1.4e-4');
  await expect(page.getByTestId('value-batchSize')).toHaveText('100');
  await expect(page.getByTestId('snapshot-weight-decay')).toHaveText('0.00014');
  const batch = page.getByRole('slider', { name: 'Batch size' });
  expect(Number(await batch.inputValue())).toBeCloseTo(Math.log2(100), 5);
  await batch.press('ArrowRight');
  await expect(page.getByTestId('value-batchSize')).toHaveText('128');
  await batch.press('ArrowLeft');
  await expect(page.getByTestId('value-batchSize')).toHaveText('64');
  await batch.press('ArrowLeft');
  await expect(page.getByTestId('value-batchSize')).toHaveText('32');
});

test('while the data file loads the page says so, and Pause calls off a Play pressed meanwhile', async ({ page, context }) => {
  let release!: () => void;
  const held = new Promise<void>((r) => { release = r; });
  await context.route('**/mnist.bin', async (route) => { await held; await route.continue(); });
  await page.goto('/?backend=simd');
  await expect(page.getByTestId('status')).toHaveText('loading', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.getByRole('button', { name: 'Pause' }).click();
  release();
  await waitForReady(page);
  await expect(page.getByTestId('status')).toHaveText('paused');
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('status')).toHaveText('paused');
  expect(await numberOf(page, 'step')).toBe(0); // nothing trained
});

test('a network that would be slow here is asked about first, with its estimated speed; Back returns to the network before; trained anyway, Pause acts at once', async ({ page }) => {
  await page.goto('/?backend=simd&learningRate=0.01&depth=8');
  await waitForReady(page);
  await page.getByRole('combobox', { name: 'Width' }).selectOption('1024');
  const notice = page.getByTestId('notice-slow');
  await expect(notice).toContainText(/^Width 1024 x depth 8 at batch size 8 is large for this machine: about \d+ steps\/s, and about [\d.]+ s for each measurement of its spectra/);
  // Nothing is built while the question is open: Play waits for the answer, and the old run's numbers are gone.
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForTimeout(1000);
  await expect(page.getByTestId('mean-rank')).toHaveText('');
  await expect(page.getByTestId('status')).toHaveText('idle');
  await notice.getByRole('button', { name: 'Back to the network before' }).click();
  await expect(page.getByRole('combobox', { name: 'Width' })).toHaveValue('128');
  await expect(page.getByTestId('notice-slow')).toHaveCount(0);
  await waitForReady(page);
  expect(page.url()).not.toContain('width=1024');

  await page.getByRole('combobox', { name: 'Width' }).selectOption('1024');
  await page.getByTestId('notice-slow').getByRole('button', { name: 'Train it anyway' }).click();
  await expect(page.getByTestId('notice-slow')).toHaveCount(0);
  await waitForReady(page);
  await expect(page.getByTestId('layer-ranks')).toContainText('/1024');
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, 5);
  await page.getByRole('button', { name: 'Pause' }).click();
  // A step of this network takes ~0.1 s here: Pause acts after it (it took 41 s before, behind the first measurement).
  await expect(page.getByTestId('status')).toHaveText('paused', { timeout: 2000 });
  // Asked once: the same network again is built without a question.
  await page.getByRole('button', { name: 'Reset' }).click();
  await waitForReady(page);
  await expect(page.getByTestId('notice-slow')).toHaveCount(0);
});

test('Pause acts within a second inside a step that takes longer (width 1024 x depth 12, batch size 512), and Play trains on from the run\'s last checkpoint', async ({ page }) => {
  await page.goto('/?backend=simd&depth=12&width=1024&batchSize=512&learningRate=0.01');
  await page.getByTestId('notice-slow').getByRole('button', { name: 'Train it anyway' }).click();
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, 2, 120_000);
  // Pause inside a step (1.2-1.6 s here): a step ends, the worker checkpoints it (up to ~0.3 s) and starts the next.
  const now = await numberOf(page, 'step');
  await expect.poll(() => numberOf(page, 'step'), { timeout: 60_000, intervals: [20] }).toBeGreaterThan(now);
  await page.waitForTimeout(600);
  await page.getByRole('button', { name: 'Pause' }).click();
  // Within a second on a quiet machine; under a full suite this page answered 4 polls a second, so the
  // test allows 2 s. What tells the two ways apart is the notice: a pause between steps has none.
  await expect(page.getByTestId('status')).toHaveText('paused', { timeout: 2000 });
  const notice = page.getByTestId('notice-info').filter({ hasText: 'Paused inside a long step' });
  await expect(notice).toBeVisible();
  const pausedAt = Number((await notice.textContent())!.match(/which was dropped: the run is at step (\d+)/)![1]);
  await expect.poll(() => numberOf(page, 'step')).toBe(pausedAt); // the screen goes back to where the run is
  // The new worker holds the run where the screen says, and trains on from there.
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, pausedAt + 1, 120_000);
  await expect(page.getByTestId('status')).toHaveText('running');
});
