// The --out folder of `npm run train` and `npm run sweep`: made and checked before anything
// trains, so a bad path fails in a second rather than after the run.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Make DIR (and check a file can be written in it) before any training: a bad path fails in a
 * second, not after the sweep. Folder by folder: Node's recursive mkdir spins forever under /proc.
 */
export function prepareOut(dir: string): string | null {
  if (dir.trim() === '') return '--out is empty: give the folder to write into';
  try {
    const target = resolve(dir);
    const missing: string[] = [];
    let existing = target;
    while (!existsSync(existing)) {
      missing.unshift(existing);
      const up = dirname(existing);
      if (up === existing) break;
      existing = up;
    }
    if (!statSync(existing).isDirectory()) return `cannot write to --out ${dir}: ${existing} is not a folder`;
    for (const folder of missing) {
      // Shards of one sweep start together and may make the same folder at once: one of them wins.
      try { mkdirSync(folder); } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; }
    }
    const probe = join(target, `.ranklab-write-test-${process.pid}`);
    writeFileSync(probe, '');
    unlinkSync(probe);
    return null;
  } catch (err) {
    return `cannot write to --out ${dir}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * Clear an earlier `npm run train` run out of `dir` (its run.json, top-level .npy files, init/ and
 * final/), so a shallower network does not leave the old fc4..fc6.npy beside the new run.json. Only
 * when dir's run.json says the CLI wrote it; anything else in the folder is left alone.
 */
export function clearEarlierRun(dir: string): void {
  let earlier = false;
  try {
    earlier = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).writtenBy === 'cli';
  } catch { /* no run.json, or not ours */ }
  if (!earlier) return;
  for (const name of readdirSync(dir)) {
    if (name === 'run.json' || name.endsWith('.npy')) rmSync(join(dir, name));
    else if (name === 'init' || name === 'final') rmSync(join(dir, name), { recursive: true, force: true });
  }
}
