import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchMnist } from './fetchMnist';
import { readFileSync } from 'node:fs';
import { MNIST_BIN_FILE } from '../../node/mnistFile';
import { MNIST_MISSING_MESSAGE, MNIST_UNAVAILABLE_MESSAGE } from './mnistFormat';

/** The real file's bytes (only it passes the checksum). */
const real = () => new Uint8Array(readFileSync(MNIST_BIN_FILE)).buffer;

afterEach(() => vi.unstubAllGlobals());

describe('fetchMnist', () => {
  it('returns the bytes', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(real(), { status: 200 })));
    const buffer = await fetchMnist('http://localhost/data/mnist.bin');
    expect(buffer.byteLength).toBe(7_850_020);
  });

  it('refuses a file with a valid header but other bytes (random pixels), saying so to the person at the page', async () => {
    const damaged = new Uint8Array(real());
    for (let i = 1000; i < 2000; i++) damaged[i] = (i * 7919) & 255;
    vi.stubGlobal('fetch', vi.fn(async () => new Response(damaged.buffer, { status: 200 })));
    await expect(fetchMnist('http://localhost/data/mnist.bin')).rejects.toThrow(/the MNIST file is damaged: its checksum is/);
    await expect(fetchMnist('http://localhost/data/mnist.bin')).rejects.toThrow(MNIST_UNAVAILABLE_MESSAGE);
  });

  it('explains a 404', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('nope', { status: 404, statusText: 'Not Found' })));
    await expect(fetchMnist('http://localhost/data/mnist.bin')).rejects.toThrow(MNIST_UNAVAILABLE_MESSAGE);
    await expect(fetchMnist('http://localhost/data/mnist.bin')).rejects.toThrow(/HTTP 404/);
    await expect(fetchMnist('http://localhost/data/mnist.bin')).rejects.not.toThrow(/npm/); // the person at the page cannot run it
  });

  it('explains a network failure', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    await expect(fetchMnist('http://localhost/data/mnist.bin')).rejects.toThrow(/could not be loaded.*Failed to fetch/);
  });

  it('explains an HTML fallback page served with status 200', async () => {
    vi.stubGlobal('fetch', vi.fn(async () =>
      new Response('<!doctype html><html></html>', { status: 200, headers: { 'content-type': 'text/html' } })));
    await expect(fetchMnist('http://localhost/data/mnist.bin')).rejects.toThrow(/could not be loaded.*text\/html/);
  });
});

describe('readMnist (Node)', () => {
  it('explains a missing file', async () => {
    const { readMnist } = await import('../../node/mnistFile');
    expect(() => readMnist('/nonexistent/mnist.bin')).toThrow(MNIST_MISSING_MESSAGE);
  });
});
