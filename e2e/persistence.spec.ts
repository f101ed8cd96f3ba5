import { expect, test, type Page } from '@playwright/test';
import { numberOf, stepPasses, waitForReady, watchConsole } from './helpers';

// Runs survive as a person meets it: a reload goes on where the run was, Recent runs reopens or
// compares kept runs, and broken or full storage is said without losing the page or the run.

/** The stored runs' summaries, read from the page's IndexedDB. */
function storedRuns(page: Page): Promise<{ id: string; step: number; status: string; config: { weightDecay: number } }[]> {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('ranklab');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('summaries')) { db.close(); resolve([]); return; }
      const all = db.transaction('summaries').objectStore('summaries').getAll();
      all.onsuccess = () => { db.close(); resolve(all.result); };
      all.onerror = () => reject(all.error);
    };
  }));
}

/** Train until past `step`, pause, and wait until the paused run is stored; returns the step it paused at. */
async function trainAndKeep(page: Page, step: number): Promise<number> {
  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, step);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('status')).toHaveText('paused');
  const at = await numberOf(page, 'step');
  await expect.poll(async () => (await storedRuns(page)).some((r) => r.step === at), { timeout: 15_000 }).toBe(true);
  return at;
}

const csvRows = async (page: Page) => {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  const { readFileSync } = await import('node:fs');
  return readFileSync((await file.path())!, 'utf8').trim().split('\n');
};

test('a reload goes on where the run was: same step, same history, and it trains on (WASM, momentum)', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchConsole(page);
  await page.goto('/?backend=wasm&momentum=0.5&snapshotEvery=25&steps=100000');
  await waitForReady(page);
  const at = await trainAndKeep(page, 400);
  const meanRank = await page.getByTestId('mean-rank').textContent();
  const before = await csvRows(page);

  await page.reload();
  await expect(page.getByTestId('notice-restored')).toContainText(`at step ${at}`, { timeout: 60_000 });
  await expect(page.getByTestId('step')).toHaveText(String(at));
  await expect(page.getByTestId('mean-rank')).toHaveText(meanRank!);
  await expect(page.getByTestId('status')).toHaveText('paused');
  expect(await csvRows(page)).toEqual(before); // the whole history, not just the last point

  await page.getByRole('button', { name: 'Play' }).click();
  await stepPasses(page, at + 100);
  // A snapshot lands after its step, once the measuring worker is done with it: wait for one past the checkpoint.
  await expect.poll(async () => Number((await csvRows(page)).at(-1)!.split(',')[0]), { timeout: 30_000 }).toBeGreaterThan(at);
  const after = await csvRows(page);
  expect(after.slice(0, before.length)).toEqual(before);
  expect(Number(after[1].split(',')[0])).toBe(0);

  // Reset starts afresh: a new stored run, the old one kept for Recent runs.
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.keyboard.press('r');
  await expect(page.getByTestId('step')).toHaveText('0');
  const fresh = await trainAndKeep(page, 50);
  expect((await storedRuns(page)).length).toBe(2);

  // A closed tab: the same link in a new one goes on with the newest kept run of these settings.
  const link = page.url();
  const context = page.context();
  await page.close();
  const again = await context.newPage();
  await again.goto(link);
  await expect(again.getByTestId('notice-restored')).toContainText(`at step ${fresh}`, { timeout: 60_000 });
  await expect(again.getByTestId('step')).toHaveText(String(fresh));
  expect(errors).toEqual([]);
});

test('a tab closed while it trains: the same link in a new tab goes on from the last checkpoint kept, history and all', async ({ context }) => {
  test.setTimeout(120_000);
  const link = '/?backend=wasm&snapshotEvery=25&steps=100000';
  const first = await context.newPage();
  const errors = watchConsole(first);
  await first.goto(link);
  await waitForReady(first);
  await first.getByRole('button', { name: 'Play' }).click();
  await stepPasses(first, 400);
  // Kept as it trains, not only when paused.
  const newestKept = async () => Math.max(0, ...(await storedRuns(first)).map((r) => r.step));
  await expect.poll(newestKept, { timeout: 30_000 }).toBeGreaterThanOrEqual(300);
  const kept = await newestKept();
  await expect(first.getByTestId('status')).toHaveText('running');
  expect(errors).toEqual([]);
  await first.close();

  const second = await context.newPage();
  await second.goto(link);
  const notice = second.getByTestId('notice-restored');
  await expect(notice).toContainText(/at step \d+/, { timeout: 60_000 });
  const at = Number((await notice.textContent())!.match(/at step (\d+)/)![1]);
  expect(at).toBeGreaterThanOrEqual(kept);
  await expect(second.getByTestId('step')).toHaveText(String(at));
  await expect(second.getByTestId('status')).toHaveText('paused');
  const rows = await csvRows(second);
  expect(rows.length).toBeGreaterThan(10); // the history came back with it (a snapshot every 25 steps)
  expect(Number(rows.at(-1)!.split(',')[0])).toBeLessThanOrEqual(at);
  await second.getByRole('button', { name: 'Play' }).click();
  await stepPasses(second, at + 100);
});

