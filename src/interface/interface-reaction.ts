/**
 * Interface reactions: the pseudo-binary x·c1 + (1−x)·c2 between two materials (electrode,
 * electrolyte, coating), closed or open to one element at a fixed chemical potential (a voltage),
 * with pymatgen 2022.11's InterfacialReactivity / GrandPotentialInterfacialReactivity semantics
 * (norm, use_hull_energy, include_no_mixing_energy).
 *
 * The reaction energy at x is the hull energy of the mixture minus the mixing line of the
 * reactants' energies. The hull along the segment is convex and piecewise linear, so the energy
 * is piecewise linear in x and its kinks — where the products change — are exactly the kinks of
 * the hull, which `SystemIndex.segment` finds exactly (no grid): every kink with its reaction
 * energy, balanced reaction (pymatgen's `str(Reaction)`) and products, and the minimum.
 *
 * Open systems use the grand potential Φ = E − μ·N_open per non-open atom: the hull over the
 * phases' non-open compositions at their Φ (pymatgen's GrandPotentialPhaseDiagram).
 */
import { Composition, FormulaError } from '../core/index.js';
import { ELEMENT_SYMBOLS, isElementSymbol } from '../core/index.js';
import { ElementProfileError, muFromVoltage, voltageFromMu } from '../thermo/index.js';
import type { Entry } from '../core/index.js';
import { GrandPotentialEntry, GrandPotentialPhaseDiagram } from '../thermo/index.js';
import { HullError } from '../thermo/index.js';
import { PhaseDiagram } from '../thermo/index.js';
import { formatG, Reaction, REACTION_TOLERANCE, ReactionError, sameAmounts } from '../core/index.js';
import { SystemIndex } from '../thermo/index.js';

const EV_TO_KJ_PER_MOL = 96.4853; // pymatgen InterfacialReactivity.EV_TO_KJ_PER_MOL

export class InterfaceReactionError extends Error {
  override name = 'InterfaceReactionError';
}

/** The phases a reaction is computed over: a PhaseDiagram, or an evaluated SystemIndex (e.g. of a whole table). */
export type ReactionDiagram = PhaseDiagram | SystemIndex;

/** An element exchanged with a reservoir at a fixed chemical potential. */
export interface OpenElement {
  /** The open element, e.g. `Li`. */
  element: string;
  /**
   * Voltage vs the element's metal (V): μ − μ_ref = −z·V with z the ion's charge (1 for Li, Na,
   * K; 2 for Mg, Ca, Zn; see `ionValence`). Give this or `mu`.
   */
  voltage?: number;
  /** Chemical potential relative to the element's reference energy (eV/atom). */
  mu?: number;
  /** Ion charge z for `voltage` (default from `ionValence`). */
  valence?: number;
}

export interface InterfaceReactionOptions {
  /**
   * pymatgen `use_hull_energy`: reactant energies are the hull energies at their compositions
   * (metastable reactants are replaced by their equilibrium mixture). Default false: the lowest
   * entry of the reactant's composition that lies below its elements, and the hull energy only
   * for reactants without such an entry (absent from the data, or above their elements).
   */
  useHullEnergy?: boolean;
  /**
   * pymatgen `norm` (default true): both reactants are normalised to one atom (one non-open atom
   * when open), x is the fraction of c1 on that scale and energies are per atom of mixture.
   * false: x counts formula units as written and energies are per formula unit of mixture.
   */
  norm?: boolean;
  /** Open the system to an element at a voltage / chemical potential (grand potential). */
  open?: OpenElement;
  /**
   * Open systems only, pymatgen `include_no_mixing_energy` (default true): reactant energies are
   * their grand potentials Φ = E − μ·N_open, so reactions with the reservoir alone count (the
   * ends x = 0 and x = 1 are then not zero). false: the grand hull energies of the reactants.
   */
  includeNoMixingEnergy?: boolean;
  /** Names of c1 and c2 in error messages (default `c1`, `c2`). */
  names?: readonly [string, string];
  /**
   * Volumes (Å³/atom) by reduced formula, for phases whose entries carry none (e.g. the 0-eV
   * elemental references added to formation-energy data). Used for `volumeChange` only.
   */
  volumes?: Readonly<Record<string, number>>;
}

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

// ---------------------------------------------------------------------------------------------
// Reactant input

/**
 * Parses a reactant formula: everything `Composition.parse` accepts (`Li0.5CoO2`,
 * `LiNi0.8Co0.15Al0.05O2`), plus amounts written as fractions `a/b` (`LiNi1/3Mn1/3Co1/3O2`).
 * Errors name the reactant.
 */
