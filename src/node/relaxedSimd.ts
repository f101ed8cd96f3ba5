// Node 20's V8 accepts WebAssembly relaxed SIMD only behind a flag (Chrome 114+ and Node 22
// ship it). Turning it on before any module is compiled lets the SIMD engine use its
// fused multiply-add build in the CLI, the benchmark and the tests, as it does in a browser.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--experimental-wasm-relaxed-simd');
