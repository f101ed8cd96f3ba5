import { expect, test } from '@playwright/test';
import { crashTrainingWorker, linesIn, numberOf, stepPasses, waitForReady, watchConsole } from './helpers';

// The lab as a lecturer uses it, in headless Chromium with WebGPU available on SwiftShader.

for (const backend of ['auto', 'simd', 'wasm', 'webgpu'] as const) {
  test(`Play trains and draws the charts (backend ${backend})`, async ({ page }) => {
    const errors = watchConsole(page);
    const started = Date.now();
    await page.goto(backend === 'auto' ? '/' : `/?backend=${backend}`);
    await page.getByRole('button', { name: 'Play' }).click();
    // WebGPU here is SwiftShader, a CPU pretending to be a GPU (~5 steps/s, and half that when the
    // shared machine is busy): it gets 90 s to pass step 100, every other backend 60 s.
    await stepPasses(page, 100, (backend === 'webgpu' ? 90_000 : 60_000) - (Date.now() - started));
    await expect.poll(() => linesIn(page, 'rank-chart'), { timeout: 60_000 }).toBeGreaterThan(1);
    expect(await linesIn(page, 'spectrum-chart')).toBeGreaterThan(1);
    await expect(page.getByTestId('snapshot-every')).toHaveText(/measured every \d+ steps/); // the measuring schedule is visible
    const shown = await page.getByTestId('backend').textContent();
    // On SwiftShader the automatic choice is the SIMD engine: a software adapter is a slow CPU.
    expect(shown).toContain(backend === 'auto' ? 'simd' : backend);
    if (backend === 'auto') await expect(page.getByTestId('backend-reason')).toContainText(/software .*swiftshader.*: using RankLab's WebAssembly SIMD engine/i);
    expect(errors).toEqual([]);
  });
}

test('moving the weight-decay slider while running reaches the next snapshot, and the run goes on', async ({ page }) => {
  await page.goto('/?backend=wasm&snapshotEvery=20');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, 60);
  const slider = page.getByRole('slider', { name: 'Weight decay' });
  await slider.focus();
  for (let i = 0; i < 10; i++) await slider.press('ArrowLeft');
  const newValue = await page.getByTestId('value-weightDecay').textContent();
  expect(newValue).not.toBe('0.025');
  await expect(page.getByTestId('snapshot-weight-decay')).toHaveText(String(Number(newValue)), { timeout: 30_000 });
  const after = await numberOf(page, 'step');
  await stepPasses(page, after + 40);
  await expect(page.getByTestId('notice-reset')).toHaveCount(0); // a live change, not a restart
  await page.getByRole('button', { name: 'Weight decay off' }).click();
  await expect(page.getByTestId('snapshot-weight-decay')).toHaveText('0', { timeout: 30_000 });
  await expect(page.getByTestId('theory-memory')).toContainText('infinite');
  await expect(page.getByTestId('no-ceiling')).toBeVisible();
  await expect(page.getByTestId('theory-rho')).toContainText('1.000');
});

