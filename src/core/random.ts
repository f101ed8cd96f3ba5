// Seeded pseudo-random numbers for everything that must replay exactly:
// data splits, initial weights, mini-batch sampling, synthetic data.
//
// Generator: xoshiro128** (Blackman & Vigna), 32-bit state words, seeded by
// splitmix32 so that nearby seeds give unrelated streams. Pure integer math,
// so the same seed yields the same numbers in every JS engine.

export interface Random {
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform in [0, 1) with 32 bits of randomness. */
  uniform(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box-Muller, one value per call, the pair's second is cached). */
  normal(): number;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

/**
 * A generator for `seed`, optionally on a named sub-stream: `createRandom(7, 'init')`
 * and `createRandom(7, 'batches')` are independent, so adding a draw in one place
 * never shifts the numbers used in another.
 */
export function createRandom(seed: number, stream = ''): Random {
  let mixed = seed >>> 0;
  for (let i = 0; i < stream.length; i++) {
    mixed = Math.imul(mixed ^ stream.charCodeAt(i), 0x01000193) >>> 0; // FNV-1a step
  }
  const sm = splitmix32(mixed);
  let s0 = sm(), s1 = sm(), s2 = sm(), s3 = sm();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  let spare: number | null = null;

  const nextUint32 = () => {
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
    s2 = (s2 ^ t) >>> 0;
    s3 = rotl(s3, 11);
    s0 >>>= 0; s1 >>>= 0;
    return result;
  };
  const uniform = () => nextUint32() / 4294967296;
  return {
    nextUint32,
    uniform,
    // Lemire-free simple rejection keeps it exactly uniform for any n < 2^32.
    int(n: number) {
      const limit = 4294967296 - (4294967296 % n);
      let x = nextUint32();
      while (x >= limit) x = nextUint32();
      return x % n;
    },
    normal() {
      if (spare !== null) { const v = spare; spare = null; return v; }
      let u = 0;
      while (u === 0) u = uniform();
      const v = uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
  };
}

/** Fisher-Yates shuffle in place with the given generator. */
export function shuffleInPlace<T>(items: T[] | Int32Array | Uint32Array, random: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
}
