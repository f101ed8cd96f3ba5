// A checkpoint as IndexedDB stores it: its arrays cut into pieces, each written in a task of
// its own. A put serialises its value on the page's main thread: one put of a whole checkpoint
// (the ten-layer network's weights and momentum, ~1 MB) took 15-67 ms there, the longest task
// while training. The rest of the checkpoint (counters, settings, shapes) is the shell, with
// each array replaced by its length.

/** Floats per piece: 256 KB, a few ms to serialise here. */
export const PIECE_FLOATS = 1 << 16;

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

/** The shell and the pieces of `checkpoint` (pieces are copies: a put of a view would write its whole buffer). */
export function toPieces(checkpoint: object, pieceFloats = PIECE_FLOATS): { shell: unknown; pieces: Float32Array[] } {
  const pieces: Float32Array[] = [];
  const shell = mapArrays(checkpoint, (a) => {
    const array = a as Float32Array;
    for (let at = 0; at < array.length; at += pieceFloats) pieces.push(array.slice(at, at + pieceFloats));
    return { inPieces: array.length } satisfies InPieces;
  }, (v) => v instanceof Float32Array);
  return { shell, pieces };
}

/**
 * The checkpoint from its shell and pieces, in the order written (a shell stored whole, with
 * its arrays in it, comes back as it is). Throws when the pieces do not fill the shell exactly;
 * what the checkpoint holds is checked by checkCheckpoint.
 */
export function fromPieces(shell: unknown, pieces: readonly unknown[], pieceFloats = PIECE_FLOATS): unknown {
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