test('changing the network restarts the run and says so', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, 50);
  await page.getByLabel('Depth').selectOption('3');
  await expect(page.getByTestId('notice-reset')).toContainText('depth');
  await expect(page.getByTestId('layer-ranks')).toHaveText(/^\S+\s+\S+\s+\S+$/, { timeout: 30_000 }); // three layers now
  await stepPasses(page, 20);
  await page.getByLabel('Model').selectOption('cnn'); // conv layers, measured as C_out x (C_in*k*k)
  await expect(page.getByTestId('notice-reset')).toContainText('model');
  await expect(page.getByTestId('layer-ranks')).toHaveText(/^\S+\/9(\s+\S+)+\s+\S+\/10$/, { timeout: 30_000 });
  await expect(page.getByTestId('notice-info')).toContainText('at most 64 channels'); // width 128 -> 64, and said
  await expect(page.getByLabel('Width')).toHaveValue('64');
  await stepPasses(page, 40);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a share link restores every control', async ({ page }) => {
  const link = '/?v=1&dataset=teacher&model=mlp&depth=3&width=32&batchNorm=true&activation=tanh&batchSize=32&learningRate=0.05' +
    '&weightDecay=0.001&momentum=0&lrSchedule=constant&lrDecaySteps=&lrDecayFactor=0.2&steps=3000&seed=42&eps=0.0001&snapshotEvery=50&backend=wasm&x=epoch';
  await page.goto(link);
  await expect(page.getByTestId('value-batchSize')).toHaveText('32');
  await expect(page.getByTestId('value-learningRate')).toHaveText('0.05');
  await expect(page.getByTestId('value-weightDecay')).toHaveText('0.001');
  await expect(page.getByTestId('value-eps')).toHaveText('1e-4');
  await expect(page.getByRole('slider', { name: 'Batch size' })).toHaveValue('5');
  await expect(page.getByLabel('Dataset')).toHaveValue('teacher');
  await expect(page.getByLabel('Model')).toHaveValue('mlp');
  await expect(page.getByLabel('Depth')).toHaveValue('3');
  await expect(page.getByLabel('Width')).toHaveValue('32');
  await expect(page.getByLabel('Activation')).toHaveValue('tanh');
  await expect(page.getByLabel('BatchNorm')).toBeChecked();
  await expect(page.getByLabel('Seed')).toHaveValue('42');
  await expect(page.getByLabel('Steps')).toHaveValue('3000');
  await expect(page.getByLabel('Backend')).toHaveValue('wasm');
  await expect(page.getByLabel('Epochs on time axes')).toBeChecked();
  await expect(page.getByTestId('rank-chart')).toContainText('Epoch');
  await expect(page.getByRole('status').filter({ hasText: 'repaired' })).toHaveCount(0);
  await page.getByLabel('Epochs on time axes').uncheck(); // the address bar follows the toggle
  await expect.poll(() => page.url()).not.toContain('x=epoch');
  await waitForReady(page);
  await expect(page.getByTestId('layer-ranks')).toHaveText(/^\S+\/32\s+\S+\/32\s+\S+\/10$/);
});

test('Copy link puts the current settings on the clipboard, and that link reopens them', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/?backend=wasm');
  await waitForReady(page);
  await page.getByRole('slider', { name: 'Batch size' }).press('ArrowRight'); // 8 -> 16
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByText('Link copied')).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('batchSize=16');
  expect(copied).toContain('play=1');
  expect(page.url()).toContain('batchSize=16'); // the address bar follows the controls
  await page.goto(copied);
  await expect(page.getByTestId('value-batchSize')).toHaveText('16');
  await stepPasses(page, 10); // play=1 starts training by itself
});

test('a garbage link shows what was repaired, injects nothing, and the lab still trains', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?v=9&batchSize=lots&learningRate=99&colour=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&model=%3Cb%3Ebold%3C%2Fb%3E&backend=quantum&x=sideways');
  const notice = page.getByTestId('notice-link');
  await expect(notice).toContainText('batchSize');
  await expect(notice).toContainText('sideways');
  await expect(notice).toContainText('learningRate');
  await expect(notice).toContainText('newer');
  await expect(notice).toContainText('backend');
  await expect(page.locator('img, b')).toHaveCount(0);
  await expect(page.getByTestId('value-learningRate')).toHaveText('2');
  await page.getByRole('slider', { name: 'Learning rate' }).press('Home'); // the lab is usable: pick a sane rate
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, 50);
  expect(errors).toEqual([]);
});

test('keyboard only: every control is reachable and operable', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await waitForReady(page);
  const names = ['Play', 'Step', 'Reset', 'Copy link', 'Epochs on time axes', 'Batch size', 'Learning rate', 'Weight decay', 'Rank threshold',
    'Model', 'Dataset', 'Depth', 'Width', 'Activation', 'Seed', 'BatchNorm', 'Steps', 'Backend', 'Layer'];
  const reached = new Set<string>();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const name = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const id = el.id;
      const label = id ? document.querySelector(`label[for="${CSS.escape(id)}"]`)?.textContent : null;
      return (el.getAttribute('aria-label') ?? label ?? el.closest('label')?.textContent ?? el.textContent ?? '').trim();
    });
    reached.add(name);
  }
  for (const n of names) expect([...reached], n).toContain(n);
  // Operate: focus the batch-size slider by keyboard and move it, then start with Enter.
  await page.getByRole('slider', { name: 'Batch size' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('value-batchSize')).toHaveText('16');
  await page.getByRole('button', { name: 'Play' }).focus();
  await page.keyboard.press('Enter');
  await stepPasses(page, 20);
  await page.getByRole('button', { name: 'Pause' }).focus();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('status')).toHaveText(/paused/);
  const paused = await numberOf(page, 'step');
  await page.getByRole('button', { name: 'Step' }).focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => numberOf(page, 'step')).toBeGreaterThan(paused);
  // Pressing Play with the keyboard does not lose the focus (the button becomes unavailable, not disabled).
  await page.getByRole('button', { name: 'Play' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('status')).toHaveText(/running/);
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Play');
  await page.getByRole('button', { name: 'Pause' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('status')).toHaveText(/paused/);
});

