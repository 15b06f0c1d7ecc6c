/**
 * The balanced reaction at a kink (pymatgen _get_reaction, _get_elmt_amt_in_rxn): reactants c1
 * and c2 (and the open element), the phases formed as products, balanced and normalised as
 * pymatgen's Reaction and written as its `str`. Apart from the kinks because a screen that needs
 * only the minimum balances one kink, not all of them.
 */
import { Composition, type Entry, Reaction, REACTION_TOLERANCE, ReactionError, sameAmounts } from '../core/index.js';
import type { KinkPoint } from './kinks.js';
import { InterfaceReactionError } from './phase-source.js';
import { pyFormatG4, pyIsClose, pySetOrder } from './py-compat.js';
import type { InterfaceSetup } from './reactants.js';

/** One term of a balanced reaction, in formula units of its reduced formula. */
export interface ReactionTerm {
  /** pymatgen's reduced formula (`Li10Ge(PS6)2`, `O2`, `Li0.5Co1O2`). */
  readonly formula: string;
  readonly amount: number;
}

/** A phase formed at a kink. */
export interface ReactionProduct extends ReactionTerm {
  readonly entry: Entry;
  /** Share of the atoms (non-open atoms when open) of the mixture that end up in this phase. */
  readonly fraction: number;
}

/** A composition of a reaction with what its terms need, computed once. */
interface Term {
  readonly comp: Composition;
  /** pymatgen reduced formula and factor (comp = reduced × factor). */
  readonly formula: string;
  readonly factor: number;
}

const termCache = new WeakMap<object, Term>();
function cachedTerm(key: object, compositionOf: () => Composition): Term {
  let t = termCache.get(key);
  if (!t) {
    const comp = compositionOf();
    t = { comp, formula: comp.reducedFormula, factor: comp.reduced().factor };
    termCache.set(key, t);
  }
  return t;
}
/** The reaction term of a phase: Composition(entry.name) in pymatgen, i.e. its reduced formula. */
const productTerm = (e: Entry): Term => cachedTerm(e, () => Composition.parse(e.composition.reducedFormula));
const compositionTerm = (c: Composition): Term => cachedTerm(c, () => c);

/** The terms every kink of one reaction shares. */
export interface ReactionTerms {
  readonly s: InterfaceSetup;
  /** list({c1, c2}) in CPython's order. */
  readonly pair: readonly Composition[];
  readonly openTerm?: Term;
  readonly c1: Term;
  readonly c2: Term;
}

export function reactionTerms(s: InterfaceSetup): ReactionTerms {
  const open = s.open?.element;
  const base = { s, pair: pySetOrder(s.c1, s.c2), c1: compositionTerm(s.c1), c2: compositionTerm(s.c2) };
  return open ? { ...base, openTerm: compositionTerm(Composition.fromDict({ [open]: 1 })) } : base;
}

export interface KinkReaction {
  text: string;
  reactants: ReactionTerm[];
  products: ReactionProduct[];
  /** pymatgen _get_elmt_amt_in_rxn: Σ over the non-open elements of their amount in the reaction. */
  atoms: number;
}

/**
 * pymatgen's _get_reaction at mixing t (comp scale): reactants c1/c2 as given (one of them at the
 * ends, else both in CPython set order), then the open element; products = the phases (reduced
 * formulas); balanced as pymatgen's Reaction and normalised so that the reactant coefficients
 * are the molar mixing ratio of c1 and c2 as written; written as its `str`.
 *
 * When the balance has a one-dimensional solution space (the rule), pymatgen's least-squares
 * balancing can only find the reaction that the mixture and its decomposition already give: the
 * coefficients are those amounts (`uptake`: open element taken up per non-open atom). Otherwise
 * (a dependent set of compositions, ends within numpy.isclose but not exact) pymatgen's
 * balancing itself (`Reaction.balance`) decides.
 */
