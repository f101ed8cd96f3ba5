import { describe, expect, it } from 'vitest';
import { writeInSlices } from './savedRuns';

/** A stand-in for an IDBRequest: its success event is fired by the test. */
type Request = { onsuccess: (() => void) | null };

describe('writeInSlices', () => {
  it('issues every write in order, the next batch only from the success event of the previous batch\'s last request', () => {
    const issued: number[] = [];
    const requests: Request[] = [];
    const writes = Array.from({ length: 5 }, (_, i) => () => {
      issued.push(i);
      const r: Request = { onsuccess: null };
      requests.push(r);
      return r as unknown as IDBRequest;
    });
    writeInSlices(writes, 0); // no time per batch: one write each
    expect(issued).toEqual([0]);
    requests[0].onsuccess!();
    expect(issued).toEqual([0, 1]);
    for (let k = 1; k < 4; k++) requests[k].onsuccess!();
    expect(issued).toEqual([0, 1, 2, 3, 4]);
    expect(requests[4].onsuccess).toBeNull(); // nothing waits on the last
  });

  it('issues what fits in one batch at once', () => {
    const issued: number[] = [];
    writeInSlices(Array.from({ length: 50 }, (_, i) => () => { issued.push(i); return { onsuccess: null } as unknown as IDBRequest; }), 1000);
    expect(issued).toHaveLength(50);
  });
});
