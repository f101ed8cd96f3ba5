import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../core/config/parse';
import { checkCommand, checkSweepCommand } from './checkCommand';

const config = defaultConfig();
const refusal = (data: unknown) => { const c = checkCommand(data); return 'refused' in c ? c.refused : null; };

describe('checkCommand: the worker acts only on commands the protocol and the settings table allow', () => {
  it('passes the commands the page sends as they are', () => {
    const start = { type: 'start', runId: 3, config, backend: 'wasm', compare: { weightDecay: 0 } };
    expect(checkCommand(start)).toEqual({ command: { ...start, backendCache: undefined } });
    expect(checkCommand({ type: 'update', changes: { learningRate: 0.05, batchSize: 32 } })).toEqual({ command: { type: 'update', changes: { learningRate: 0.05, batchSize: 32 } } });
    expect(checkCommand({ type: 'pause', junk: 1 })).toEqual({ command: { type: 'pause' } });
  });

  it('refuses everything else, saying why', () => {
    expect(refusal(undefined)).toMatch(/not a command \(undefined\)/);
    expect(refusal({ type: 'crash' })).toMatch(/no command is called "crash"/);
    expect(refusal({ type: 'start', runId: -1, config })).toMatch(/runId/);
    const { steps: _, ...noSteps } = config;
    expect(refusal({ type: 'reset', runId: 1, config: noSteps })).toMatch(/config lacks steps/);
    expect(refusal({ type: 'start', runId: 1, config: { ...config, batchSize: 1 }, compare: { batchNorm: true } })).toMatch(/the comparison: batchSize: BatchNorm needs/);
    expect(refusal({ type: 'start', runId: 1, config, compare: { rocket: 1 } })).toMatch(/rocket: not a setting/);
    expect(refusal({ type: 'step', runId: 1, config, backend: 'gpu' })).toMatch(/backend "gpu" is not one of/);
    expect(refusal({ type: 'resume', runId: 1, config })).toMatch(/checkpoint is not an object/);
    expect(refusal({ type: 'update', changes: { width: 64 } })).toMatch(/width cannot change while a run goes on/);
    expect(refusal({ type: 'update', changes: { eps: 'x' } })).toMatch(/eps: "x" is not a finite number/);
    expect(refusal({ type: 'drawing-signal', buffer: new ArrayBuffer(4) })).toMatch(/not a SharedArrayBuffer/);
  });

  it('drops damaged stored speed measurements instead of trusting them (the backends are timed again)', () => {
    const good = { key: 'k', figures: [], backend: 'simd', measuredAt: 1, ms: 1, cached: true };
    const checked = checkCommand({ type: 'start', runId: 1, config, backendCache: { k: good, bad: { key: 'bad', figures: [], backend: 'gpu', measuredAt: 1 }, worse: null } });
    expect('command' in checked && checked.command.type === 'start' && checked.command.backendCache).toEqual({ k: good });
  });
});

describe('checkSweepCommand: a sweep worker runs only cells within the settings table', () => {
  it('passes a cell and refuses a broken one', () => {
    const cell = { index: 2, params: { batchSize: 8 }, seed: 1, config };
    expect(checkSweepCommand({ type: 'cell', cell, points: 10 })).toEqual({ command: { type: 'cell', cell, points: 10 } });
    expect(checkSweepCommand(null)).toEqual({ refused: 'a message that is not a sweep cell' });
    const refused = checkSweepCommand({ type: 'cell', cell: { ...cell, config: { ...config, width: 1e6 } }, points: 0 });
    expect('refused' in refused && refused.refused).toMatch(/width: 1000000 is outside .*; points is not a whole number >= 1/);
  });
});
