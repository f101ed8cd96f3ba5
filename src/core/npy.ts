// NumPy .npy files (format version 1.0), so runs can hand weights and spectra
// to numpy without a converter: `np.load('w.npy')`.
//
// Layout: magic "\x93NUMPY", version bytes 1 0, a little-endian uint16 header
// length, then an ASCII Python dict literal padded with spaces and closed by
// '\n' so that the data starts at a multiple of 64 bytes, then the raw
// little-endian array in C (row-major) order. We write the header exactly as
// numpy's np.save does (keys sorted, "'shape': (4,)" for 1-D, ", }" at the
// end), so our files are byte-identical to numpy's for the same array.

export type NpyArray = Float32Array | Float64Array | Int32Array | Uint8Array;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const PREAMBLE_BYTES = 10; // magic (6) + version (2) + header length (2)
const ALIGN = 64;

const DESCR_BY_TYPE = new Map<string, string>([
  ['Float32Array', '<f4'],
  ['Float64Array', '<f8'],
  ['Int32Array', '<i4'],
  ['Uint8Array', '|u1'],
]);

/** Python repr of a shape tuple: (), (4,), (2, 3). */
function shapeRepr(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

function checkShape(shape: readonly number[], length: number): void {
  let count = 1;
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0) throw new RangeError(`npy: bad dimension ${dim}`);
    count *= dim;
  }
  if (count !== length) throw new RangeError(`npy: shape (${shape.join(', ')}) needs ${count} values, got ${length}`);
}

/**
 * Keyed by the typed array's own toStringTag (its internal type name), which,
 * unlike constructor.name or instanceof, also holds for subclasses such as
 * Node's Buffer and for arrays made in another realm (a worker).
 */
function descrOf(data: NpyArray): string {
  const tag = (data as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] ?? '';
  const descr = DESCR_BY_TYPE.get(tag);
  if (!descr) throw new TypeError(`npy: unsupported array type ${tag}`);
  return descr;
}

/** The header dict, padded with spaces and '\n' so the preamble + header is a multiple of 64 bytes. */
function headerText(descr: string, shape: readonly number[]): string {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeRepr(shape)}, }`;
  const unpadded = PREAMBLE_BYTES + dict.length + 1; // + '\n'
  const padding = (ALIGN - (unpadded % ALIGN)) % ALIGN;
  return dict + ' '.repeat(padding) + '\n';
}

/** True when this machine stores multi-byte numbers little-endian (every current browser/Node target). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The array's bytes in little-endian order. */
function littleEndianBytes(data: NpyArray): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) return bytes;
  const out = new Uint8Array(bytes.length); // big-endian host: reverse each element
  const size = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.length; i += size) {
    for (let b = 0; b < size; b++) out[i + b] = bytes[i + size - 1 - b];
  }
  return out;
}

/** Encode a C-order array of the given shape as a .npy file (version 1.0). */
export function encodeNpy(data: NpyArray, shape: number[]): Uint8Array {
  checkShape(shape, data.length);
  const header = headerText(descrOf(data), shape);
  if (header.length > 0xffff) throw new RangeError('npy: header too long for format 1.0');
  const out = new Uint8Array(PREAMBLE_BYTES + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0; // minor version
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[PREAMBLE_BYTES + i] = header.charCodeAt(i);
  out.set(littleEndianBytes(data), PREAMBLE_BYTES + header.length);
  return out;
}

export interface DecodedNpy {
  data: NpyArray;
  shape: number[];
}

/** Parse the header dict numpy writes: descr, fortran_order and shape. */
function parseHeader(text: string): { descr: string; fortranOrder: boolean; shape: number[] } {
  const descr = /'descr':\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new Error(`npy: cannot parse header ${JSON.stringify(text)}`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => Number.parseInt(s, 10));
  return { descr, fortranOrder: fortran === 'True', shape };
}

/** Copy `count` little-endian elements starting at byte `offset` into a fresh typed array. */
function readElements(bytes: Uint8Array, offset: number, descr: string, count: number): NpyArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
  switch (descr) {
    case '<f4': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
      return out;
    }
    case '<f8': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
      return out;
    }
    case '<i4': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, true);
      return out;
    }
    case '|u1':
      return bytes.slice(offset, offset + count);
    default:
      throw new Error(`npy: unsupported dtype ${descr}`);
  }
}

/** Decode a version 1.0 or 2.0 .npy file holding one of the dtypes encodeNpy writes (C order). */
export function decodeNpy(bytes: Uint8Array): DecodedNpy {
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new Error('npy: not a .npy file (bad magic)');
  }
  const major = bytes[6];
  if (major !== 1 && major !== 2) throw new Error(`npy: unsupported format version ${major}`);
  const lengthBytes = major === 1 ? 2 : 4;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lengthBytes;
  const dataStart = headerStart + headerLength;
  let text = '';
  for (let i = headerStart; i < dataStart; i++) text += String.fromCharCode(bytes[i]);
  const { descr, fortranOrder, shape } = parseHeader(text);
  if (fortranOrder) throw new Error('npy: Fortran-order arrays are not supported');
  const count = shape.reduce((a, b) => a * b, 1);
  const itemSize = descr === '|u1' ? 1 : descr.endsWith('8') ? 8 : 4;
  if (bytes.length - dataStart < count * itemSize) throw new Error('npy: file shorter than its header says');
  return { data: readElements(bytes, dataStart, descr, count), shape };
}
