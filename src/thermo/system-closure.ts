// A chemical system's subsystems: the stable phases of each of its subsystems gathered by numeric
// system keys into one reused buffer (stablePoints: windows and interface reactions ask hundreds of
// systems), and the subsystems' string keys, made once per element set. Solving the systems does the
// same in the kernel (assembly/system-batch.ts). Apart from system-hull.ts to keep it short.
import { HullError } from './hull.js';

/**
 * A chemical system by the indices of its elements (in alphabetical order of their symbols):
 * base-128 digits (index + 1) for up to 7 elements — an exact double — and a string beyond.
 */
export type SystemKey = number | string;

export function systemKey(dims: ArrayLike<number>, mask = -1): SystemKey {
  let key = 0;
  let n = 0;
  for (let b = 0; b < dims.length; b++) if (mask & (1 << b)) (key = key * 128 + dims[b]! + 1), n++;
  if (n <= 7) return key;
  let s = '';
  for (let b = 0; b < dims.length; b++) if (mask & (1 << b)) s += String.fromCharCode(dims[b]! + 1);
  return s;
}

let keyScratch = new Float64Array(128);
// The rows gathered: one buffer for every call (windows and reactions ask hundreds of systems).
let colScratch = new Int32Array(1024);

/**
 * The rows `rowsOf` lists for each subsystem of a system (its elements' indices `dims`), the
 * system itself included, in mask order (the system's own last): a system's stable phases, from
 * those of each of its subsystems. A view of a shared buffer: valid until the next call.
 */
export function closureColumns(dims: readonly number[], rowsOf: ReadonlyMap<SystemKey, readonly number[]>): Int32Array {
  const k = dims.length;
  if (k > 20) throw new HullError(`a chemical system of ${k} elements is too large to enumerate its subsystems`);
  const full = (1 << k) - 1;
  let n = 0;
  if (k > 7) {
    for (let mask = 1; mask <= full; mask++) n = append(n, rowsOf.get(systemKey(dims, mask)));
    return colScratch.subarray(0, n);
  }
  // keys[mask] from the mask without its highest bit: one multiply-add per subsystem.
  if (keyScratch.length <= full) keyScratch = new Float64Array(full + 1);
  const keys = keyScratch;
  keys[0] = 0;
  for (let mask = 1; mask <= full; mask++) {
    const high = 31 - Math.clz32(mask);
    const key = keys[mask ^ (1 << high)]! * 128 + dims[high]! + 1;
    keys[mask] = key;
    n = append(n, rowsOf.get(key));
  }
  return colScratch.subarray(0, n);
}

/** Appends `list` to colScratch[0, n), growing it; the new length. */
function append(n: number, list: readonly number[] | undefined): number {
  if (!list) return n;
  if (colScratch.length < n + list.length) {
    const grown = new Int32Array(Math.max(2 * colScratch.length, n + list.length));
    grown.set(colScratch.subarray(0, n));
    colScratch = grown;
  }
  const out = colScratch;
  for (let t = 0; t < list.length; t++) out[n++] = list[t]!;
  return n;
}

const keysOf = new Map<string, string[]>();

/**
 * The keys of every subsystem of `els` (sorted), by mask (the key of a mask built from the mask
 * without its highest bit). The same for every index and hull, so made once: building hundreds of
 * keys per question cost more than the question.
 */
export function subsystemKeys(els: readonly string[]): string[] {
  const id = els.join('-');
  let keys = keysOf.get(id);
  if (!keys) {
    keys = [''];
    for (let mask = 1; mask < 1 << els.length; mask++) {
      const high = 31 - Math.clz32(mask);
      const rest = keys[mask ^ (1 << high)]!;
      // Joined, not concatenated: a flat string hashes at once as a map key.
      keys.push(rest ? [rest, els[high]].join('-') : els[high]!);
    }
    keys.shift();
    if (keysOf.size >= 4096) keysOf.clear();
    keysOf.set(id, keys);
  }
  return keys;
}
