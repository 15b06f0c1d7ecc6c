/**
 * The report of an interface reaction: each kink with its balanced reaction, products, energy in
 * kJ/mol and volume change (pymatgen get_kinks' five fields and more), the curve, the products
 * and the minimum (pymatgen `products`, `minimum`) — all of them, or the minimum alone, which is
 * all a screen over thousands of pairs needs.
 */
import type { Composition, Entry } from '../core/index.js';
import { kinkReaction, type ReactionProduct, type ReactionTerm, type ReactionTerms, reactionTerms } from './kink-reaction.js';
import type { KinkPoint, Kinks } from './kinks.js';
import type { InterfaceSetup } from './reactants.js';

const EV_TO_KJ_PER_MOL = 96.4853; // pymatgen InterfacialReactivity.EV_TO_KJ_PER_MOL

export interface InterfaceKink {
  /** 1-based, as pymatgen's get_kinks. */
  readonly index: number;
  /** Mixing ratio: x·c1 + (1−x)·c2 (atom-normalised formula units when norm, else as written). */
  readonly x: number;
  /** Reaction energy (eV) per atom of mixture — per non-open atom when open, per formula unit of mixture when !norm. */
  readonly energyPerAtom: number;
  /** pymatgen's 5th kink field: the energy per reaction formula as written, kJ/mol. */
  readonly energyKjPerMol: number;
  /** pymatgen `str(Reaction)`; products in the order of `products` (pymatgen: Qhull's facet order). */
  readonly reaction: string;
  /** Reactants as written in `reaction` (the open element when taken up). */
  readonly reactants: readonly ReactionTerm[];
  /** The phases formed (the open element released to the reservoir is not one of them). */
  readonly products: readonly ReactionProduct[];
  /** Open systems: open element taken up from the reservoir per (non-open) atom of mixture (< 0: released). 0 when closed. */
  readonly openUptake: number;
  /**
   * ΔV/V of the solids, (V_products − V_reactants)/V_reactants, from the entries' volumes per atom
   * (the open element exchanged with the reservoir carries none); absent when a phase has no
   * volume (see the `volumes` option).
   */
  readonly volumeChange?: number;
}

export interface InterfaceReaction {
  readonly c1: Composition;
  readonly c2: Composition;
  /** Open element, μ relative to its reference (eV/atom) and voltage (NaN without a known valence). */
  readonly open?: { readonly element: string; readonly mu: number; readonly voltage: number };
  readonly norm: boolean;
  readonly useHullEnergy: boolean;
  readonly includeNoMixingEnergy: boolean;
  /**
   * Energies of c1 and c2 that the mixing line joins: formation energy per atom (closed), or
   * grand potential Φ = E − μ·N_open per non-open atom on the entries' energy scale (open);
   * per formula unit as written when !norm.
   */
  readonly reactantEnergies: readonly [number, number];
  readonly kinks: readonly InterfaceKink[];
  /** The most negative reaction (the first one of equal energy, as pymatgen's `minimum`). */
  readonly minimum: { readonly x: number; readonly energyPerAtom: number; readonly kink: InterfaceKink };
  /**
   * Plot data: the reaction energy along x. Linear between kinks when x is linear in the mixture
   * (closed systems, or open ones whose reactants have equal non-open shares); otherwise sampled
   * between kinks so that a polyline through the points is faithful.
   */
  readonly curve: { readonly x: readonly number[]; readonly energyPerAtom: readonly number[] };
  /** Reduced formulas of every phase formed at some kink (pymatgen `products`). */
  readonly products: readonly string[];
}

/** The kink at index q of `kinks`, reported: its reaction balanced, kJ/mol, volume change. */
function reportKink(kinks: Kinks, terms: ReactionTerms, q: number): InterfaceKink {
  const s = kinks.setup;
  const k = kinks.at(q);
  const rx = kinkReaction(terms, k);
  const nMix = s.norm ? 1 : k.x * s.comp1.numAtoms + (1 - k.x) * s.comp2.numAtoms;
  const kink: InterfaceKink = {
    index: q + 1,
    x: k.x,
    energyPerAtom: k.energy,
    // pymatgen: energy × (non-open) atoms of the reaction as written / atoms of the mixture.
    energyKjPerMol: ((k.energy * rx.atoms) / nMix) * EV_TO_KJ_PER_MOL,
    reaction: rx.text,
    reactants: rx.reactants,
    products: rx.products,
    openUptake: k.uptake,
  };
  const dv = volumeChange(s, k);
  return dv === undefined ? kink : { ...kink, volumeChange: dv };
}

