import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const resolve = createRequire(import.meta.url).resolve;

/** tsx's loader, found from this file, for a child process that runs TypeScript (the command may be run from any folder). */
export const TSX_LOADER = pathToFileURL(resolve('tsx')).href;

// tsx's ESM API ("tsx/esm/api" under the import condition; require() would find its CommonJS twin).
const TSX_ESM_API = pathToFileURL(join(dirname(resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;

/**
 * The source of a worker_threads Worker (eval: true) that runs the TypeScript module at `url`:
 * Node 20 does not apply --import to a worker's loader, so the worker registers tsx itself.
 */
export const typeScriptWorkerSource = (url: URL): string =>
  `import(${JSON.stringify(TSX_ESM_API)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
