import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { DefaultTooltipContentProps } from 'recharts';
import { pathOf, plainLinesTooltip } from './PlainLines';

const x = (v: unknown) => (v as number) * 10;
const y = (v: unknown) => 100 - (v as number);

describe('pathOf', () => {
  it('joins a series across the rows where it has no value, in row order', () => {
    const rows = [{ x: 0, a: 5 }, { x: 1, a: null }, { x: 2 }, { x: 3, a: 7 }, { x: 4, a: 8 }];
    expect(pathOf(rows, 'x', 'a', x, y)).toBe('M0.0,95.0L30.0,93.0L40.0,92.0');
  });

  it('leaves out values that are not finite and draws nothing for fewer than two points', () => {
    expect(pathOf([{ x: 0, a: NaN }, { x: 1, a: 3 }, { x: 2, a: Infinity }], 'x', 'a', x, y)).toBe('');
    expect(pathOf([], 'x', 'a', x, y)).toBe('');
  });

  it('leaves out points the scale cannot place (a log scale at zero)', () => {
    const log = (v: unknown) => -Math.log10(v as number);
    expect(pathOf([{ x: 0, a: 0 }, { x: 1, a: 1 }, { x: 2, a: 0.1 }], 'x', 'a', x, log)).toBe('M10.0,0.0L20.0,1.0');
  });
});

describe('plainLinesTooltip', () => {
  const series = ['fc1', 'fc2', 'fc10'].map((name, i) => ({ dataKey: `r${i}`, name, colour: '#000', width: 1, hoverDot: false }));
  const rows = [{ x: 100, r0: 9, r1: 8, r2: 7, mean: 8 }, { x: 200, r0: 6, r1: null, r2: 4, mean: 5 }];
  // As recharts' <Tooltip> hands its content the props: sorted by name unless the content says otherwise.
  const text = (label: number) => renderToStaticMarkup(createElement(plainLinesTooltip(rows, 'x', series), {
    label, itemSorter: 'name', payload: [{ dataKey: 'mean', name: 'mean', value: rows.find((r) => r.x === label)!.mean, graphicalItemId: 'mean' }],
  } as DefaultTooltipContentProps)).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

  it('names each plain line with its value at the step under the pointer, in the chart\'s order, then the recharts lines', () => {
    expect(text(100)).toMatch(/fc1 : 9 fc2 : 8 fc10 : 7 mean : 8/);
  });

  it('leaves out a line with no value there', () => {
    expect(text(200)).toMatch(/fc1 : 6 fc10 : 4 mean : 5/);
  });
});
