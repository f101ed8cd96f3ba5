/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { offline } from './scripts/offlinePlugin';

// Cross-origin isolation lets the WASM backend use threads (SharedArrayBuffer).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react(), offline()],
  // Relative URLs throughout: the built site works from any sub-path of any static host.
  base: './',
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  // Vite 8's default minifier (oxc) breaks the WASM backend's Emscripten glue in the
  // worker ("e is not defined"); esbuild's minifier keeps it working.
  build: { minify: 'esbuild' },
  test: {
    include: ['src/**/*.test.ts'],
    // Relaxed SIMD on, as in a browser and the CLI: both WebAssembly builds (plain and FMA) get tested.
    setupFiles: ['src/cli/relaxedSimd.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