test('a diverging run stops with a message and one click goes back to good settings', async ({ page }) => {
  await page.goto('/?backend=wasm&learningRate=2&momentum=0.99&weightDecay=0&snapshotEvery=10');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  const notice = page.getByTestId('notice-diverged');
  await expect(notice).toContainText(/diverged/, { timeout: 60_000 });
  await expect(page.getByTestId('status')).toHaveText(/diverged/);
  await notice.getByRole('button', { name: /Back to last good settings/ }).click();
  await expect(notice).toHaveCount(0);
  await expect(page.getByTestId('value-learningRate')).toHaveText('0.1');
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, 20);
});

test('after a divergence, a lower learning rate and Play start a fresh run instead of continuing the broken one', async ({ page }) => {
  await page.goto('/?backend=wasm&learningRate=2&momentum=0.99&weightDecay=0&snapshotEvery=10');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('notice-diverged')).toContainText(/diverged/, { timeout: 60_000 });
  await page.getByRole('slider', { name: 'Learning rate' }).press('Home');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('notice-diverged')).toHaveCount(0);
  await stepPasses(page, 60); // several snapshots on: the weights are finite again
  await expect(page.getByTestId('status')).toHaveText(/running/);
  await expect(page.getByTestId('notice-diverged')).toHaveCount(0);
});

test('if the worker dies, the page says so and a new worker goes on from the last checkpoint, the history kept', async ({ page }) => {
  await page.goto('/?backend=wasm&steps=100000'); // long enough that it is still training at the second crash
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, 30);
  // Early on: the run's first chunk was checkpointed, so it goes on, not from step 0.
  await crashTrainingWorker(page);
  await expect(page.getByTestId('notice-crash')).toContainText(/goes on from step \d+/);
  const first = Number((await page.getByTestId('notice-crash').textContent())!.match(/from step (\d+)/)![1]);
  expect(first).toBeGreaterThan(0);
  await stepPasses(page, first + 30); // a new worker, training on
  await expect(page.getByTestId('status')).toHaveText(/running/);
  await page.getByTestId('notice-crash').getByRole('button', { name: 'Dismiss' }).click(); // read: the next notice is the next crash's
  // Later, again: on from a later checkpoint (every 4 s), and the history stays.
  await page.waitForTimeout(6000);
  await crashTrainingWorker(page);
  await expect(page.getByTestId('notice-crash')).toContainText(/goes on from step \d+/);
  const from = Number((await page.getByTestId('notice-crash').textContent())!.match(/from step (\d+)/)![1]);
  expect(from).toBeGreaterThan(first);
  expect(await numberOf(page, 'step')).toBeGreaterThanOrEqual(from);
  expect(await linesIn(page, 'rank-chart')).toBeGreaterThan(0); // the history is still drawn
  await stepPasses(page, from + 30);
  await expect(page.getByTestId('status')).toHaveText(/running/);
});

test('the mechanism panel: low-rank updates, the theory numbers follow the sliders, each explained on focus', async ({ page }) => {
  await page.goto('/?backend=wasm&snapshotEvery=20&batchSize=4');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, 40);
  // Every update of a dense layer has rank <= B: with B = 4 the inner layers' gradients have rank exactly 4.
  await expect(page.getByTestId('gradient-rank-fc2')).toHaveText('4 ≤ 4', { timeout: 30_000 });
  await expect(page.getByTestId('theory-rho')).toContainText('0.9950');
  await expect(page.getByTestId('theory-memory')).toContainText('1517 steps');
  await page.getByRole('slider', { name: 'Learning rate' }).press('ArrowRight'); // mu 0.1 -> 0.11
  await expect(page.getByTestId('theory-rho')).toContainText('0.9945');
  const rho = page.getByTestId('theory-rho');
  await rho.focus();
  await expect(rho.getByRole('tooltip')).toBeVisible();
  await expect(rho.getByRole('tooltip')).toContainText('1 - 2*mu*lambda');
});

