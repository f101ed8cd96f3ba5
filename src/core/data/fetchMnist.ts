// Browser/worker side of MNIST loading: fetch the bytes of public/data/mnist.bin.
// Deliberately tiny and free of Node imports so the browser bundle never pulls in `fs`
// (the Node counterpart is src/node/mnistFile.ts).

import { checkMnistChecksum, hasMnistMagic, MNIST_UNAVAILABLE_MESSAGE } from './mnistFormat';

/** Path of the data file relative to the site base (Vite serves public/ at the base URL). */
export const MNIST_BIN_PATH = 'data/mnist.bin';

/**
 * Fetch the MNIST binary. Throws a clear error if the request fails, is not 2xx,
 * or returns something that is not the binary (a dev server answers a missing
 * file with its index.html and status 200, so the magic bytes are checked).
 * In a worker, pass an absolute URL: relative URLs resolve against the worker script.
 */
export async function fetchMnist(url: string | URL): Promise<ArrayBuffer> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`${MNIST_UNAVAILABLE_MESSAGE} (fetching ${String(url)} failed: ${why}).`);
  }
  if (!response.ok) {
    throw new Error(`${MNIST_UNAVAILABLE_MESSAGE} (${String(url)}: HTTP ${response.status} ${response.statusText}).`);
  }
  const buffer = await response.arrayBuffer();
  if (!hasMnistMagic(buffer)) {
    const type = response.headers.get('content-type') ?? 'unknown type';
    throw new Error(`${MNIST_UNAVAILABLE_MESSAGE} (${String(url)} returned ${buffer.byteLength} bytes of ${type}, not the MNIST binary).`);
  }
  try {
    checkMnistChecksum(buffer, 'the MNIST file');
  } catch (err) {
    throw new Error(`${MNIST_UNAVAILABLE_MESSAGE} (${(err as Error).message}).`);
  }
  return buffer;
}
