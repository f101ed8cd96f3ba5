import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SweepFile } from '../core/sweep/result';
import { parseSweepArgs, runSweepCommand } from './sweepCommand';
import { ENTRY } from './sweepProcesses';
import { TSX_LOADER } from '../node/tsxLoader';

const GRID = ['--grid', 'batchSize=8,32;weightDecay=0,0.02', '--steps', '120', '--seeds', '2', '--width', '32', '--quiet'];
const tmp = () => mkdtempSync(join(tmpdir(), 'ranklab-sweep-'));
const read = (dir: string) => readFileSync(join(dir, 'sweep.json'), 'utf8');
/** A sweep's files with the seconds each cell took (the one field allowed to differ) set to 0. */
const withoutTimes = (text: string) => text.replace(/"seconds":[0-9.e+-]+/g, '"seconds":0');
/** `npm run sweep -- args` in a process of its own; resolves to its exit code. */
const cli = (args: string[]) => new Promise<number>((done, fail) => {
  execFile(process.execPath, ['--import', TSX_LOADER, ENTRY, ...args], (err) => {
    if (err && typeof err.code !== 'number') fail(err);
    else done(err ? Number(err.code) : 0);
  });
});
const run = async (args: string[]) => {
  const lines: string[] = [];
  const code = await runSweepCommand(args, (l) => lines.push(l));
  return { code, lines };
};

describe('npm run sweep', () => {
  it('gives the same cells whole, with --jobs 2, and as 3 shard processes merged', async () => {
    const [whole, jobs, merged] = [tmp(), tmp(), tmp()];
    expect((await run([...GRID, '--out', whole])).code).toBe(0);
    expect((await run([...GRID, '--jobs', '2', '--out', jobs])).code).toBe(0);
    // Shards as a cluster runs them: separate processes of the command, at the same time.
    const shardDirs = [tmp(), tmp(), tmp()];
    const codes = await Promise.all(shardDirs.map((dir, i) => cli([...GRID, '--shard', `${i}/3`, '--out', dir])));
    expect(codes).toEqual([0, 0, 0]);
    expect((await run(['--merge', ...shardDirs, '--out', merged])).code).toBe(0);

    const file = JSON.parse(read(whole)) as SweepFile;
    expect(file.cells).toHaveLength(8);
    expect(file.cells.every((c) => c.status === 'ok' && c.steps === 120 && c.ranks?.length === 4)).toBe(true);
    expect(withoutTimes(read(jobs))).toBe(withoutTimes(read(whole)));
    expect(withoutTimes(read(merged))).toBe(withoutTimes(read(whole)));
    const csv = (dir: string) => withoutTimes(readFileSync(join(dir, 'sweep.csv'), 'utf8').replace(/^((?:[^,]*,){9})[^,]*/gm, '$1'));
    expect(csv(merged)).toBe(csv(whole));
    expect(JSON.parse(read(shardDirs[1])).cells.map((c: { index: number }) => c.index)).toEqual([1, 4, 7]);
  }, 120_000);

  it('shows the paper\'s direction: the mean rank falls as weight decay rises', async () => {
    const dir = tmp();
    expect((await run(['--grid', 'weightDecay=0,0.01,0.04', '--steps', '1500', '--out', dir])).code).toBe(0);
    const ranks = (JSON.parse(read(dir)) as SweepFile).cells.map((c) => c.meanRank!);
    expect(ranks[1]).toBeLessThan(ranks[0]);
    expect(ranks[2]).toBeLessThan(ranks[1]);
    expect(ranks[2]).toBeLessThan(0.8 * ranks[0]);
  }, 60_000);

  it('refuses a bad grid, a bad --out or a failed merge before training, and says why', async () => {
    expect(parseSweepArgs(['--grid', 'depth=2', '--out', 'x']).errors[0]).toMatch(/"depth" is not one of them/);
    expect(parseSweepArgs(['--grid', 'weightDecay=0', '--out', 'x', '--compare', 'weightDecay=0']).errors.join()).toMatch(/no comparison run/);
    expect(parseSweepArgs(['--grid', 'weightDecay=0']).errors.join()).toMatch(/--out DIR is required/);
    expect(parseSweepArgs(['--grid', 'weightDecay=0', '--out', 'x', '--shard', '3/3', '--jobs', '0']).errors).toHaveLength(2);
    const started = performance.now();
    const bad = await run(['--grid', 'weightDecay=0,0.01', '--out', '/proc/ranklab-sweep']);
    expect(bad.code).toBe(2);
    expect(bad.lines.join('\n')).toMatch(/cannot write to --out \/proc\/ranklab-sweep/);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect((await run(['--grid', 'weightDecay=0', '--out', ''])).lines.join()).toMatch(/--out is empty/);
    const incomplete = tmp();
    expect((await run([...GRID, '--shard', '0/3', '--out', incomplete])).code).toBe(0);
    const merged = await run(['--merge', incomplete, '--out', tmp()]);
    expect(merged.code).toBe(2);
    expect(merged.lines.join()).toMatch(/hold 3 of 8 cells/);
    expect(existsSync(join(incomplete, 'sweep.csv'))).toBe(true);
  }, 60_000);
});