export function parseReactant(formula: string | Composition, what = 'reactant'): Composition {
  if (formula instanceof Composition) return formula;
  if (typeof formula !== 'string') throw new InterfaceReactionError(`${what} must be a formula string or a Composition, got ${typeof formula}`);
  const known = parsed.get(formula);
  if (known) return known;
  const c = parseUncached(formula, what);
  if (parsed.size >= 1024) parsed.clear();
  parsed.set(formula, c);
  return c;
}

// Compositions are immutable: the same formula gives the same object (and its cached keys).
const parsed = new Map<string, Composition>();

function parseUncached(formula: string, what: string): Composition {
  const text = formula.replace(/(\d+(?:\.\d*)?|\.\d+)\s*\/\s*(\d+(?:\.\d*)?|\.\d+)/g, (m, a: string, b: string) => {
    const den = Number(b);
    if (den === 0) throw new InterfaceReactionError(`${what} ${JSON.stringify(formula)}: division by zero in the amount '${m}'`);
    return String(Number(a) / den);
  });
  try {
    return Composition.parse(text);
  } catch (e) {
    if (e instanceof FormulaError) throw new InterfaceReactionError(`${what} ${JSON.stringify(formula)}: ${e.message}`, { cause: e });
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// The phases, behind one small interface

interface PhaseSource {
  readonly elements: ReadonlySet<string>;
  /** The evaluated index: its segments run over the stable phases, on the source's formation-energy scale. */
  readonly index: SystemIndex;
  /** Stable (hull vertex) entries made only of `els`. */
  stableWithin(els: readonly string[]): Entry[];
  /** Every stable entry of the source (all chemical systems), and how many there are. */
  allStable(): Entry[];
  readonly stableCount: number;
  /** Grand-potential hulls built at one (open element, μ), for `grandHull`'s reuse. */
  readonly grandHulls: Map<string, { spent: number; global?: GrandHull }>;
  /** Formation energy per atom (eV/atom) of an entry of the source. */
  eForm(e: Entry): number;
  /** pymatgen's qhull entry of a composition: its lowest entry if below its elements (an element: its reference). */
  qhullEntry(c: Composition): { entry: Entry; eForm: number } | undefined;
  /** The lowest-energy entry of a composition, whatever its energy (for its volume). */
  lowestEntry(c: Composition): Entry | undefined;
}

const stableBySystem = new WeakMap<SystemIndex, Map<string, number[]>>();

const sources = new WeakMap<object, PhaseSource>();

function sourceOf(diagram: ReactionDiagram): PhaseSource {
  let s = sources.get(diagram);
  if (!s) {
    s = makeSource(diagram);
    sources.set(diagram, s);
  }
  return s;
}

function makeSource(diagram: ReactionDiagram): PhaseSource {
  if (diagram instanceof GrandPotentialPhaseDiagram) {
    // pymatgen's InterfacialReactivity refuses one too: the reactants' energies need the closed diagram.
    throw new InterfaceReactionError(
      `give the closed phase diagram and options.open = { element: '${diagram.openElements[0]}', voltage } (or mu) instead of a GrandPotentialPhaseDiagram: the grand-potential hull is built from it at that voltage`,
    );
  }
  if (diagram instanceof PhaseDiagram) return indexSource(diagram.systemIndex, diagram.elements);
  if (diagram instanceof SystemIndex) return indexSource(diagram);
  throw new InterfaceReactionError('the diagram must be a PhaseDiagram or an evaluated SystemIndex');
}

function indexSource(index: SystemIndex, diagramElements?: readonly string[]): PhaseSource {
  let bySystem = stableBySystem.get(index);
  if (!bySystem) {
    bySystem = new Map();
    let any = false;
    index.entries.forEach((e, i) => {
      if (!index.isStable[i]) return;
      any = true;
      const k = e.composition.chemicalSystem;
      const l = bySystem!.get(k);
      if (l) l.push(i);
      else bySystem!.set(k, [i]);
    });
    if (!any) throw new InterfaceReactionError('the SystemIndex has not been evaluated: run index.evaluate() to the end first');
    stableBySystem.set(index, bySystem);
  }
  const systems = bySystem;
  const lowestIndex = (c: Composition): number | undefined => {
    const g = index.groups.byKey.get(c.key);
    return g === undefined ? undefined : index.groups.lowest[g];
  };
  return {
    elements: new Set<string>(diagramElements ?? index.refs.keys()),
    index,
    stableWithin(els) {
      const out: Entry[] = [];
      for (const sys of subsystems(els)) for (const i of systems.get(sys) ?? []) out.push(index.entries[i]!);
      return out;
    },
    allStable() {
      return index.entries.filter((_, i) => index.isStable[i] === 1);
    },
    stableCount: [...systems.values()].reduce((n, l) => n + l.length, 0),
    grandHulls: new Map(),
    eForm(e) {
      const i = index.indexOf(e);
      if (i === undefined) throw new InterfaceReactionError(`entry ${JSON.stringify(e.id)} is not part of the diagram`);
      return index.eForm[i]!;
    },
    qhullEntry(c) {
      const ref = c.elements.length === 1 ? index.refs.get(c.elements[0]!) : undefined;
      const i = ref ? index.indexOf(ref) : lowestIndex(c);
      if (i === undefined || !index.isCandidate[i]) return undefined;
      return { entry: index.entries[i]!, eForm: index.eForm[i]! };
    },
    lowestEntry(c) {
      const i = lowestIndex(c);
      return i === undefined ? undefined : index.entries[i];
    },
  };
}

function subsystems(els: readonly string[]): string[] {
  const sorted = [...new Set(els)].sort();
  const out: string[] = [];
  for (let mask = 1; mask < 1 << sorted.length; mask++) {
    const parts: string[] = [];
    for (let b = 0; b < sorted.length; b++) if (mask & (1 << b)) parts.push(sorted[b]!);
    out.push(parts.join('-'));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The grand-potential hull (open element at fixed μ)

interface GrandHull {
  readonly index: SystemIndex;
  /** Source entry of each grand entry, and its open-element atoms per non-open atom. */
  readonly origin: Map<Entry, { entry: Entry; r: number }>;
}

/**
 * The grand-potential hull over the stable phases of `els` (open element included): pymatgen's
 * GrandPotPDEntry (`GrandPotentialEntry`: non-open composition, Φ = E − μ·N_open) of every phase
 * but the pure open element, at the absolute μ = μ_ref + `mu`. Only phases stable in the closed
 * diagram can be on it — an unstable phase is beaten at its own composition by a mixture with
 * the same open-element content, hence at every μ — so it has the hull of pymatgen's
 * GrandPotentialPhaseDiagram over all entries, at the cost of the stable phases only.
 */
function grandHull(source: PhaseSource, els: readonly string[], open: string, muAbs: number): GrandHull {
  // Many reactions at one μ (a screen at the cathode's voltage) share one hull over every stable
  // phase of the source: per chemical system it is the same hull (SystemIndex), with the same
  // points in the same order. It is built once the small hulls built at that μ have cost as much
  // (entries summed) as it would, so one-off reactions on a large table never pay for it.
  const key = `${open} ${muAbs}`;
  let rec = source.grandHulls.get(key);
  if (!rec) {
    rec = { spent: 0 };
    source.grandHulls.set(key, rec);
    if (source.grandHulls.size > GRAND_HULLS_KEPT) source.grandHulls.delete(source.grandHulls.keys().next().value!);
  }
  if (rec.global) return rec.global;
  const local = source.stableWithin(els);
  rec.spent += local.length;
  if (rec.spent >= source.stableCount) {
    rec.global = buildGrandHull(source.allStable(), open, muAbs);
    return rec.global;
  }
  return buildGrandHull(local, open, muAbs);
}

// (open element, μ) pairs whose grand-potential hulls a source keeps.
const GRAND_HULLS_KEPT = 8;

function buildGrandHull(stable: readonly Entry[], open: string, muAbs: number): GrandHull {
  const origin = new Map<Entry, { entry: Entry; r: number }>();
  const grand: Entry[] = [];
  for (const e of stable) {
    const c = e.composition;
    const xo = c.atomicFraction(open);
    if (xo >= 1) continue; // the reservoir itself
    const g = new GrandPotentialEntry(e, { [open]: muAbs });
    origin.set(g, { entry: e, r: xo / (1 - xo) });
    grand.push(g);
  }
  const index = new SystemIndex(grand);
  for (const _ of index.evaluate({ decompositions: false })) void _;
  return { index, origin };
}

// ---------------------------------------------------------------------------------------------
// The reaction

interface Resolved {
  readonly c1: Composition;
  readonly c2: Composition;
  readonly open?: { element: string; mu: number; voltage: number };
  readonly norm: boolean;
  readonly useHullEnergy: boolean;
  readonly includeNoMixingEnergy: boolean;
  readonly volumes: Readonly<Record<string, number>>;
}

function resolve(c1in: string | Composition, c2in: string | Composition, source: PhaseSource, options: InterfaceReactionOptions): Resolved {
  if (options === null || typeof options !== 'object') throw new InterfaceReactionError(`options must be an object, got ${String(options)}`);
  const [n1, n2] = options.names ?? ['c1', 'c2'];
  const c1 = parseReactant(c1in, `reactant ${n1}`);
  const c2 = parseReactant(c2in, `reactant ${n2}`);
  // As the user wrote them.
  const shown = (given: string | Composition, c: Composition) => (typeof given === 'string' ? given : c.formula);
  const s1 = shown(c1in, c1);
  const s2 = shown(c2in, c2);
  const dElements = [...source.elements].sort().join('-');
  for (const [name, c, sh] of [
    [n1, c1, s1],
    [n2, c2, s2],
  ] as const) {
    const outside = c.elements.filter((el) => !source.elements.has(el));
    if (outside.length) {
      throw new InterfaceReactionError(`reactant ${name} ${sh}: ${outside.join(', ')} ${outside.length > 1 ? 'are' : 'is'} outside the diagram's elements ${dElements}`);
    }
  }
  if (c1.key === c2.key) {
    throw new InterfaceReactionError(`the reactants ${s1} and ${s2} have the same composition (${c1.reducedFormula}): there is no interface to react`);
  }
  for (const [name, v] of [
    ['useHullEnergy', options.useHullEnergy],
    ['norm', options.norm],
    ['includeNoMixingEnergy', options.includeNoMixingEnergy],
  ] as const) {
    if (v !== undefined && typeof v !== 'boolean') throw new InterfaceReactionError(`option ${name} must be a boolean, got ${String(v)}`);
  }
  if (options.names !== undefined && !(Array.isArray(options.names) && options.names.length === 2 && options.names.every((n) => typeof n === 'string'))) {
    throw new InterfaceReactionError('option names must be two strings');
  }
  if (options.volumes !== undefined) {
    if (options.volumes === null || typeof options.volumes !== 'object') throw new InterfaceReactionError('option volumes must map reduced formulas to volumes per atom');
    for (const [f, v] of Object.entries(options.volumes)) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new InterfaceReactionError(`option volumes: ${f} must be a finite volume > 0 (Å³/atom), got ${String(v)}`);
    }
  }
  const base = {
    c1,
    c2,
    norm: options.norm ?? true,
    useHullEnergy: options.useHullEnergy ?? false,
    includeNoMixingEnergy: options.includeNoMixingEnergy ?? true,
    volumes: options.volumes ?? {},
  };
  if (options.open === undefined) return base;
  return {
    ...base,
    open: resolveOpen(options.open, source, dElements, [
      [n1, c1, s1],
      [n2, c2, s2],
    ]),
  };
}

function resolveOpen(o: OpenElement, source: PhaseSource, dElements: string, reactants: ReadonlyArray<readonly [string, Composition, string]>): { element: string; mu: number; voltage: number } {
  if (o === null || typeof o !== 'object') throw new InterfaceReactionError(`option open must be { element, voltage } or { element, mu }, got ${String(o)}`);
  const { element, voltage, mu } = o;
  if (!isElementSymbol(element)) throw new InterfaceReactionError(`open element: unknown element ${JSON.stringify(element)}`);
  if (!source.elements.has(element)) throw new InterfaceReactionError(`open element ${element} is outside the diagram's elements ${dElements}`);
  if ((voltage === undefined) === (mu === undefined)) throw new InterfaceReactionError(`open element ${element}: give exactly one of a voltage or a chemical potential mu`);
  const given = voltage ?? mu;
  if (typeof given !== 'number' || !Number.isFinite(given)) {
    throw new InterfaceReactionError(`open element ${element}: ${voltage !== undefined ? 'voltage' : 'mu'} must be a finite number, got ${String(given)}`);
  }
  for (const [name, c, sh] of reactants) {
    if (c.elements.length === 1 && c.elements[0] === element) {
      throw new InterfaceReactionError(`reactant ${name} ${sh} is the open element itself: with ${element} open it is the reservoir, not a reactant`);
    }
  }
  try {
    if (voltage !== undefined) return { element, mu: muFromVoltage(voltage, element, o.valence), voltage };
    let v = NaN;
    try {
      v = voltageFromMu(mu!, element, o.valence);
    } catch (e) {
      if (!(e instanceof ElementProfileError) || o.valence !== undefined) throw e;
    }
    return { element, mu: mu!, voltage: v };
  } catch (e) {
    if (e instanceof ElementProfileError) throw new InterfaceReactionError(`open element ${element}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** Non-open part of a composition (the composition itself when closed). */
function nonOpen(c: Composition, open: string | undefined): Composition {
  if (!open || !c.has(open)) return c;
  const m: Record<string, number> = {};
  for (const el of c.elements) if (el !== open) m[el] = c.amount(el);
  return Composition.fromDict(m);
}

/**
 * The interface reaction between c1 and c2 (formulas — fractional amounts allowed — or
 * Compositions) over the phases of `diagram`: every kink of x·c1 + (1−x)·c2 with its reaction
 * energy, balanced reaction and products, the minimum and the curve. With `options.open` the
 * system is open to that element at the given voltage (pymatgen GrandPotentialInterfacialReactivity).
 * Reactants need not be in the data (their hull energy is used then).
 */
export function interfaceReaction(c1: string | Composition, c2: string | Composition, diagram: ReactionDiagram, options: InterfaceReactionOptions = {}): InterfaceReaction {
  const source = sourceOf(diagram);
  return compute(resolve(c1, c2, source, options), source);
}

/**
 * Only the minimum of `interfaceReaction` (the same x, energy and kink, reaction included),
 * without balancing the other kinks' reactions: what a screen over thousands of pairs needs.
 */
export function interfaceReactionMinimum(c1: string | Composition, c2: string | Composition, diagram: ReactionDiagram, options: InterfaceReactionOptions = {}): InterfaceReaction['minimum'] {
  const source = sourceOf(diagram);
  const { energies, makeKink } = kinkContext(resolve(c1, c2, source, options), source);
  const kink = makeKink(minimumIndex(energies));
  return { x: kink.x, energyPerAtom: kink.energyPerAtom, kink };
}

/** A reactant's energy per atom (formation scale) in the closed diagram: pymatgen _get_entry_energy, or the hull. */
function closedReactantEnergy(c: Composition, source: PhaseSource, useHull: boolean, hull: () => number): number {
  if (!useHull) {
    const q = source.qhullEntry(c);
    if (q) return q.eForm;
  }
  return hull();
}

interface Phase {
  readonly entry: Entry;
  readonly fraction: number;
  /** Open-element atoms per non-open atom (0 when closed). */
  readonly r: number;
}

/** The hull along the reactants' segment, and how to turn a point of it into a kink. */
function kinkContext(r: Resolved, source: PhaseSource) {
  const open = r.open?.element;
  const comp1 = nonOpen(r.c1, open);
  const comp2 = nonOpen(r.c2, open);
  // Non-open share of each reactant's atoms (pymatgen factor1/factor2): 1 when closed.
  const f1 = comp1.numAtoms / r.c1.numAtoms;
  const f2 = comp2.numAtoms / r.c2.numAtoms;
  const allEls = [...new Set([...r.c1.elements, ...r.c2.elements, ...(open ? [open] : [])])].sort();
  const els = [...new Set([...comp1.elements, ...comp2.elements])].sort();
  // Segment from comp2 (t = 0) to comp1 (t = 1), in atomic fractions (of non-open atoms when open):
  // t is pymatgen's mixing ratio before conversion.
  const a = Float64Array.from(els, (el) => comp2.atomicFraction(el));
  const b = Float64Array.from(els, (el) => comp1.atomicFraction(el));

  let index: SystemIndex = source.index;
  // Absolute energy scale (that of the entries) = formation scale + the elemental references.
  const refE = (el: string) => source.index.refs.get(el)!.energyPerAtom;
  const refMix = (c: Composition) => c.elements.reduce((s, el) => s + c.atomicFraction(el) * refE(el), 0);
  let shift = (_t: number) => 0;
  let origin: GrandHull['origin'] | undefined;
  let muAbs = 0;
  if (r.open) {
    muAbs = refE(r.open.element) + r.open.mu;
    const g = grandHull(source, allEls, r.open.element, muAbs);
    index = g.index;
    origin = g.origin;
    // The grand index measures Φ from its own elemental references: add them back (absolute Φ).
    const refPhi = els.map((el) => g.index.refs.get(el)!.energyPerAtom);
    shift = (t) => els.reduce((s, _, k) => s + ((1 - t) * a[k]! + t * b[k]!) * refPhi[k]!, 0);
  }
  // Open systems can have reactants with the same non-open composition (Li2O, Li2O2 with Li
  // open): pymatgen then reports the two ends, both at that composition.
  const same = comp1.key === comp2.key;
  let seg: ReturnType<SystemIndex['segment']>;
  try {
    seg = index.segment(els, a, b);
  } catch (e) {
    if (e instanceof HullError) throw new InterfaceReactionError(`no hull along ${r.c2.formula} → ${r.c1.formula}: ${e.message}`, { cause: e });
    throw e;
  }
  const pts = same ? [seg.points[0]!, { ...seg.points[0]!, t: 1 }] : seg.points;
  const hullAt = (q: number) => pts[q]!.value + shift(same ? 0 : pts[q]!.t);

  // Reactant energies on the scale of the hull: formation energy per atom (closed), absolute
  // grand potential per non-open atom (open).
  let e1: number;
  let e2: number;
  if (!r.open) {
    e1 = closedReactantEnergy(r.c1, source, r.useHullEnergy, () => hullAt(pts.length - 1));
    e2 = closedReactantEnergy(r.c2, source, r.useHullEnergy, () => hullAt(0));
  } else if (r.includeNoMixingEnergy) {
    const element = r.open.element;
    // pymatgen _get_grand_potential: (E − μ·N_open) / N_non-open, E from pd_non_grand.
    const phi = (c: Composition, f: number) => {
      const hull = () =>
        source.index.hullAt(
          c.elements,
          Float64Array.from(c.elements, (el) => c.atomicFraction(el)),
          'stable',
        ).value;
      const eAbs = closedReactantEnergy(c, source, r.useHullEnergy, hull) + refMix(c);
      return (eAbs - c.atomicFraction(element) * muAbs) / f;
    };
    e1 = phi(r.c1, f1);
    e2 = phi(r.c2, f2);
  } else {
    e1 = hullAt(pts.length - 1);
    e2 = hullAt(0);
  }

  const rOpen = (c: Composition) => (open ? c.amount(open) / (c.numAtoms - c.amount(open)) : 0);
  const r1 = rOpen(r.c1);
  const r2 = rOpen(r.c2);
  // pymatgen _convert: from the non-open-atom scale to the atom scale of c1 and c2.
  const convert = (t: number) => (same ? t : (t * f2) / ((1 - t) * f1 + t * f2));
  // !norm: formula units as written; a formula unit of c1 has n1 (non-open) atoms.
  const n1 = comp1.numAtoms;
  const n2 = comp2.numAtoms;
  const outScale = (t: number, e: number): [number, number] => {
    if (r.norm) return [convert(t), e];
    if (same) return [t, e * ((1 - t) * n2 + t * n1)];
    const x = (t * n2) / (n1 + t * (n2 - n1));
    return [x, e * (x * n1 + (1 - x) * n2)];
  };
  const linearX = same || (r.norm ? f1 === f2 : n1 === n2);
  const tEnergies = pts.map((p, q) => hullAt(q) - p.t * e1 - (1 - p.t) * e2);
  const setup = reactionSetup(r);

  const makeKink = (q: number): InterfaceKink => {
    const p = pts[q]!;
    const t = p.t;
    const [x, energy] = outScale(t, tEnergies[q]!);
    const phases: Phase[] = p.decomposition.map((d) => {
      const o = origin?.get(d.entry);
      return { entry: o ? o.entry : d.entry, fraction: d.fraction, r: o ? o.r : 0 };
    });
    const uptake = open ? phases.reduce((s, ph) => s + ph.fraction * ph.r, 0) - t * r1 - (1 - t) * r2 : 0;
    const rx = kinkReaction(setup, t, phases, uptake);
    const nMix = r.norm ? 1 : x * n1 + (1 - x) * n2;
    const kink: InterfaceKink = {
      index: q + 1,
      x,
      energyPerAtom: energy,
      // pymatgen: energy × (non-open) atoms of the reaction as written / atoms of the mixture.
      energyKjPerMol: ((energy * rx.atoms) / nMix) * EV_TO_KJ_PER_MOL,
      reaction: rx.text,
      reactants: rx.reactants,
      products: rx.products,
      openUptake: uptake,
    };
    const dv = volumeChange(r, source, t, phases, f1, f2);
    return dv === undefined ? kink : { ...kink, volumeChange: dv };
  };
  // Energies of the kinks (x-scale and per atom as reported), without their reactions.
  const energies = pts.map((p, q) => outScale(p.t, tEnergies[q]!)[1]);
  return { pts, tEnergies, energies, outScale, linearX, makeKink, e1, e2, n1, n2 };
}

/** The first kink of lowest energy (pymatgen's minimum). */
function minimumIndex(energies: readonly number[]): number {
  let m = 0;
  for (let q = 1; q < energies.length; q++) if (energies[q]! < energies[m]!) m = q;
  return m;
}

function compute(r: Resolved, source: PhaseSource): InterfaceReaction {
  const { pts, tEnergies, outScale, linearX, makeKink, e1, e2, n1, n2 } = kinkContext(r, source);
  const kinks = pts.map((_, q) => makeKink(q));
  const min = kinks[minimumIndex(kinks.map((k) => k.energyPerAtom))]!;
  const reactantEnergies: [number, number] = r.norm ? [e1, e2] : [e1 * n1, e2 * n2];
  return {
    c1: r.c1,
    c2: r.c2,
    ...(r.open ? { open: r.open } : {}),
    norm: r.norm,
    useHullEnergy: r.useHullEnergy,
    includeNoMixingEnergy: r.includeNoMixingEnergy,
    reactantEnergies,
    kinks,
    minimum: { x: min.x, energyPerAtom: min.energyPerAtom, kink: min },
    curve: curveOf(
      pts.map((p) => p.t),
      tEnergies,
      outScale,
      linearX,
    ),
    products: [...new Set(kinks.flatMap((k) => k.products.map((p) => p.formula)))],
  };
}

const CURVE_SAMPLES = 16;

/** Kinks, plus samples between them where x is not linear in the mixture (energy is linear in t). */
function curveOf(ts: readonly number[], es: readonly number[], out: (t: number, e: number) => [number, number], linear: boolean) {
  const x: number[] = [];
  const energy: number[] = [];
  for (let q = 0; q < ts.length; q++) {
    const steps = linear || q === ts.length - 1 ? 1 : CURVE_SAMPLES;
    for (let s = 0; s < steps; s++) {
      const t = ts[q]! + ((ts[q + 1]! - ts[q]!) * s) / steps;
      const e = es[q]! + ((es[q + 1]! - es[q]!) * s) / steps;
      const [xo, eo] = s === 0 ? out(ts[q]!, es[q]!) : out(t, e);
      x.push(xo);
      energy.push(eo);
    }
  }
  return { x, energyPerAtom: energy };
}

/** ΔV/V of the solids at mixing t, or undefined when a phase has no volume. */
function volumeChange(r: Resolved, source: PhaseSource, t: number, phases: readonly Phase[], f1: number, f2: number): number | undefined {
  const vol = (e: Entry | undefined, formula: string): number | undefined => r.volumes[formula] ?? e?.volumePerAtom;
  // Per non-open atom of mixture: atoms of each solid (all elements) × its volume per atom.
  let vr = 0;
  for (const [c, share, f] of [
    [r.c1, t, f1],
    [r.c2, 1 - t, f2],
  ] as const) {
    if (share <= 0) continue;
    const v = vol(source.lowestEntry(c), c.reducedFormula);
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

/** A composition of a reaction with what its terms need, computed once. */
interface Term {
  readonly comp: Composition;
  /** pymatgen reduced formula and factor (comp = reduced × factor). */
  readonly formula: string;
  readonly factor: number;
}

const termCache = new WeakMap<object, Term>();
/** The reaction term of a phase: Composition(entry.name) in pymatgen, i.e. its reduced formula. */
function productTerm(e: Entry): Term {
  let t = termCache.get(e);
  if (!t) {
    const comp = Composition.parse(e.composition.reducedFormula);
    t = { comp, formula: comp.reducedFormula, factor: comp.reduced().factor };
    termCache.set(e, t);
  }
  return t;
}
function compositionTerm(c: Composition): Term {
  let t = termCache.get(c);
  if (!t) {
    t = { comp: c, formula: c.reducedFormula, factor: c.reduced().factor };
    termCache.set(c, t);
  }
  return t;
}

/** What every kink of one reaction shares. */
interface ReactionSetup {
  readonly r: Resolved;
  /** list({c1, c2}) in CPython's order. */
  readonly pair: readonly Composition[];
  readonly openTerm?: Term;
  readonly c1: Term;
  readonly c2: Term;
}

function reactionSetup(r: Resolved): ReactionSetup {
  const open = r.open?.element;
  const base = { r, pair: pySetOrder(r.c1, r.c2), c1: compositionTerm(r.c1), c2: compositionTerm(r.c2) };
  return open ? { ...base, openTerm: compositionTerm(Composition.fromDict({ [open]: 1 })) } : base;
}

interface KinkReaction {
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
function kinkReaction(setup: ReactionSetup, t: number, phases: readonly Phase[], uptake: number): KinkReaction {
  const { r } = setup;
  const open = r.open?.element;
  const at0 = pyIsClose(t, 0);
  const at1 = !at0 && pyIsClose(t, 1);
  const pair = at0 ? [r.c2] : at1 ? [r.c1] : setup.pair;
  const terms: Term[] = pair.map((c) => (c === r.c1 ? setup.c1 : setup.c2));
  if (setup.openTerm) terms.push(setup.openTerm);
  const nR = terms.length;
  for (const p of phases) terms.push(productTerm(p.entry));
  const comps = terms.map((x) => x.comp);

  let coeffs: number[] | undefined;
  const exactEnd = at0 ? t === 0 : at1 ? t === 1 : true;
  if (exactEnd && balanceNullity(comps) === 1) {
    // Formula units per non-open atom of mixture; reactants negative (pymatgen's signs).
    const nonOpenAtoms = (c: Composition) => c.numAtoms - (open ? c.amount(open) : 0);
    coeffs = comps.map((c, i) => {
      if (i < pair.length) return -(c === r.c1 ? t : 1 - t) / nonOpenAtoms(c);
      if (i < nR) return -uptake; // the open element: consumed when taken up
      return phases[i - nR]!.fraction / nonOpenAtoms(c);
    });
  } else {
    try {
      coeffs = [...Reaction.balance(comps.slice(0, nR), comps.slice(nR)).coefficients];
    } catch (e) {
      if (e instanceof ReactionError) throw new InterfaceReactionError(`at x = ${t} of ${r.c1.formula} | ${r.c2.formula}: ${e.message}`, { cause: e });
      throw e;
    }
  }
  // pymatgen: x_original = share of c1 among the consumed c1, c2; normalize_to(c1, x_original) when
  // it is close to 1, else normalize_to(c2, 1 − x_original) (first composition equal to it).
  const coeffOf = (c: Composition) => coeffs![comps.findIndex((d) => sameAmounts(d, c))]!;
  const consumed = (c: Composition) => comps.some((d, i) => coeffs![i]! < 0 && sameAmounts(d, c));
  const k1 = consumed(r.c1) ? coeffOf(r.c1) : 0;
  const k2 = consumed(r.c2) ? coeffOf(r.c2) : 0;
  const xo = k1 / (k1 + k2);
  const scale = pyIsClose(xo, 1) ? Math.abs((1 / coeffOf(r.c1)) * xo) : Math.abs((1 / coeffOf(r.c2)) * (1 - xo));
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

// ---------------------------------------------------------------------------------------------
// The bits of numpy / CPython that pymatgen's reactant order and end-point tests rest on.

/**
 * Python's `format(x, '.4g')` for finite x ≠ 0. JavaScript's toExponential/toFixed round the
 * exact binary value correctly too, except on an exact tie (they round half up, Python half to
 * even). A tie needs x to equal a 5-significant-digit decimal ending in 5, whose shortest repr is
 * then those 5 digits: such values go to reaction.ts's exact `formatG`.
 */
export function pyFormatG4(x: number): string {
  if (!Number.isFinite(x) || x === 0) return formatG(x, 4);
  const shortest = Math.abs(x).toExponential(); // shortest round-trip digits
  const digits = shortest.slice(0, shortest.indexOf('e')).replace('.', '');
  if (digits.length === 5 && digits[4] === '5') return formatG(x, 4);
  const ex = x.toExponential(3); // d.ddde±E, correctly rounded
  const cut = ex.indexOf('e');
  const e = Number(ex.slice(cut + 1));
  if (e < -4 || e >= 4) {
    const mant = ex.slice(0, cut).replace(/\.?0+$/, '');
    return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const fixed = x.toFixed(3 - e);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** numpy.isclose(a, b) with its defaults (rtol 1e-5, atol 1e-8). */
export function pyIsClose(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);
}

const U64 = (1n << 64n) - 1n;

/** CPython 3.11's hash of a frozenset of small ints (hash(i) = i): pymatgen's Composition hash (Element hash = Z). */
function frozensetHash(items: readonly number[]): bigint {
  const shuffle = (h: bigint) => ((h ^ 89869747n ^ ((h << 16n) & U64)) * 3644798167n) & U64;
  let h = 0n;
  for (const i of items) h ^= shuffle(BigInt(i));
  h ^= (BigInt(items.length + 1) * 1927868237n) & U64;
  h ^= (h >> 11n) ^ (h >> 25n);
  h = (h * 69069n + 907133923n) & U64;
  if (h === U64) h = 590923713n;
  return h;
}

/** The order of `list({a, b})` for two pymatgen Compositions (CPython 3.11 set of 8 slots, equal ones merged). */
export function pySetOrder(a: Composition, b: Composition): Composition[] {
  if (sameAmounts(a, b)) return [a];
  const key = `${a.formula} ${b.formula}`;
  let first = setOrderCache.get(key);
  if (first === undefined) {
    first = pySetOrderUncached(a, b)[0] === a ? 0 : 1;
    if (setOrderCache.size >= 4096) setOrderCache.clear();
    setOrderCache.set(key, first);
  }
  return first === 0 ? [a, b] : [b, a];
}

const setOrderCache = new Map<string, 0 | 1>();

function pySetOrderUncached(a: Composition, b: Composition): Composition[] {
  const slots: Array<Composition | undefined> = new Array(8);
  for (const c of [a, b]) {
    const h = frozensetHash(c.elements.map(atomicNumber));
    let i = h & 7n;
    let perturb = h;
    while (slots[Number(i)] !== undefined) {
      perturb >>= 5n;
      i = (i * 5n + 1n + perturb) & 7n;
    }
    slots[Number(i)] = c;
  }
  return slots.filter((c): c is Composition => c !== undefined);
}

const Z = new Map(ELEMENT_SYMBOLS.map((s, i) => [s, i + 1]));
function atomicNumber(el: string): number {
  return Z.get(el)!;
}