test('every demo opens from its share link and trains (comparisons in lockstep)', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await waitForReady(page);
  const demos = await page.getByLabel('Demo').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  expect(demos.length).toBeGreaterThanOrEqual(7);
  // The picker writes the demo's whole link (the first demo here; src/state/url.test.ts checks that
  // every written link reads back as the state it came from); each demo is then opened from its link.
  await page.getByLabel('Demo').selectOption(demos[1]);
  expect(page.url()).toContain(`preset=${demos[1]}`);
  for (const id of demos) {
    await page.goto(`/?preset=${id}&backend=simd`); // the demo's networks on the engine the automatic choice picks here
    const link = page.url();
    await expect(page.getByLabel('Demo')).toHaveValue(id);
    await expect(page.getByTestId('preset-caption')).not.toBeEmpty();
    await waitForReady(page);
    await page.getByRole('button', { name: 'Play' }).click();
    await stepPasses(page, 5, 60_000);
    if (link.includes('compare=')) await expect(page.getByTestId('comparison-mean-rank')).toHaveText(/\d/, { timeout: 60_000 });
    await expect(page.getByRole('alert')).toHaveCount(0);
  }
});

test('a short demo link (?preset=ID, as typed from a slide) opens the whole demo with its comparison run', async ({ page }) => {
  await page.goto('/?preset=smaller-batch&backend=wasm');
  await expect(page.getByLabel('Demo')).toHaveValue('smaller-batch');
  await expect(page.getByTestId('value-learningRate')).toHaveText('0.2');
  await expect(page.getByTestId('value-weightDecay')).toHaveText('0.0125');
  await expect(page.getByRole('status').filter({ hasText: 'repaired' })).toHaveCount(0);
  expect(page.url()).toContain('compare=batchSize%3D64'); // the address bar now holds the full link
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('comparison-mean-rank')).toHaveText(/\d/, { timeout: 60_000 });
});

test('too much weight decay: the lab says the network has collapsed', async ({ page }) => {
  await page.goto('/?backend=wasm&weightDecay=0.2&snapshotEvery=100');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('notice-collapse')).toContainText(/Collapsed: .*chance/, { timeout: 90_000 });
  // The mechanism panel prints no ceiling the collapsed ranks would exceed.
  await expect(page.getByTestId('ceiling-collapsed')).toBeVisible({ timeout: 30_000 });
  for (const cell of await page.locator('[data-testid^="ceiling-fc"]').all()) await expect(cell).toHaveText('n/a');
});

test('the mechanism panel never prints a rank above its ceiling, and says when the theory does not apply (rho <= 0)', async ({ page }) => {
  await page.goto('/?backend=wasm&learningRate=1&weightDecay=0.6');
  await waitForReady(page);
  await expect(page.getByTestId('rho-not-positive')).toBeVisible();
  for (const cell of await page.locator('[data-testid^="ceiling-fc"]').all()) await expect(cell).toHaveText('n/a'); // not "none": there is weight decay
  await page.goto('/?backend=wasm&weightDecay=0.05&snapshotEvery=100');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, 300);
  await page.getByRole('button', { name: 'Pause' }).click();
  for (const row of await page.locator('[data-testid^="mechanism-fc"]').all()) {
    const [rank, ceiling] = [await row.locator('td').nth(1).textContent(), await row.locator('td').nth(3).textContent()];
    if (/^\d+$/.test(ceiling!)) expect(Number(rank!.split('/')[0])).toBeLessThanOrEqual(Number(ceiling));
  }
});

test('a run longer than ten seconds says how long it has left while it trains, and not once paused', async ({ page }) => {
  await page.goto('/?backend=wasm&steps=1000000');
  await waitForReady(page);
  await expect(page.getByTestId('time-left')).toHaveCount(0);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('time-left')).toHaveText(/^about \d+ (h|min)( \d+ (min|s))?$/, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('time-left')).toHaveCount(0);
});