/** ΔV/V of the solids at a kink, or undefined when a phase has no volume. */
function volumeChange(s: InterfaceSetup, { t, phases }: KinkPoint): number | undefined {
  const vol = (e: Entry | undefined, formula: string): number | undefined => s.volumes[formula] ?? e?.volumePerAtom;
  // Per non-open atom of mixture: atoms of each solid (all elements) × its volume per atom.
  let vr = 0;
  for (const [c, share, f] of [
    [s.c1, t, s.factor1],
    [s.c2, 1 - t, s.factor2],
  ] as const) {
    if (share <= 0) continue;
    const v = vol(s.source.lowestEntry(c), c.reducedFormula);
    if (v === undefined) return undefined;
    vr += (share / f) * v;
  }
  let vp = 0;
  for (const p of phases) {
    const v = vol(p.entry, p.entry.composition.reducedFormula);
    if (v === undefined) return undefined;
    vp += p.fraction * (1 + p.r) * v;
  }
  return (vp - vr) / vr;
}

/** The first kink of lowest energy (pymatgen's minimum). */
function minimumIndex(energies: readonly number[]): number {
  let m = 0;
  for (let q = 1; q < energies.length; q++) if (energies[q]! < energies[m]!) m = q;
  return m;
}

/**
 * Every kink reported, with the curve, the products and the minimum. The kinks' reactions are
 * balanced and written when first read: a matrix of reactions often reads only the minima.
 */
export function reportReaction(kinks: Kinks): InterfaceReaction {
  const s = kinks.setup;
  let reported: InterfaceKink[] | undefined;
  const all = () => (reported ??= kinks.ts.map((_, q) => reportKink(kinks, terms, q)));
  const terms = reactionTerms(s);
  const m = minimumIndex(kinks.energies);
  const reactantEnergies: [number, number] = s.norm ? [kinks.e1, kinks.e2] : [kinks.e1 * s.comp1.numAtoms, kinks.e2 * s.comp2.numAtoms];
  let curve: InterfaceReaction['curve'] | undefined;
  let products: string[] | undefined;
  return {
    c1: s.c1,
    c2: s.c2,
    ...(s.open ? { open: s.open } : {}),
    norm: s.norm,
    useHullEnergy: s.useHullEnergy,
    includeNoMixingEnergy: s.includeNoMixingEnergy,
    reactantEnergies,
    get kinks() {
      return all();
    },
    // x and energy as the kink reports them (kinks.at), without balancing its reaction.
    minimum: {
      x: kinks.convert(kinks.ts[m]!, kinks.tEnergies[m]!)[0],
      energyPerAtom: kinks.energies[m]!,
      get kink() {
        return all()[m]!;
      },
    },
    get curve() {
      return (curve ??= curveOf(kinks));
    },
    get products() {
      return (products ??= [...new Set(all().flatMap((k) => k.products.map((p) => p.formula)))]);
    },
  };
}

/** Only the minimum, without balancing the other kinks' reactions. */
export function reportMinimum(kinks: Kinks): InterfaceReaction['minimum'] {
  const kink = reportKink(kinks, reactionTerms(kinks.setup), minimumIndex(kinks.energies));
  return { x: kink.x, energyPerAtom: kink.energyPerAtom, kink };
}

const CURVE_SAMPLES = 16;

/** Kinks, plus samples between them where x is not linear in the mixture (energy is linear in t). */
function curveOf({ ts, tEnergies: es, convert, linearX }: Kinks): InterfaceReaction['curve'] {
  const x: number[] = [];
  const energy: number[] = [];
  for (let q = 0; q < ts.length; q++) {
    const steps = linearX || q === ts.length - 1 ? 1 : CURVE_SAMPLES;
    for (let s = 0; s < steps; s++) {
      const t = ts[q]! + ((ts[q + 1]! - ts[q]!) * s) / steps;
      const e = es[q]! + ((es[q + 1]! - es[q]!) * s) / steps;
      const [xo, eo] = s === 0 ? convert(ts[q]!, es[q]!) : convert(t, e);
      x.push(xo);
      energy.push(eo);
    }
  }
  return { x, energyPerAtom: energy };
}
