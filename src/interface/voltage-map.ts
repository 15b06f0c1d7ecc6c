/**
 * The electrochemical interface-reaction map: the minimum reaction energy between two materials
 * open to an element (Li, Na, …) as a function of the voltage, with the reaction and products
 * at every voltage — exactly, not on a grid — in either convention of pymatgen's
 * GrandPotentialInterfacialReactivity (include_no_mixing_energy false, the default: the interface
 * alone; true: each reactant's own reaction with the reservoir counted too).
 *
 * Why it is exact: at a voltage V (μ = −z·V relative to the element's reference), the reaction
 * energy of a given mixture x and product set λ is Σλ_j Φ_j(μ) − x·Φ_1(μ) − (1−x)·Φ_2(μ), with
 * Φ = (E − x_open·μ)/(1 − x_open): affine in μ, and feasible at every μ (the compositions do not
 * depend on μ). With include_no_mixing_energy the minimum over x and λ (pymatgen's `minimum`) is
 * therefore a minimum of affine functions — concave and piecewise linear in V. Without it, Φ_1
 * and Φ_2 are the grand hull energies of the reactants, affine between the transitions of their
 * own element profiles: the range is cut there and each part is concave as before (the slope of a
 * reaction gains t·s_1 + (1−t)·s_2, s_i = −z × reactant i's own uptake per non-open atom). Each
 * evaluation returns, besides the value, the affine function of its optimal reaction (slope =
 * z × open-element uptake per non-open atom), a line that supports the minimum from above. As
 * for the kinks of a hull along a segment, the lines of two evaluations meet at V*; if the
 * minimum at V* lies on them, V* is a breakpoint, otherwise the new line splits the interval.
 * Every evaluation adds a piece or confirms a breakpoint: about 2 evaluations per piece.
 *
 * Degenerate case: two different reactions with the same energy line (same uptake, same
 * energy) replace each other without a breakpoint; the map then shows the one found.
 */
import type { Composition } from '../core/index.js';
import { ElementProfileError, elementProfile, resolveValence } from '../thermo/index.js';
import { minimumOf } from './interface-reaction.js';
import { InterfaceReactionError, type ReactionDiagram } from './phase-source.js';
import { type InterfaceReactionOptions, openTo, reactantsOf } from './reactants.js';
import type { InterfaceKink, InterfaceReaction } from './reaction-report.js';

export interface VoltageMapOptions extends Pick<InterfaceReactionOptions, 'useHullEnergy' | 'volumes' | 'names' | 'includeNoMixingEnergy'> {
  /** Open element (default `Li`). */
  element?: string;
  /** Voltage range (V vs the element's metal), default 0 to 5. */
  from?: number;
  to?: number;
  /** Ion charge z (default from `ionValence`: 1 for Li, Na, K, 2 for Mg, …). */
  valence?: number;
}

/** A voltage interval on which the same reaction is the most negative. */
export interface VoltageMapPiece {
  readonly from: number;
  readonly to: number;
  /** Minimum reaction energy (eV per non-open atom of mixture) at `from` and at `to`; linear in between. */
  readonly energyFrom: number;
  readonly energyTo: number;
  /** dE/dV (eV per non-open atom per V) = z × open-element uptake of the reaction. */
  readonly slope: number;
  /** The reaction at the minimum (pymatgen's `minimum` kink), evaluated inside the interval. */
  readonly kink: InterfaceKink;
  /** Reduced formulas of the products at the minimum. */
  readonly products: readonly string[];
}

export interface VoltageMap {
  readonly c1: Composition;
  readonly c2: Composition;
  readonly element: string;
  /** pymatgen include_no_mixing_energy: true counts each reactant's own reaction with the reservoir. */
  readonly includeNoMixingEnergy: boolean;
  readonly from: number;
  readonly to: number;
  /** Consecutive pieces covering [from, to]. */
  readonly pieces: readonly VoltageMapPiece[];
  /** Voltages where the minimum reaction changes (the inner piece boundaries), ascending. */
  readonly breakpoints: readonly number[];
  /** Interface reactions evaluated to build the map. */
  readonly evaluations: number;
}

// Energies come from LPs accurate to ~1e-12 eV/atom: a minimum within this of the lines is on them.
const LINE_TOL = 1e-9;
const SLOPE_TOL = 1e-10;
const MAX_EVALUATIONS = 4000;

interface Line {
  readonly c: number;
  readonly s: number;
  readonly at: number;
  readonly minimum: InterfaceReaction['minimum'];
}

/**
 * The minimum reaction energy of c1 | c2 open to `element` over a voltage range, piece by piece,
 * with the breakpoints where the reaction at the minimum changes (see the module comment).
 */
