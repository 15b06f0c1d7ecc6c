/**
 * A chemical-potential map of one composition open to two elements (μ_Li–μ_O, μ_Na–μ_S, …): the
 * regions of the (μ_x, μ_y) plane over which the composition's equilibrium with both reservoirs
 * is the same set of phases — a grand-potential phase diagram open to two elements (pymatgen's
 * GrandPotentialPhaseDiagram with two chempots, `get_decomposition` of the composition), mapped
 * exactly, not sampled. μ are relative to the elements' references (eV/atom); μ_Li = −V vs Li.
 *
 * How: the composition's grand potential Φ(μ_x, μ_y) = min over mixtures of phases with its
 * non-open composition of Σ w_p (e_p − μ_x·x_p − μ_y·y_p) is the lower envelope of planes, one per
 * product set. The product sets that are optimal somewhere are the (d−2)-phase subsets of the
 * hull's facets (the 2-faces of the chemical-potential polyhedron, which PhaseEquilibria's facets
 * are the vertices of) whose non-open compositions hold the composition's with weights ≥ 0; each
 * region is the part of the plot box where its plane is lowest, cut exactly as a convex polygon.
 * Where a phase made of x and y alone would form from the reservoirs (2μ_Li + μ_O above
 * E(Li2O)), the reservoirs themselves are not stable: that part of the plane is cut off
 * (`feasibleBy` names the phases bounding it).
 */
import { Composition } from '../core/index.js';
import type { Entry } from '../core/index.js';
import { PhaseEquilibria } from './phase-equilibria.js';
import { evaluatedIndex, type ThermoSource } from './element-profile.js';

export class ChemicalPotentialMapError extends Error {
  override name = 'ChemicalPotentialMapError';
}

export interface ChempotMapOptions {
  /** The open elements of the axes (x horizontal, y vertical). */
  x: string;
  y: string;
  /** μ ranges of the axes (relative, eV/atom); default: the facets' range of each, padded, up to 0. */
  xRange?: readonly [number, number];
  yRange?: readonly [number, number];
}

/** One region: its products, its polygon in (μ_x, μ_y) and the reaction with the reservoirs. */
export interface ChempotRegion {
  /** The phases in equilibrium (reduced formulas, sorted) and their entries. */
  readonly products: readonly string[];
  readonly phases: readonly Entry[];
  /** Atoms of each phase per formula unit of the composition (same order as `phases`). */
  readonly amounts: readonly number[];
  /** x and y taken up (> 0) or given off (< 0) per formula unit of the composition. */
  readonly uptake: { readonly x: number; readonly y: number };
  /** The polygon's vertices (μ_x, μ_y), counter-clockwise. */
  readonly polygon: ReadonlyArray<readonly [number, number]>;
  /** A point inside (the vertices' mean): where a label goes. */
  readonly center: readonly [number, number];
  /** Grand potential per formula unit at μ: g0 + gx·μ_x + gy·μ_y (formation energies, eV). */
  readonly plane: { readonly g0: number; readonly gx: number; readonly gy: number };
}

export interface ChemicalPotentialMap {
  readonly composition: Composition;
  readonly x: string;
  readonly y: string;
  readonly xRange: readonly [number, number];
  readonly yRange: readonly [number, number];
  readonly regions: readonly ChempotRegion[];
  /** Phases of x and y alone whose formation from the reservoirs bounds the map (μ·composition ≤ E). */
  readonly feasibleBy: readonly string[];
}

type Poly = Array<[number, number]>;

const TOL = 1e-9;

