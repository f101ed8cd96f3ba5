// A checkpoint as IndexedDB stores it: its arrays cut into pieces, each written in a task of
// its own. A put serialises its value on the page's main thread: one put of a whole checkpoint
// (the ten-layer network's weights and momentum, ~1 MB) took 15-67 ms there, the longest task
// while training. The rest of the checkpoint (counters, settings, shapes) is the shell, with
// each array replaced by its length.

/**
 * Floats per piece: 32 KB. Chromium moves a value of 64 KB or more out to a blob, which takes a
 * round trip to the browser process within put(): a piece of 256 KB took 33 ms of the main thread
 * while training (a Chromium trace), one of 32 KB well under 1 ms.
 */
export const PIECE_FLOATS = 1 << 13;

/** Where the shell has an array: its length, the array itself being in the pieces. */
interface InPieces { inPieces: number }

const isInPieces = (v: unknown): v is InPieces =>
  typeof v === 'object' && v !== null && Object.keys(v).length === 1 && Number.isSafeInteger((v as InPieces).inPieces) && (v as InPieces).inPieces >= 0;

/** `value` with each Float32Array replaced by f(it), depth first in key order (the same order both ways). */
function mapArrays(value: unknown, f: (a: unknown) => unknown, isArray: (v: unknown) => boolean): unknown {
  if (isArray(value)) return f(value);
  if (Array.isArray(value)) return value.map((v) => mapArrays(v, f, isArray));
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapArrays(v, f, isArray)]));
  }
  return value;
}

export interface Pieces {
  shell: unknown;
  count: number;
  /**
   * The k-th piece, copied when asked for (a put of a view would write its whole buffer), so a
   * save can copy each piece in the task that writes it rather than the whole checkpoint at once.
   */
  piece(k: number): Float32Array;
}

/** The shell of `checkpoint` and its pieces. The checkpoint must not change until the last piece is taken. */
export function toPieces(checkpoint: object, pieceFloats = PIECE_FLOATS): Pieces {
  const cuts: { array: Float32Array; at: number }[] = [];
  const shell = mapArrays(checkpoint, (a) => {
    const array = a as Float32Array;
    for (let at = 0; at < array.length; at += pieceFloats) cuts.push({ array, at });
    return { inPieces: array.length } satisfies InPieces;
  }, (v) => v instanceof Float32Array);
  return {
    shell,
    count: cuts.length,
    piece: (k) => cuts[k].array.slice(cuts[k].at, cuts[k].at + pieceFloats),
  };
}

/** Every piece, in order. */
export const allPieces = (p: Pieces): Float32Array[] => Array.from({ length: p.count }, (_, k) => p.piece(k));

/**
 * The checkpoint from its shell and pieces, in the order written (a shell stored whole, with
 * its arrays in it, comes back as it is). Throws when the pieces do not fill the shell exactly;
 * what the checkpoint holds is checked by checkCheckpoint.
 */
export function fromPieces(shell: unknown, pieces: readonly unknown[]): unknown {
  // The size they were cut to is the longest piece's: only each array's last piece is shorter
  // (read so, a checkpoint stored in pieces of another size still loads).
  const pieceFloats = Math.max(0, ...pieces.map((p) => (p instanceof Float32Array ? p.length : 0)));
  let next = 0;
  const checkpoint = mapArrays(shell, (p) => {
    const length = (p as InPieces).inPieces;
    const array = new Float32Array(length);
    for (let at = 0; at < length; at += pieceFloats) {
      const piece = pieces[next++];
      const expected = Math.min(pieceFloats, length - at);
      if (!(piece instanceof Float32Array) || piece.length !== expected) throw new Error('the checkpoint\'s weights are incomplete');
      array.set(piece, at);
    }
    return array;
  }, isInPieces);
  if (next !== pieces.length) throw new Error('the checkpoint has weights it does not account for');
  return checkpoint;
}