export function voltageMap(c1: string | Composition, c2: string | Composition, diagram: ReactionDiagram, options: VoltageMapOptions = {}): VoltageMap {
  const element = options.element ?? 'Li';
  const from = options.from ?? 0;
  const to = options.to ?? 5;
  for (const [name, v] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InterfaceReactionError(`voltage map: ${name} must be a finite voltage, got ${String(v)}`);
  }
  if (!(to > from)) throw new InterfaceReactionError(`voltage map: the range ${from} to ${to} V is empty (to must exceed from)`);
  let z: number;
  try {
    z = resolveValence(element, options.valence);
  } catch (e) {
    if (e instanceof ElementProfileError) throw new InterfaceReactionError(`voltage map: ${e.message}`, { cause: e });
    throw e;
  }
  const base: InterfaceReactionOptions = {};
  if (options.useHullEnergy !== undefined) base.useHullEnergy = options.useHullEnergy;
  if (options.volumes !== undefined) base.volumes = options.volumes;
  if (options.names !== undefined) base.names = options.names;
  if (options.includeNoMixingEnergy !== undefined) base.includeNoMixingEnergy = options.includeNoMixingEnergy;
  // The reactants are set up once, then opened at each voltage evaluated.
  const reactants = reactantsOf(c1, c2, diagram, base);
  const total = reactants.includeNoMixingEnergy;
  // Interface only: each reactant's own uptake per non-open atom, piecewise constant between the
  // transitions of its element profile (a reactant that is the open element alone has none).
  const ownUptake = [reactants.c1, reactants.c2].map((c) => {
    const nonOpen = c.numAtoms - c.amount(element);
    const steps = total || nonOpen <= 0 ? [] : elementProfile(reactants.source.index, c, element, { valence: z }).steps;
    return {
      cuts: steps.map((st) => st.voltage).filter((v) => v > from && v < to),
      at: (v: number) => {
        let i = 0;
        while (i + 1 < steps.length && steps[i + 1]!.voltage <= v) i++;
        return steps.length ? steps[i]!.evolution / nonOpen : 0;
      },
    };
  });
  const cuts = [...new Set([from, ...ownUptake[0]!.cuts, ...ownUptake[1]!.cuts, to])].sort((a, b) => a - b);
  let evaluations = 0;
  const lineAt = (v: number, mid: number): Line => {
    if (++evaluations > MAX_EVALUATIONS) throw new InterfaceReactionError(`voltage map: more than ${MAX_EVALUATIONS} evaluations (the map did not converge)`);
    const open = options.valence !== undefined ? { element, voltage: v, valence: options.valence } : { element, voltage: v };
    // Only the minimum's reaction is needed: the other kinks are not balanced.
    const setup = openTo(reactants, open);
    const minimum = minimumOf(setup);
    const k = minimum.kink;
    let s = z * k.openUptake;
    if (!total) {
      // t on the non-open atom scale (pymatgen _reverse_convert of x).
      const { factor1: f1, factor2: f2 } = setup;
      const t = (k.x * f1) / ((1 - k.x) * f2 + k.x * f1);
      s -= z * (t * ownUptake[0]!.at(mid) + (1 - t) * ownUptake[1]!.at(mid));
    }
    return { c: k.energyPerAtom - s * v, s, at: v, minimum };
  };
  const pieces: VoltageMapPiece[] = [];
  const breakpoints: number[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [a, b] = [cuts[i]!, cuts[i + 1]!];
    const mid = (a + b) / 2;
    for (const piece of concavePieces((v) => lineAt(v, mid), a, b)) {
      const last = pieces[pieces.length - 1];
      if (last && Math.abs(last.slope - piece.slope) <= SLOPE_TOL && Math.abs(last.energyTo - piece.energyFrom) <= LINE_TOL && last.kink.reaction === piece.kink.reaction) {
        pieces[pieces.length - 1] = { ...last, to: piece.to, energyTo: piece.energyTo };
        continue;
      }
      if (last) breakpoints.push(piece.from);
      pieces.push(piece);
    }
  }
  return { c1: reactants.c1, c2: reactants.c2, element, includeNoMixingEnergy: total, from, to, pieces, breakpoints, evaluations };
}

/** The pieces of a concave piecewise-linear minimum over [from, to], from the lines of its evaluations. */
function concavePieces(evaluate: (v: number) => Line, from: number, to: number): VoltageMapPiece[] {
  const value = (l: Line, v: number) => l.c + l.s * v;
  const same = (a: Line, b: Line) => Math.abs(a.s - b.s) <= SLOPE_TOL && Math.abs(a.c - b.c) <= LINE_TOL;
  const left = evaluate(from);
  const right = evaluate(to);
  const found: Array<{ v: number; l: Line; r: Line }> = [];
  const stack: Array<[Line, Line]> = same(left, right) ? [] : [[left, right]];
  while (stack.length) {
    const [l, r] = stack.pop()!;
    const ds = l.s - r.s; // concave: slopes decrease to the right
    if (ds <= SLOPE_TOL) continue;
    const v = (r.c - l.c) / ds;
    const vc = Math.min(Math.max(v, l.at), r.at);
    const k = evaluate(vc);
    if (value(k, vc) >= value(l, vc) - LINE_TOL || same(k, l) || same(k, r)) {
      found.push({ v: vc, l, r });
    } else {
      stack.push([k, r], [l, k]);
    }
  }
  found.sort((p, q) => p.v - q.v);
  const lines = found.length ? [...found.map((f) => f.l), found[found.length - 1]!.r] : [left];
  const bounds = [from, ...found.map((f) => f.v), to];
  return lines.map((l, i) => {
    const k = l.minimum.kink;
    return {
      from: bounds[i]!,
      to: bounds[i + 1]!,
      energyFrom: value(l, bounds[i]!),
      energyTo: value(l, bounds[i + 1]!),
      slope: l.s,
      kink: k,
      products: k.products.map((p) => p.formula),
    };
  });
}

/** The piece of a voltage map holding voltage `v` (the lower one at a breakpoint). */
export function voltageMapAt(map: VoltageMap, v: number): VoltageMapPiece & { readonly energy: number } {
  if (!(v >= map.from && v <= map.to)) throw new InterfaceReactionError(`voltage ${v} V is outside the map's range ${map.from} to ${map.to} V`);
  const p = map.pieces.find((q) => v <= q.to) ?? map.pieces[map.pieces.length - 1]!;
  return { ...p, energy: p.energyFrom + p.slope * (v - p.from) };
}
