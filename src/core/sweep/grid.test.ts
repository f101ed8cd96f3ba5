import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse';
import { gridSize, gridToText, parseGrid } from './grid';

const base = parseConfig({}).config;

describe('the grid codec', () => {
  it('reads axes and values, and writes back the same text', () => {
    const text = 'batchSize=8,32,128;weightDecay=0,0.005,0.01,0.02';
    const { grid, problems } = parseGrid(text, base);
    expect(problems).toEqual([]);
    expect(grid).toEqual([{ field: 'batchSize', values: [8, 32, 128] }, { field: 'weightDecay', values: [0, 0.005, 0.01, 0.02] }]);
    expect(gridToText(grid)).toBe(text);
    expect(gridSize(grid)).toBe(12);
    expect(parseGrid(gridToText(grid), base).grid).toEqual(grid);
  });

  it('tolerates spaces and empty parts', () => {
    expect(parseGrid(' learningRate = 0.05 , 0.1 ; ; ', base)).toEqual({ grid: [{ field: 'learningRate', values: [0.05, 0.1] }], problems: [] });
  });

  it('checks every value against the settings table, keeping the valid ones and naming the rest', () => {
    const { grid, problems } = parseGrid('batchSize=0,8,3.5,abc,8;learningRate=5;depth=3;weightDecay=0.01;weightDecay=0.02', base);
    expect(grid).toEqual([{ field: 'batchSize', values: [8] }, { field: 'weightDecay', values: [0.01] }]);
    expect(problems).toHaveLength(8);
    expect(problems.join('\n')).toMatch(/batchSize.*0/);
    expect(problems.join('\n')).toMatch(/3\.5/);
    expect(problems.join('\n')).toMatch(/abc/);
    expect(problems.join('\n')).toMatch(/listed twice/);
    expect(problems.join('\n')).toMatch(/learningRate has no valid value/);
    expect(problems.join('\n')).toMatch(/"depth" is not one of them/);
    expect(problems.join('\n')).toMatch(/weightDecay is given twice/);
  });

  it('checks values against the rest of the config (BatchNorm needs two samples a batch)', () => {
    const { grid, problems } = parseGrid('batchSize=1,2', { ...base, batchNorm: true });
    expect(grid).toEqual([{ field: 'batchSize', values: [2] }]);
    expect(problems).toHaveLength(1);
  });

  it('says so when the grid is empty', () => {
    expect(parseGrid('', base).problems).toHaveLength(1);
    expect(parseGrid(';', base).grid).toEqual([]);
  });
});
