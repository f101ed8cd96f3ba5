import { expect, test } from '@playwright/test';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { stepPasses, waitForReady, watchConsole } from './helpers';

// The built site as someone hosts it: copied to a sub-folder of a plain static server.

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.bin': 'application/octet-stream', '.json': 'application/json' };

/** A static server with dist/ at /some/sub/path/ (and the isolation headers the README asks for). */
function serveUnderSubPath(prefix: string): Promise<{ server: Server; port: number }> {
  const dist = join(process.cwd(), 'dist');
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    if (!path.startsWith(prefix)) { res.writeHead(404).end(); return; }
    let file = normalize(join(dist, path.slice(prefix.length)));
    if (!file.startsWith(dist)) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}

test('the built site trains when served from a sub-path of a static host', async ({ page }) => {
  const errors = watchConsole(page);
  const { server, port } = await serveUnderSubPath('/courses/ml/ranklab/');
  try {
    await page.goto(`http://127.0.0.1:${port}/courses/ml/ranklab/?backend=wasm`);
    await waitForReady(page);
    await page.getByRole('button', { name: 'Play' }).click();
    await stepPasses(page, 100);
    await page.goto(`http://127.0.0.1:${port}/courses/ml/ranklab/?backend=simd`);
    await waitForReady(page);
    expect(errors).toEqual([]);
  } finally {
    server.close();
  }
});