/** The map of `composition` open to `x` and `y` (see the module comment). */
export function chemicalPotentialMap(source: ThermoSource, composition: Composition | string, options: ChempotMapOptions): ChemicalPotentialMap {
  const comp = typeof composition === 'string' ? Composition.parse(composition) : composition;
  const { x, y } = options;
  const index = evaluatedIndex(source);
  for (const el of [x, y])
    if (typeof el !== 'string' || !index.refs.has(el)) throw new ChemicalPotentialMapError(`open element ${String(el)} is not an element of the data (${[...index.refs.keys()].sort().join('-')})`);
  if (x === y) throw new ChemicalPotentialMapError(`the two open elements are both ${x}: give two different elements`);
  const outside = comp.elements.filter((el) => !index.refs.has(el));
  if (outside.length)
    throw new ChemicalPotentialMapError(`composition ${comp.reducedFormula} lies outside the data: ${outside.join(', ')} ${outside.length > 1 ? 'are' : 'is'} not among its elements`);
  const rest = comp.elements.filter((el) => el !== x && el !== y).sort();
  if (!rest.length) throw new ChemicalPotentialMapError(`composition ${comp.reducedFormula} is made only of the open elements ${x} and ${y}: nothing is left to equilibrate with them`);
  const elements = [...new Set([...comp.elements, x, y])].sort();
  const pe = new PhaseEquilibria(source, { elements });
  const phases = pe.phases;
  const d = elements.length;
  const k = d - 2;
  const target = rest.map((el) => comp.amount(el));

  // Candidate product sets: the (d−2)-subsets of every facet, each once.
  const planes = new Map<string, Omit<ChempotRegion, 'polygon' | 'center'>>();
  const seen = new Set<string>();
  const idx = new Map(phases.map((p, i) => [p, i] as const));
  const at = new Map(index.entries.map((e, i) => [e, i] as const));
  const eForm = (p: Entry) => index.eForm[at.get(p)!]!;
  for (const f of pe.facets) {
    const ids = f.phases.map((p) => idx.get(p)!);
    for (const subset of subsets(ids, k)) {
      const key = subset.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      const members = subset.map((i) => phases[i]!);
      const w = solve(
        rest.map((el) => members.map((p) => p.composition.atomicFraction(el))),
        target,
      );
      if (!w || w.some((v) => v < -TOL)) continue;
      const keep = members.map((p, j) => [p, Math.max(0, w[j]!)] as const).filter(([, v]) => v > TOL);
      const support = keep.map(([p]) => p.composition.reducedFormula).sort();
      const sKey = keep
        .map(([p]) => idx.get(p))
        .sort((a, b) => a! - b!)
        .join(',');
      if (planes.has(sKey)) continue;
      let g0 = 0;
      let gx = 0;
      let gy = 0;
      for (const [p, v] of keep) {
        g0 += v * eForm(p);
        gx -= v * p.composition.atomicFraction(x);
        gy -= v * p.composition.atomicFraction(y);
      }
      planes.set(sKey, {
        products: support,
        phases: keep.map(([p]) => p),
        amounts: keep.map(([, v]) => v),
        uptake: { x: -gx - comp.amount(x), y: -gy - comp.amount(y) },
        plane: { g0, gx, gy },
      });
    }
  }
  if (!planes.size) throw new ChemicalPotentialMapError(`no equilibrium of ${comp.reducedFormula} found open to ${x} and ${y}`);

  // The box: the facets' μ range of each axis, padded, never above 0 (the element itself forms).
  const range = (el: string, given: readonly [number, number] | undefined): [number, number] => {
    if (given) {
      if (!(given.length === 2 && given.every(Number.isFinite) && given[0] < given[1]))
        throw new ChemicalPotentialMapError(`the ${el} range must be two numbers low < high, got ${JSON.stringify(given)}`);
      return [given[0], given[1]];
    }
    const mus = pe.facets.map((f) => f.mu[el]!);
    const lo = Math.min(...mus);
    return [lo - Math.max(0.5, 0.15 * -lo), 0];
  };
  const xRange = range(x, options.xRange);
  const yRange = range(y, options.yRange);
  let domain: Poly = [
    [xRange[0], yRange[0]],
    [xRange[1], yRange[0]],
    [xRange[1], yRange[1]],
    [xRange[0], yRange[1]],
  ];
  // Reservoirs stable: no phase of x and y alone below μ_x·a + μ_y·b (formation energies, per atom).
  const feasibleBy: string[] = [];
  for (const p of phases) {
    if (!p.composition.elements.every((el) => el === x || el === y) || p.composition.elements.length < 2) continue;
    const e = eForm(p);
    const cut = clip(domain, -e, p.composition.atomicFraction(x), p.composition.atomicFraction(y));
    if (area(cut) < area(domain) - 1e-12) feasibleBy.push(p.composition.reducedFormula);
    domain = cut;
  }
  const list = [...planes.values()];
  const regions: ChempotRegion[] = [];
  for (const a of list) {
    let poly = domain;
    for (const b of list) {
      if (b === a || poly.length < 3) continue;
      poly = clip(poly, a.plane.g0 - b.plane.g0, a.plane.gx - b.plane.gx, a.plane.gy - b.plane.gy);
    }
    if (poly.length < 3 || area(poly) < 1e-10) continue;
    const cx = poly.reduce((s, p) => s + p[0], 0) / poly.length;
    const cy = poly.reduce((s, p) => s + p[1], 0) / poly.length;
    regions.push({ ...a, polygon: poly, center: [cx, cy] });
  }
  return { composition: comp, x, y, xRange, yRange, regions, feasibleBy };
}

/** The equilibrium region of the map at (μ_x, μ_y), if the point lies on the map. */
export function chempotRegionAt(map: ChemicalPotentialMap, mx: number, my: number): ChempotRegion | undefined {
  return map.regions.find((r) => inside(r.polygon, mx, my));
}

/** Every k-subset of ids (in order). */
function* subsets(ids: readonly number[], k: number): Generator<number[]> {
  const n = ids.length;
  const pick: number[] = [];
  function* rec(start: number): Generator<number[]> {
    if (pick.length === k) {
      yield [...pick].sort((a, b) => a - b);
      return;
    }
    for (let i = start; i < n; i++) {
      pick.push(ids[i]!);
      yield* rec(i + 1);
      pick.pop();
    }
  }
  yield* rec(0);
}

/** Solves the square system A w = b (Gaussian elimination, partial pivoting); undefined if singular. */
function solve(a: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (Math.abs(m[p]![c]!) < 1e-12) return undefined;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let j = c; j <= n; j++) m[r]![j]! -= f * m[c]![j]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/** The part of a convex polygon where a + bx·X + by·Y ≤ 0 (Sutherland–Hodgman, one edge). */
function clip(poly: Poly, a: number, bx: number, by: number): Poly {
  const out: Poly = [];
  const f = (p: readonly [number, number]) => a + bx * p[0] + by * p[1];
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % poly.length]!;
    const fp = f(p);
    const fq = f(q);
    if (fp <= 1e-12) out.push(p);
    if ((fp < -1e-12 && fq > 1e-12) || (fp > 1e-12 && fq < -1e-12)) {
      const t = fp / (fp - fq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

function area(poly: Poly): number {
  let s = 0;
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % poly.length]!;
    s += p[0] * q[1] - q[0] * p[1];
  }
  return Math.abs(s) / 2;
}

function inside(poly: ReadonlyArray<readonly [number, number]>, x: number, y: number): boolean {
  let sign = 0;
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % poly.length]!;
    const c = (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
    if (Math.abs(c) < 1e-12) continue;
    if (sign === 0) sign = Math.sign(c);
    else if (Math.sign(c) !== sign) return false;
  }
  return true;
}
