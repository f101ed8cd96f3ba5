// Share links as a careless or hostile hand writes them: often valid, often not (out of range,
// wrong types, huge lists, junk, keys named like Object's own). Shared by the round-trip property
// test (link.test.ts) and the fuzz script (scripts/fuzz-links.ts).

import { CONFIG_FIELDS, FIELD_NAMES } from './fields';
import { PRESETS } from './presets';
import type { Random } from '../random';

const pick = <T,>(r: Random, list: readonly T[]): T => list[r.int(list.length)];

/** A value for a field: often valid, often not (out of range, wrong type, huge lists, junk). */
function fieldText(r: Random, field: string): string {
  const spec = (CONFIG_FIELDS as Record<string, (typeof CONFIG_FIELDS)[keyof typeof CONFIG_FIELDS] | undefined>)[field];
  // The img would set window.injected if any of it were ever rendered as HTML (scripts/fuzz-links.ts looks).
  const junk = ['', 'NaN', '-1', '1e309', 'true', 'abc', '<script>', '<img src=x onerror="window.injected=1">', '0x10', ' 8 ', '1,2,3', '%00'];
  if (!spec || r.uniform() < 0.25) return pick(r, junk);
  switch (spec.kind) {
    case 'bool': return pick(r, ['true', 'false', '1', '0', 'yes']);
    case 'enum': return pick(r, [...spec.options, 'other']);
    case 'int': case 'real': {
      const span = [spec.min, spec.max, spec.default as number, spec.min / 3, spec.max * 2, (spec.min + spec.max) / 2, 100, 0.00014, 0];
      return String(pick(r, span));
    }
    case 'intList': return Array.from({ length: pick(r, [0, 1, 3, 40, 2000]) }, () => r.int(5000)).join(',');
  }
}

/** A link's query, `?` included. */
export function randomLink(r: Random): string {
  const params: string[] = [];
  const keys = [...FIELD_NAMES, 'v', 'play', 'backend', 'compare', 'preset', 'x', 'view', 'grid', 'seeds', 'basis', 'present', '__proto__', 'constructor', 'toString', 'junk'];
  for (let n = r.int(8); n >= 0; n--) {
    const key = pick(r, keys);
    let value: string;
    switch (key) {
      case 'preset': value = pick(r, [...PRESETS.map((p) => p.id), 'nope']); break;
      case 'compare': value = Array.from({ length: 1 + r.int(3) }, () => { const f = pick(r, [...FIELD_NAMES, 'junk']); return `${f}=${fieldText(r, f)}`; }).join('&'); break;
      case 'backend': value = pick(r, ['auto', 'simd', 'wasm', 'webgpu', 'tpu']); break;
      case 'x': value = pick(r, ['step', 'epoch', 'time']); break;
      case 'view': value = pick(r, ['lab', 'sweep', 'x']); break;
      case 'grid': value = pick(r, ['batchSize=8,32', 'weightDecay=0,0.01;learningRate=0.1,0.2', `weightDecay=${Array.from({ length: 30 }, (_, i) => i / 1000).join(',')}`, 'junk=1', '']); break;
      case 'seeds': value = pick(r, ['1', '3', '0', '1000']); break;
      case 'basis': value = pick(r, ['steps', 'epochs', 'x']); break;
      case 'present': case 'play': value = pick(r, ['1', '0', 'true', 'x']); break;
      case 'v': value = pick(r, ['1', '2', 'x']); break;
      default: value = fieldText(r, key);
    }
    params.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  }
  return `?${params.join('&')}`;
}