export function kinkReaction(rt: ReactionTerms, { t, phases, uptake }: KinkPoint): KinkReaction {
  const { s } = rt;
  const open = s.open?.element;
  const at0 = pyIsClose(t, 0);
  const at1 = !at0 && pyIsClose(t, 1);
  const pair = at0 ? [s.c2] : at1 ? [s.c1] : rt.pair;
  const terms: Term[] = pair.map((c) => (c === s.c1 ? rt.c1 : rt.c2));
  if (rt.openTerm) terms.push(rt.openTerm);
  const nR = terms.length;
  for (const p of phases) terms.push(productTerm(p.entry));
  const comps = terms.map((x) => x.comp);

  let coeffs: number[] | undefined;
  const exactEnd = at0 ? t === 0 : at1 ? t === 1 : true;
  if (exactEnd && balanceNullity(comps) === 1) {
    // Formula units per non-open atom of mixture; reactants negative (pymatgen's signs).
    const nonOpenAtoms = (c: Composition) => c.numAtoms - (open ? c.amount(open) : 0);
    coeffs = comps.map((c, i) => {
      if (i < pair.length) return -(c === s.c1 ? t : 1 - t) / nonOpenAtoms(c);
      if (i < nR) return -uptake; // the open element: consumed when taken up
      return phases[i - nR]!.fraction / nonOpenAtoms(c);
    });
  } else {
    try {
      coeffs = [...Reaction.balance(comps.slice(0, nR), comps.slice(nR)).coefficients];
    } catch (e) {
      if (e instanceof ReactionError) throw new InterfaceReactionError(`at x = ${t} of ${s.c1.formula} | ${s.c2.formula}: ${e.message}`, { cause: e });
      throw e;
    }
  }
  // pymatgen: x_original = share of c1 among the consumed c1, c2; normalize_to(c1, x_original) when
  // it is close to 1, else normalize_to(c2, 1 − x_original) (first composition equal to it).
  const coeffOf = (c: Composition) => coeffs![comps.findIndex((d) => sameAmounts(d, c))]!;
  const consumed = (c: Composition) => comps.some((d, i) => coeffs![i]! < 0 && sameAmounts(d, c));
  const k1 = consumed(s.c1) ? coeffOf(s.c1) : 0;
  const k2 = consumed(s.c2) ? coeffOf(s.c2) : 0;
  const xo = k1 / (k1 + k2);
  const scale = pyIsClose(xo, 1) ? Math.abs((1 / coeffOf(s.c1)) * xo) : Math.abs((1 / coeffOf(s.c2)) * (1 - xo));
  const final = coeffs.map((c) => c * scale);

  // pymatgen BalancedReaction._str_from_comp / _str_from_formulas.
  const left: string[] = [];
  const right: string[] = [];
  const reactants: ReactionTerm[] = [];
  let atoms = 0;
  terms.forEach((x, i) => {
    const amt = final[i]! * x.factor;
    if (Math.abs(amt + 1) < REACTION_TOLERANCE) left.push(x.formula);
    else if (Math.abs(amt - 1) < REACTION_TOLERANCE) right.push(x.formula);
    else if (amt < -REACTION_TOLERANCE) left.push(`${pyFormatG4(-amt)} ${x.formula}`);
    else if (amt > REACTION_TOLERANCE) right.push(`${pyFormatG4(amt)} ${x.formula}`);
    if (amt < -REACTION_TOLERANCE) reactants.push({ formula: x.formula, amount: -amt });
    for (const el of x.comp.elements) if (el !== open) atoms += (x.comp.amount(el) * Math.abs(final[i]!)) / 2;
  });
  return {
    text: `${left.join(' + ')} -> ${right.join(' + ')}`,
    reactants,
    products: phases.map((p, j) => ({ formula: terms[nR + j]!.formula, amount: final[nR + j]! * terms[nR + j]!.factor, entry: p.entry, fraction: p.fraction })),
    atoms,
  };
}

/** Dimension of the solutions of the element balance (compositions − rank), by Gaussian elimination. */
function balanceNullity(comps: readonly Composition[]): number {
  const els: string[] = [];
  for (const c of comps) for (const el of c.elements) if (!els.includes(el)) els.push(el);
  const m = els.length;
  const n = comps.length;
  const A = new Float64Array(m * n);
  let scale = 0;
  comps.forEach((c, j) => {
    for (let i = 0; i < m; i++) {
      const v = c.amount(els[i]!);
      A[i * n + j] = v;
      if (v > scale) scale = v;
    }
  });
  let rank = 0;
  for (let col = 0; col < n && rank < m; col++) {
    let piv = rank;
    for (let i = rank + 1; i < m; i++) if (Math.abs(A[i * n + col]!) > Math.abs(A[piv * n + col]!)) piv = i;
    if (Math.abs(A[piv * n + col]!) <= 1e-9 * scale) continue;
    if (piv !== rank) {
      for (let j = 0; j < n; j++) {
        const tmp = A[rank * n + j]!;
        A[rank * n + j] = A[piv * n + j]!;
        A[piv * n + j] = tmp;
      }
    }
    for (let i = rank + 1; i < m; i++) {
      const f = A[i * n + col]! / A[rank * n + col]!;
      if (f !== 0) for (let j = col; j < n; j++) A[i * n + j]! -= f * A[rank * n + j]!;
    }
    rank++;
  }
  return n - rank;
}
