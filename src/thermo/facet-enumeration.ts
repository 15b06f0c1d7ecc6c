// The facet kernel's bridge (assembly/facets.ts): one facet from the LP, then every facet of a
// chemical system's hull by pivoting. Shared by PhaseEquilibria and the per-system facets that
// element profiles and windows read (system-facets.ts), apart so neither imports the other.
import { hullBatch, HullError } from './hull.js';
import { kernel } from './wasm.js';

interface FacetExports {
  facetWorkBytes(d: number): number;
  enumerateFacets(n: number, d: number, pts: number, start: number, maxF: number, facets: number, mu: number, neighbours: number, hash: number, hcap: number, work: number): number;
}

/** One facet of the hull from the LP at a generic interior composition; undefined for a degenerate hull. */
export function startFacet(pts: Float64Array, n: number, d: number): Int32Array | undefined {
  // Plain loops: every facet walker (thousands in an interface matrix) starts here, mostly in
  // V8's early tiers, where the callback forms of from/every cost more than the LP.
  const group = new Int32Array(n);
  for (let i = 0; i < n; i++) group[i] = i;
  const set = { n, d, pts, group };
  const alive = new Uint8Array(n).fill(1);
  const q = new Float64Array(d);
  for (let attempt = 0; attempt < 8; attempt++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += q[k] = 1 + 0.37 * Math.sqrt(k + 2 + attempt * 0.61) + 0.05 * attempt * k;
    for (let k = 0; k < d; k++) q[k]! /= s;
    const r = hullBatch(set, alive, q);
    if (Number.isNaN(r.values[0]!)) throw new HullError('no hull energy at an interior composition: an element lacks its reference');
    const idx = r.index.slice(0, d);
    if (distinctVertices(idx)) return idx;
  }
  return undefined;
}

/** Whether the LP's basis is d distinct points (no artificial, -1, left in it). */
function distinctVertices(idx: Int32Array): boolean {
  for (let i = 0; i < idx.length; i++) {
    if (idx[i]! < 0) return false;
    for (let j = 0; j < i; j++) if (idx[j] === idx[i]) return false;
  }
  return true;
}

/** Every facet from `start` (count −1: more than maxF; −2: a degenerate facet), copied out of the kernel's memory. */
export function runFacets(pts: Float64Array, n: number, d: number, start: Int32Array, maxF: number) {
  const k = kernel();
  const ex = k.exports as unknown as FacetExports;
  let hcap = 1;
  while (hcap < 2 * maxF) hcap *= 2;
  k.reset();
  const pPts = k.alloc(8 * n * (d + 1));
  const pStart = k.alloc(4 * d);
  const pF = k.alloc(4 * maxF * d);
  const pMu = k.alloc(8 * maxF * d);
  const pNb = k.alloc(4 * maxF * d);
  const pHash = k.alloc(4 * hcap);
  const pWork = k.alloc(ex.facetWorkBytes(d));
  k.f64(pPts, n * (d + 1)).set(pts);
  k.i32(pStart, d).set(start);
  k.i32(pHash, hcap).fill(0);
  const count = ex.enumerateFacets(n, d, pPts, pStart, maxF, pF, pMu, pNb, pHash, hcap, pWork);
  if (count < 0) return { count, facets: new Int32Array(0), mu: new Float64Array(0), neighbours: new Int32Array(0) };
  return {
    count,
    facets: k.i32(pF, count * d).slice(),
    mu: k.f64(pMu, count * d).slice(),
    neighbours: k.i32(pNb, count * d).slice(),
  };
}
