import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configToQuery, defaultConfig } from '../core/config';
import { decodeNpy } from '../core/npy';
import { singularValues } from '../core/spectra/singularValues';
import { parseCliArgs } from './args';
import { runTrainCommand } from './trainCommand';

describe('CLI arguments', () => {
  it('reads every config field by its own name, a share link, and the tool flags', () => {
    const link = 'https://lab.example/?' + configToQuery({ ...defaultConfig(), seed: 7, width: 32 });
    const o = parseCliArgs(['--config', link, '--batchSize', '16', '--batchNorm', '--weightDecay=0', '--out', 'x', '--backend', 'cpu']);
    expect(o.errors).toEqual([]);
    expect(o.config).toMatchObject({ seed: 7, width: 32, batchSize: 16, batchNorm: true, weightDecay: 0 });
    expect([o.out, o.backend]).toEqual(['x', 'cpu']);
  });

  it('rejects unknown flags and missing values, and repairs bad values with a warning', () => {
    expect(parseCliArgs(['--batchsize', '8']).errors[0]).toMatch(/unknown flag --batchsize/);
    expect(parseCliArgs(['--out']).errors[0]).toMatch(/--out needs a value/);
    expect(parseCliArgs(['--backend', 'tpu']).errors[0]).toMatch(/--backend must be one of/);
    const o = parseCliArgs(['--learningRate', '50']);
    expect(o.errors).toEqual([]);
    expect(o.config.learningRate).toBe(2);
    expect(o.problems[0].field).toBe('learningRate');
  });
});

describe('npm run train -- --out DIR', () => {
  it('writes run.json with every snapshot and .npy weights whose spectra match the last snapshot', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ranklab-cli-'));
    const lines: string[] = [];
    const code = await runTrainCommand(['--depth', '3', '--width', '16', '--steps', '60', '--snapshotEvery', '20', '--backend', 'cpu', '--out', out], (l) => lines.push(l));
    expect(code).toBe(0);
    expect(lines.some((l) => l.startsWith('step     60'))).toBe(true);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.backend).toBe('cpu');
    expect(run.config).toMatchObject({ depth: 3, width: 16, steps: 60 });
    expect(run.snapshots.map((s: { step: number }) => s.step)).toEqual([0, 20, 40, 60]);
    const last = run.snapshots[3];
    expect(Object.keys(last)).toEqual(expect.arrayContaining(['step', 'trainLoss', 'testAccuracy', 'layers']));
    expect(readdirSync(out).sort()).toEqual(['batches.npy', 'fc1.npy', 'fc2.npy', 'fc3.npy', 'final', 'init', 'run.json', 'split_test.npy', 'split_train.npy']);
    expect(readdirSync(join(out, 'init')).sort()).toEqual(['fc1.bias.npy', 'fc1.weight.npy', 'fc2.bias.npy', 'fc2.weight.npy', 'fc3.bias.npy', 'fc3.weight.npy']);
    const batches = decodeNpy(new Uint8Array(readFileSync(join(out, 'batches.npy'))));
    expect(batches.shape).toEqual([60, 8]);
    const split = decodeNpy(new Uint8Array(readFileSync(join(out, 'split_train.npy'))));
    expect(split.shape).toEqual([8000]);
    expect(Math.max(...(batches.data as Int32Array))).toBeLessThan(8000);
    for (const layer of last.layers) {
      expect(Object.keys(layer)).toEqual(expect.arrayContaining(['name', 'shape', 'singularValues', 'rank', 'stableRank']));
      const npy = decodeNpy(new Uint8Array(readFileSync(join(out, `${layer.name}.npy`))));
      expect(npy.shape).toEqual(layer.shape); // [d_out, d_in], PyTorch's layout
      const sv = singularValues(npy.data as Float32Array, npy.shape[0], npy.shape[1]);
      sv.forEach((s, i) => expect(Math.abs(s - layer.singularValues[i])).toBeLessThan(1e-9 * sv[0]));
    }
  });

  it('exits with 2 and a message on a bad command line', async () => {
    const lines: string[] = [];
    expect(await runTrainCommand(['--colour', 'red'], (l) => lines.push(l))).toBe(2);
    expect(lines[0]).toMatch(/unknown flag --colour/);
  });

  it('checks --out before training: an unusable folder or an empty name stops at once, saying why', async () => {
    for (const [out, why] of [['/proc/ranklab-x', /cannot write to --out \/proc\/ranklab-x/], ['', /--out is empty/]] as const) {
      const lines: string[] = [];
      const started = performance.now();
      // 10^6 steps: reaching the end would take minutes, so a quick return means nothing trained.
      expect(await runTrainCommand(['--steps', '1000000', '--out', out], (l) => lines.push(l))).toBe(2);
      expect(performance.now() - started).toBeLessThan(5000);
      expect(lines.join('\n')).toMatch(why);
      expect(lines.some((l) => l.startsWith('step'))).toBe(false);
    }
  });

  it('a reused --out folder holds only the new run\'s files; other files are left alone', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ranklab-cli-'));
    const train = (depth: number) => runTrainCommand(['--depth', String(depth), '--width', '8', '--steps', '10', '--snapshotEvery', '10', '--out', out, '--quiet'], () => {});
    expect(await train(6)).toBe(0);
    expect(readdirSync(out)).toContain('fc6.npy');
    writeFileSync(join(out, 'notes.txt'), 'mine');
    expect(await train(3)).toBe(0);
    expect(readdirSync(out).filter((f) => /^fc\d+\.npy$/.test(f)).sort()).toEqual(['fc1.npy', 'fc2.npy', 'fc3.npy']);
    expect(readdirSync(join(out, 'init')).some((f) => f.startsWith('fc6'))).toBe(false);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('reads switches as switches: --steps --quiet is a missing value, --quiet=false is off; step 0 shows no loss', async () => {
    expect(parseCliArgs(['--steps', '--quiet']).errors[0]).toMatch(/--steps needs a value/);
    expect(parseCliArgs(['--quiet=false']).quiet).toBe(false);
    expect(parseCliArgs(['--quiet']).quiet).toBe(true);
    expect(parseCliArgs(['--quiet=maybe']).errors[0]).toMatch(/--quiet is on or off/);
    expect(parseCliArgs(['--batchNorm', 'false', '--steps', '5']).config).toMatchObject({ batchNorm: false, steps: 5 });
    expect(parseCliArgs(['--batchNorm', '--steps', '5']).config).toMatchObject({ batchNorm: true, steps: 5 });
    const lines: string[] = [];
    expect(await runTrainCommand(['--depth', '2', '--width', '8', '--steps', '10', '--snapshotEvery', '10'], (l) => lines.push(l))).toBe(0);
    const first = lines.find((l) => l.startsWith('step      0'))!;
    expect(first).toMatch(/loss       -/);
    expect(first).not.toMatch(/NaN/);
  });

  it('says what to do in its own words: a diverged run points at --learningRate', async () => {
    const lines: string[] = [];
    await runTrainCommand(['--steps', '40', '--snapshotEvery', '10', '--learningRate', '2', '--momentum', '0.99', '--weightDecay', '0'], (l) => lines.push(l));
    expect(lines.find((l) => l.includes('Training diverged'))).toMatch(/Run again with a lower --learningRate\.$/);
  });
});