test('Recent runs keeps the newest 20', async ({ page }) => {
  await page.goto('/?steps=100000&backend=simd');
  await waitForReady(page);
  await trainAndKeep(page, 50);
  // 21 older copies of the kept run, as if from earlier visits.
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve) => { const o = indexedDB.open('ranklab'); o.onsuccess = () => resolve(o.result); });
    const t = db.transaction(['summaries', 'checkpoints'], 'readwrite');
    const [summary] = await new Promise<{ id: string; savedAt: number }[]>((resolve) => { const r = t.objectStore('summaries').getAll(); r.onsuccess = () => resolve(r.result); });
    const checkpoint = await new Promise((resolve) => { const r = t.objectStore('checkpoints').get(summary.id); r.onsuccess = () => resolve(r.result); });
    for (let i = 1; i <= 21; i++) {
      t.objectStore('summaries').put({ ...summary, id: `older-${i}`, savedAt: summary.savedAt - i * 60_000 });
      t.objectStore('checkpoints').put(checkpoint, `older-${i}`);
    }
    await new Promise((resolve) => { t.oncomplete = resolve; });
    db.close();
  });
  expect((await storedRuns(page)).length).toBe(22);
  await page.keyboard.press('r'); // a new run: kept from its first checkpoint on, and the oldest go
  await trainAndKeep(page, 50);
  const kept = await storedRuns(page);
  expect(kept.length).toBe(20);
  expect(kept.map((r) => r.id)).not.toContain('older-21');
  expect(kept.map((r) => r.id)).not.toContain('older-20');
  expect(kept.map((r) => r.id)).toContain('older-18');
});

test('Recent runs: open a kept run, draw one as the comparison, delete one; damaged stored runs are skipped with a notice', async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchConsole(page);
  await page.goto('/?weightDecay=0&steps=100000&backend=simd');
  await waitForReady(page);
  const withoutDecay = await trainAndKeep(page, 300);
  await page.goto('/?steps=100000&backend=simd');
  await waitForReady(page);
  await expect(page.getByTestId('notice-restored')).toHaveCount(0); // other settings: a fresh run
  await trainAndKeep(page, 300);

  await page.getByRole('button', { name: 'Recent runs' }).click();
  const list = page.getByRole('dialog', { name: 'Recent runs' });
  await expect(list.getByTestId('recent-run')).toHaveCount(2);
  await expect(list.getByTestId('recent-run').first()).toContainText('(on screen)');
  const older = list.getByTestId('recent-run').nth(1);
  await expect(older).toContainText('weight decay 0');
  await expect(older.getByTestId('recent-numbers')).toContainText(`step ${withoutDecay.toLocaleString('en-US')} of 100,000`);

  // Compare: the kept run dashed behind this one, named by what differs.
  await older.getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByTestId('reference')).toContainText('differs in Weight decay 0');
  await expect(page.getByTestId('rank-chart')).toContainText('Stored run: Weight decay 0');
  expect(await numberOf(page, 'comparison-mean-rank')).toBeGreaterThan(await numberOf(page, 'mean-rank'));
  await page.getByRole('button', { name: 'Stop comparing' }).click();
  await expect(page.getByTestId('reference')).toHaveCount(0);

  // Open: its settings and history, paused where it was; Esc closes the list.
  await page.getByRole('button', { name: 'Recent runs' }).click();
  await list.getByTestId('recent-run').nth(1).getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('notice-restored')).toContainText(`at step ${withoutDecay}`);
  await expect(page.getByTestId('step')).toHaveText(String(withoutDecay));
  expect(page.url()).toContain('weightDecay=0');
  await page.getByRole('button', { name: 'Recent runs' }).click();
  await expect(list).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(list).toHaveCount(0);

  // Damage: one summary from an older format, one run whose checkpoint is junk.
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve) => { const o = indexedDB.open('ranklab'); o.onsuccess = () => resolve(o.result); });
    const summaries = await new Promise<{ id: string; config: { weightDecay: number } }[]>((resolve) => {
      const r = db.transaction('summaries').objectStore('summaries').getAll(); r.onsuccess = () => resolve(r.result);
    });
    const t = db.transaction(['summaries', 'checkpoints'], 'readwrite');
    t.objectStore('summaries').put({ id: 'old-format', format: 0, savedAt: Date.now() });
    t.objectStore('checkpoints').put({ version: 1, junk: true }, summaries.find((s) => s.config.weightDecay === 0)!.id);
    await new Promise((resolve) => { t.oncomplete = resolve; });
    db.close();
  });
  await page.reload(); // this link's stored run now has a broken checkpoint
  await waitForReady(page);
  // The damaged run is removed; the other version's is left for it, and neither is shown.
  await expect(page.getByTestId('notice-stored-runs')).toContainText(/A stored run could not be read \(.*\) and was removed\./);
  await expect(page.getByTestId('notice-stored-runs')).toContainText('One stored run was kept by another version of RankLab and is not shown here.');
  await expect(page.getByTestId('step')).toHaveText('0'); // a fresh run instead, never a blank page
  await page.getByRole('button', { name: 'Recent runs' }).click();
  await expect(list.getByTestId('recent-run')).toHaveCount(1);
  await list.getByTestId('recent-run').first().getByRole('button', { name: 'Delete' }).click();
  await expect(list.getByText('No runs kept yet')).toBeVisible();
  expect(errors).toEqual([]);
});

test('storage full: the page says so and training goes on', async ({ page }) => {
  test.setTimeout(120_000);
  // Every write is refused as a full disk would refuse it.
  await page.addInitScript(() => {
    IDBObjectStore.prototype.put = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
  });
  await page.goto('/?steps=100000&backend=simd');
  await waitForReady(page);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('notice-storage')).toContainText('storage is full', { timeout: 30_000 });
  const step = await numberOf(page, 'step');
  await stepPasses(page, step + 200);
  await expect(page.getByTestId('status')).toHaveText('running');
});
