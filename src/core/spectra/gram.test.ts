import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('the generated WebAssembly module', () => {
  it('was built from the current assembly/spectra.ts (else run node scripts/build-spectra-wasm.mjs)', () => {
    // The same FNV-1a hash over the source text as scripts/build-spectra-wasm.mjs writes into the header.
    const text = readFileSync(new URL('./assembly/spectra.ts', import.meta.url), 'utf8');
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
    const generated = readFileSync(new URL('./spectraWasm.generated.ts', import.meta.url), 'utf8');
    expect(generated.split('\n', 1)[0]).toContain(`(source hash ${hash.toString(16).padStart(8, '0')})`);
  });
});
