/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { offline } from './scripts/offlinePlugin';

// Cross-origin isolation lets the WASM backend use threads (SharedArrayBuffer).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * What a deployment of the built site should send (README, "Hosting"); the preview server, which
 * the e2e tests drive, sends it, so every test runs under it. Why each allowance:
 * 'wasm-unsafe-eval' compiles the WebAssembly engines; blob: in script-src and worker-src is the
 * WASM backend's thread workers, which tfjs builds from Blobs; blob: and data: images are the
 * chart downloads; inline styles are React's and Recharts' style attributes. Not in development,
 * whose hot reload injects inline scripts.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
const deploymentHeaders = {
  ...isolationHeaders,
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export default defineConfig({
  plugins: [react(), offline()],
  // Relative URLs throughout: the built site works from any sub-path of any static host.
  base: './',
  server: { headers: isolationHeaders },
  preview: { headers: deploymentHeaders },
  worker: { format: 'es' },
  // Vite 8's default minifier (oxc) breaks the WASM backend's Emscripten glue in the
  // worker ("e is not defined"); esbuild's minifier keeps it working.
  build: { minify: 'esbuild' },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    // Relaxed SIMD on, as in a browser and the CLI: both WebAssembly builds (plain and FMA) get tested.
    setupFiles: ['src/node/relaxedSimd.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
