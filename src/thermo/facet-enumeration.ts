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
  const set = { n, d, pts, group: Int32Array.from({ length: n }, (_, i) => i) };
  const alive = new Uint8Array(n).fill(1);
  for (let attempt = 0; attempt < 8; attempt++) {
    const q = Float64Array.from({ length: d }, (_, k) => 1 + 0.37 * Math.sqrt(k + 2 + attempt * 0.61) + 0.05 * attempt * k);
    const s = q.reduce((a, b) => a + b, 0);
    for (let k = 0; k < d; k++) q[k]! /= s;
    const r = hullBatch(set, alive, q);
    const idx = r.index.slice(0, d);
    if (Number.isNaN(r.values[0]!)) throw new HullError('no hull energy at an interior composition: an element lacks its reference');
    if (idx.every((v) => v >= 0) && new Set(idx).size === d) return idx;
  }
  return undefined;
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
