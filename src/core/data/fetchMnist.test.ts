import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchMnist } from './fetchMnist';
import { MNIST_MISSING_MESSAGE } from './mnistFormat';

const binary = () => {
  const b = new Uint8Array(30);
  b.set([0x52, 0x4c, 0x4d, 0x4e]);
  return b.buffer;
};

afterEach(() => vi.unstubAllGlobals());

describe('fetchMnist', () => {
  it('returns the bytes', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(binary(), { status: 200 })));
    const buffer = await fetchMnist('http://localhost/data/mnist.bin');
    expect(buffer.byteLength).toBe(30);
  });

  it('explains a 404', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('nope', { status: 404, statusText: 'Not Found' })));
    await expect(fetchMnist('http://localhost/data/mnist.bin')).rejects.toThrow(MNIST_MISSING_MESSAGE);
    await expect(fetchMnist('http://localhost/data/mnist.bin')).rejects.toThrow(/HTTP 404/);
  });

  it('explains a network failure', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    await expect(fetchMnist('http://localhost/data/mnist.bin')).rejects.toThrow(/MNIST data file missing.*Failed to fetch/);
  });

  it('explains an HTML fallback page served with status 200', async () => {
    vi.stubGlobal('fetch', vi.fn(async () =>
      new Response('<!doctype html><html></html>', { status: 200, headers: { 'content-type': 'text/html' } })));
    await expect(fetchMnist('http://localhost/data/mnist.bin')).rejects.toThrow(/MNIST data file missing.*text\/html/);
  });
});

describe('readMnist (Node)', () => {
  it('explains a missing file', async () => {
    const { readMnist } = await import('../../cli/readMnist');
    expect(() => readMnist('/nonexistent/mnist.bin')).toThrow(MNIST_MISSING_MESSAGE);
  });
});