test('moving the rank threshold while paused recounts the ranks on screen at once', async ({ page }) => {
  await page.goto('/?backend=wasm&steps=1000000&snapshotEvery=50');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, 600);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('status')).toHaveText('paused');
  await page.waitForTimeout(1500); // the last snapshot in flight lands
  const before = await page.getByTestId('mean-rank').textContent();
  const layersBefore = await page.getByTestId('layer-ranks').textContent();
  const slider = page.getByRole('slider', { name: 'Rank threshold' });
  await slider.focus();
  for (let i = 0; i < 6; i++) await slider.press('ArrowRight'); // a larger eps counts fewer values
  await expect(page.getByTestId('mean-rank')).not.toHaveText(before!);
  expect(Number(await page.getByTestId('mean-rank').textContent())).toBeLessThan(Number(before));
  await expect(page.getByTestId('layer-ranks')).not.toHaveText(layersBefore!);
  await expect(page.getByTestId('status')).toHaveText('paused'); // recounted, not retrained
});

test('Play on a finished run plays it again from step 0', async ({ page }) => {
  await page.goto('/?backend=wasm&steps=600&snapshotEvery=50');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('status')).toHaveText('finished', { timeout: 60_000 });
  expect(await numberOf(page, 'step')).toBe(600);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('status')).not.toHaveText('finished');
  await expect(page.getByTestId('status')).toHaveText('finished', { timeout: 60_000 });
  expect(await numberOf(page, 'step')).toBe(600);
});

test('the status line keeps its phrases apart: the run state is not glued to the speed figures', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await waitForReady(page);
  await expect(page.getByTestId('backend-line')).toContainText(/ · (idle|paused)/);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('backend-line')).toContainText(/wasm( \(\d+ threads\))? · running · measured every \d+ steps · /);
});

test('settings from a link that have no control on screen are shown while they are in force', async ({ page }) => {
  await page.goto('/?backend=wasm&momentum=0.9&lrSchedule=step&lrDecaySteps=500,1000');
  await waitForReady(page);
  await expect(page.getByTestId('hidden-settings')).toHaveText('Also in force: Momentum 0.9; LR schedule step; LR decay steps 500, 1000 steps');
  await page.goto('/?backend=wasm');
  await waitForReady(page);
  await expect(page.getByTestId('hidden-settings')).toHaveCount(0);
});

test('the charts\' captions follow the run: a collapse is not captioned as learning', async ({ page }) => {
  await page.goto('/?backend=wasm&weightDecay=0.2&snapshotEvery=100');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByTestId('notice-collapse')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('training-chart')).not.toContainText('keeps learning', { timeout: 10_000 });
  await expect(page.getByTestId('training-chart')).toContainText(/chance|down from its best/);
});

test('the spectrum chart draws step 0 faint and the comparison run dashed behind the spectra, and can hide them', async ({ page }) => {
  await page.goto('/?backend=wasm&preset=weight-decay-essential&snapshotEvery=50');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, 400);
  await page.getByRole('button', { name: 'Pause' }).click();
  const chart = page.getByTestId('spectrum-chart');
  await expect(chart.locator('.chart-legend')).toContainText('step 0 (faint)');
  await expect(chart.locator('.chart-legend')).toContainText('comparison run (dashed)');
  await expect.poll(() => chart.locator('path.plain-line[stroke-dasharray="7 4"]').count()).toBeGreaterThan(0);
  await expect.poll(() => chart.locator('path.plain-line[stroke$="59"]').count()).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/spectrum-overlays.png' });
  await chart.getByLabel('Overlays').uncheck();
  await expect(chart.locator('path.plain-line[stroke-dasharray="7 4"]')).toHaveCount(0);
  await expect(chart.locator('.chart-legend')).not.toContainText('step 0');
});

test('an explanation at the right edge of the screen stays on screen', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?backend=wasm');
  await waitForReady(page);
  const header = page.getByTestId('mechanism').getByText('init share');
  await header.hover();
  const tip = page.getByRole('tooltip', { name: /share of the current matrix/ });
  await expect(tip).toBeVisible();
  await expect.poll(async () => (await tip.boundingBox())!.x + (await tip.boundingBox())!.width).toBeLessThanOrEqual(1280);
  expect((await tip.boundingBox())!.x).toBeGreaterThanOrEqual(0);
});
