import { expect, test } from '@playwright/test';
import { numberOf, stepPasses, waitForReady, watchConsole } from './helpers';
import { PRESETS } from '../src/core/config/presets';

// The keyboard, as a lecturer at a projector uses it: every key on the page, never while typing.

test('Space, the arrow, R, E and the digits drive the lab; ? lists them; nothing fires while typing', async ({ page }) => {
  const errors = watchConsole(page);
  await page.goto('/?backend=wasm&steps=1000000&snapshotEvery=20');
  await waitForReady(page);
  const status = page.getByTestId('status');

  await page.keyboard.press('Space');
  await expect(status).toHaveText('running');
  await stepPasses(page, 20);
  await page.keyboard.press('Space');
  await expect(status).toHaveText('paused');

  // One step (a snapshot interval) by the arrow, then by '.': the step moves on and the run stays paused.
  const settled = async () => {
    let last = -1;
    await expect.poll(async () => { const now = await numberOf(page, 'step'); const same = now === last; last = now; return same; }, { intervals: [300] }).toBe(true);
    return last;
  };
  const paused = await settled();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => numberOf(page, 'step')).toBeGreaterThan(paused);
  const stepped = await settled();
  await page.keyboard.press('.');
  await expect.poll(() => numberOf(page, 'step')).toBeGreaterThan(stepped);
  await expect(status).not.toHaveText('running');

  // A focused slider owns the arrows; R and Space pressed there reach nothing else.
  const slider = page.getByRole('slider', { name: 'Weight decay' });
  const here = await settled();
  await slider.focus();
  const value = await page.getByTestId('value-weightDecay').textContent();
  await slider.press('ArrowRight');
  await expect(page.getByTestId('value-weightDecay')).not.toHaveText(value!);
  await slider.press('r');
  await slider.press('Space');
  expect(await numberOf(page, 'step')).toBe(here); // neither R nor Space reached the lab
  await expect(status).not.toHaveText('running');
  await page.locator('body').click({ position: { x: 2, y: 2 } }); // focus back on the page

  // Typing in a number field (the seed): digits, letters and Space are the field's, not the lab's.
  const seed = page.getByRole('spinbutton', { name: 'Seed' });
  const demo = await page.getByLabel('Demo').inputValue();
  await seed.focus();
  for (const k of ['3', 'e', 'p', 'f', 'r', '?', ' ']) await seed.press(k);
  await expect(page.getByLabel('Demo')).toHaveValue(demo); // no demo picked by '3'
  await expect(page.getByLabel('Epochs on time axes')).not.toBeChecked();
  await expect(page.getByTestId('presentation')).toHaveCount(0);
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
  expect(await page.evaluate(() => document.fullscreenElement)).toBeNull();
  expect(await numberOf(page, 'step')).toBe(here);
  await expect(status).not.toHaveText('running');
  await seed.fill('1'); // the seed it had: nothing restarts
  await seed.press('Enter');
  await page.locator('body').click({ position: { x: 2, y: 2 } });

  await page.keyboard.press('e');
  await expect(page.getByLabel('Epochs on time axes')).toBeChecked();
  await expect(page).toHaveURL(/[?&]x=epoch/);
  await page.keyboard.press('e');
  await expect(page.getByLabel('Epochs on time axes')).not.toBeChecked();

  await page.keyboard.press('r');
  await expect.poll(() => numberOf(page, 'step')).toBe(0);

  // Digits pick the demos in the picker's order, every one of them.
  const pickerOrder = await page.getByLabel('Demo').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  expect(pickerOrder.slice(0, 9)).toEqual(PRESETS.slice(0, 9).map((p) => p.id));
  for (let k = Math.min(9, PRESETS.length); k >= 1; k--) {
    await page.keyboard.press(String(k));
    await expect(page.getByLabel('Demo')).toHaveValue(PRESETS[k - 1].id);
    if (k > 1) await expect(page).toHaveURL(new RegExp(`[?&]preset=${PRESETS[k - 1].id}(&|$)`)); // the first, the defaults, may leave the link bare
  }
  await page.keyboard.press('2');
  await expect(page.getByLabel('Demo')).toHaveValue(PRESETS[1].id);

  // ? lists every shortcut with its control on screen; Esc closes the list, and keys are inert while it is open.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  for (const text of ['Play or pause', 'Space', 'Reset the run', 'Steps or epochs', 'Full screen', 'Demo 1-']) await expect(help).toContainText(text);
  await page.keyboard.press('e');
  await expect(page.getByLabel('Epochs on time axes')).not.toBeChecked();
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  // The visible control opens the same list.
  await page.getByRole('button', { name: 'Keys' }).click();
  await expect(help).toBeVisible();
  await help.getByRole('button', { name: 'Close' }).click();
  await expect(help).toBeHidden();
  expect(errors).toEqual([]);
});

test('F and the Full screen button put the page in full screen and take it out', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await waitForReady(page);
  const fullScreen = () => page.evaluate(() => document.fullscreenElement !== null);
  await page.keyboard.press('f');
  await expect.poll(fullScreen).toBe(true);
  await page.keyboard.press('f');
  await expect.poll(fullScreen).toBe(false);
  await page.getByRole('button', { name: 'Full screen' }).click();
  await expect.poll(fullScreen).toBe(true);
});

test('the demo picker names the demo the settings are, and says custom once they differ', async ({ page }) => {
  await page.goto('/?backend=wasm');
  await waitForReady(page);
  await expect(page.getByLabel('Demo')).toHaveValue('default');
  const slider = page.getByRole('slider', { name: 'Weight decay' });
  await slider.focus();
  await slider.press('ArrowLeft');
  await expect(page.getByLabel('Demo')).toHaveValue('');
  await expect(page.getByLabel('Demo').locator('option:checked')).toHaveText('(custom settings)');
});
