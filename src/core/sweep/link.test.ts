import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse';
import { LINK_KEYS } from '../config/query';
import { gridToText } from './grid';
import { DEFAULT_GRID_TEXT, SWEEP_LINK_KEYS, sweepFromParams, sweepToParams } from './link';

const base = parseConfig({}).config;
const read = (query: string) => sweepFromParams(new URLSearchParams(query), base);

describe('a sweep in the share link', () => {
  it('round-trips: the link the page writes reads back to the same sweep, with no problem', () => {
    const { sweep, problems } = read('view=sweep&grid=learningRate%3D0.05%2C0.1%3BweightDecay%3D0%2C0.02&seeds=3&basis=epochs');
    expect(problems).toEqual([]);
    expect(sweep).toEqual({ view: 'sweep', grid: [{ field: 'learningRate', values: [0.05, 0.1] }, { field: 'weightDecay', values: [0, 0.02] }], seeds: 3, basis: 'epochs' });
    const again = read(sweepToParams(sweep, base));
    expect(again).toEqual({ sweep, problems: [] });
  });

  it('leaves a plain lab link alone, and defaults to the paper\'s directions', () => {
    const { sweep, problems } = read('batchSize=8');
    expect(problems).toEqual([]);
    expect(sweep.view).toBe('lab');
    expect(gridToText(sweep.grid)).toBe(DEFAULT_GRID_TEXT);
    expect(sweepToParams(sweep, base)).toBe('');
  });

  it('repairs what is broken, with a notice for each part', () => {
    const { sweep, problems } = read('view=graph&grid=depth%3D3&seeds=0&basis=weekly');
    expect(sweep).toMatchObject({ view: 'lab', seeds: 1, basis: 'steps' });
    expect(gridToText(sweep.grid)).toBe(DEFAULT_GRID_TEXT);
    expect(problems).toHaveLength(5);
    const three = read('grid=' + encodeURIComponent('batchSize=8;learningRate=0.1;weightDecay=0'));
    expect(three.sweep.grid.map((a) => a.field)).toEqual(['batchSize', 'learningRate']);
    expect(three.problems.join()).toMatch(/first two are used/);
  });

  it('uses keys the config codec knows as link keys (so they are not reported as unknown settings)', () => {
    for (const key of SWEEP_LINK_KEYS) expect(LINK_KEYS).toContain(key);
  });
});
