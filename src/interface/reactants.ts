/**
 * The set-up of an interface reaction, as pymatgen's InterfacialReactivity and
 * GrandPotentialInterfacialReactivity construct it: the reactants c1, c2 (parsed, checked against
 * the diagram) and the options; closed, or open to an element at a chemical potential with the
 * grand-potential hull at that μ (pymatgen comp1, comp2, factor1, factor2); and the reactants'
 * energies (pymatgen e1, e2). Written once for interfaceReaction and the voltage map, which
 * resolves its reactants once and opens them at every voltage it evaluates.
 */
import { Composition, FormulaError, isElementSymbol } from '../core/index.js';
import { ElementProfileError, muFromVoltage, voltageFromMu, type SystemIndex } from '../thermo/index.js';
import { type GrandHull, grandHull, InterfaceReactionError, type PhaseSource, type ReactionDiagram, sourceOf } from './phase-source.js';

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
   * Open systems only, pymatgen `include_no_mixing_energy` (default false, as pymatgen's
   * GrandPotentialInterfacialReactivity): the reactants' energies are their grand hull energies,
   * so the reaction energy is that of the interface alone — 0 at both ends, each reactant's own
   * reaction with the reservoir not counted. true: their grand potentials Φ = E − μ·N_open, so
   * a reactant's own decomposition at that voltage counts too (the ends x = 0 and x = 1 are then
   * not zero, and the minimum may be a reactant alone, e.g. Li3PS4 reduced at x = 0 below 1.7 V).
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

// ---------------------------------------------------------------------------------------------
// Reactant input

/**
 * Parses a reactant formula with `Composition.parse` (fractional amounts included: `Li0.5CoO2`,
 * `LiNi0.8Co0.15Al0.05O2`, `LiNi1/3Mn1/3Co1/3O2`). Errors name the reactant.
 */
export function parseReactant(formula: string | Composition, what = 'reactant'): Composition {
  if (formula instanceof Composition) return formula;
  if (typeof formula !== 'string') throw new InterfaceReactionError(`${what} must be a formula string or a Composition, got ${typeof formula}`);
  const known = parsed.get(formula);
  if (known) return known;
  let c: Composition;
  try {
    c = Composition.parse(formula);
  } catch (e) {
    if (e instanceof FormulaError) throw new InterfaceReactionError(`${what} ${JSON.stringify(formula)}: ${e.message}`, { cause: e });
    throw e;
  }
  if (parsed.size >= 1024) parsed.clear();
  parsed.set(formula, c);
  return c;
}

// Compositions are immutable: the same formula gives the same object (and its cached keys).
const parsed = new Map<string, Composition>();

// ---------------------------------------------------------------------------------------------
// The reactants and options, checked (what does not depend on the open element's μ)

/** A reactant's name in messages, its composition, and its formula as written. */
type Written = readonly [string, Composition, string];

/** c1, c2 and the options, checked against the diagram's phases. */
export interface Reactants {
  readonly source: PhaseSource;
  readonly c1: Composition;
  readonly c2: Composition;
  readonly norm: boolean;
  readonly useHullEnergy: boolean;
  readonly includeNoMixingEnergy: boolean;
  readonly volumes: Readonly<Record<string, number>>;
  readonly written: readonly [Written, Written];
  /**
   * A reactant's energy per atom in the closed diagram (pymatgen pd_non_grand), on the entries'
   * absolute scale: pymatgen _get_entry_energy, or the hull. Computed once per reactant.
   */
  nonGrandEnergy(c: Composition): number;
}

/** The reactants and options of a reaction over `diagram`, checked: everything but `options.open`. */
export function reactantsOf(c1in: string | Composition, c2in: string | Composition, diagram: ReactionDiagram, options: InterfaceReactionOptions): Reactants {
  const source = sourceOf(diagram);
  if (options === null || typeof options !== 'object') throw new InterfaceReactionError(`options must be an object, got ${String(options)}`);
  const [n1, n2] = options.names ?? ['c1', 'c2'];
  const c1 = parseReactant(c1in, `reactant ${n1}`);
  const c2 = parseReactant(c2in, `reactant ${n2}`);
  // As the user wrote them.
  const shown = (given: string | Composition, c: Composition) => (typeof given === 'string' ? given : c.formula);
  const written: [Written, Written] = [
    [n1, c1, shown(c1in, c1)],
    [n2, c2, shown(c2in, c2)],
  ];
  for (const [name, c, sh] of written) {
    const outside = c.elements.filter((el) => !source.elements.has(el));
    if (outside.length) {
      throw new InterfaceReactionError(`reactant ${name} ${sh}: ${outside.join(', ')} ${outside.length > 1 ? 'are' : 'is'} outside the diagram's elements ${diagramElements(source)}`);
    }
  }
  if (c1.key === c2.key) {
    throw new InterfaceReactionError(`the reactants ${written[0][2]} and ${written[1][2]} have the same composition (${c1.reducedFormula}): there is no interface to react`);
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
  const useHullEnergy = options.useHullEnergy ?? false;
  const nonGrand = new Map<Composition, number>();
  return {
    source,
    c1,
    c2,
    norm: options.norm ?? true,
    useHullEnergy,
    includeNoMixingEnergy: options.includeNoMixingEnergy ?? false,
    volumes: options.volumes ?? {},
    written,
    nonGrandEnergy(c) {
      let e = nonGrand.get(c);
      if (e === undefined) {
        const hull = () =>
          source.index.hullAt(
            c.elements,
            Float64Array.from(c.elements, (el) => c.atomicFraction(el)),
            'stable',
          ).value;
        e = entryEnergy(c, source, useHullEnergy, hull) + c.elements.reduce((s, el) => s + c.atomicFraction(el) * referenceEnergy(source, el), 0);
        nonGrand.set(c, e);
      }
      return e;
    },
  };
}

const diagramElements = (source: PhaseSource) => [...source.elements].sort().join('-');

/** Energy per atom of an element's reference, on the entries' absolute scale. */
const referenceEnergy = (source: PhaseSource, el: string) => source.index.refs.get(el)!.energyPerAtom;

/** A reactant's energy per atom (formation scale) in the closed diagram: pymatgen _get_entry_energy, or the hull. */
function entryEnergy(c: Composition, source: PhaseSource, useHull: boolean, hull: () => number): number {
  if (!useHull) {
    const q = source.qhullEntry(c);
    if (q) return q.eForm;
  }
  return hull();
}

// ---------------------------------------------------------------------------------------------
// Closed, or open to an element at a chemical potential

/** pymatgen's (GrandPotential)InterfacialReactivity once constructed: the reactants, closed or open. */
export interface InterfaceSetup extends Reactants {
  /** Open element, μ relative to its reference (eV/atom) and voltage (NaN without a known valence). */
  readonly open?: { readonly element: string; readonly mu: number; readonly voltage: number };
  /** The open element's μ on the entries' absolute scale (0 when closed). */
  readonly muAbs: number;
  /** pymatgen comp1, comp2: the reactants without the open element (c1, c2 when closed). */
  readonly comp1: Composition;
  readonly comp2: Composition;
  /** pymatgen factor1, factor2: the non-open share of each reactant's atoms (1 when closed). */
  readonly factor1: number;
  readonly factor2: number;
  /** The hull the kinks lie on: the closed one, or the grand-potential hull at μ (pymatgen's grand_pd). */
  readonly hull: SystemIndex;
  /** Open: the closed entry behind each grand entry, and its open-element atoms per non-open atom. */
  readonly origin?: GrandHull['origin'];
}

/** The set-up of the reaction between c1 and c2 over `diagram` with `options` (open or closed). */
export function interfaceSetup(c1: string | Composition, c2: string | Composition, diagram: ReactionDiagram, options: InterfaceReactionOptions): InterfaceSetup {
  return openTo(reactantsOf(c1, c2, diagram, options), options.open);
}

/** The reactants, closed (`open` undefined) or open to `open.element` at its voltage or μ. */
export function openTo(r: Reactants, open: OpenElement | undefined): InterfaceSetup {
  const resolved = open === undefined ? undefined : resolveOpen(open, r);
  const element = resolved?.element;
  const comp1 = nonOpen(r.c1, element);
  const comp2 = nonOpen(r.c2, element);
  const factor1 = comp1.numAtoms / r.c1.numAtoms;
  const factor2 = comp2.numAtoms / r.c2.numAtoms;
  // Written out, not spread from r: a spread copies slowly, and a matrix makes thousands.
  const { source, c1, c2, norm, useHullEnergy, includeNoMixingEnergy, volumes, written, nonGrandEnergy } = r;
  if (!resolved) return { source, c1, c2, norm, useHullEnergy, includeNoMixingEnergy, volumes, written, nonGrandEnergy, muAbs: 0, comp1, comp2, factor1, factor2, hull: source.index };
  const muAbs = referenceEnergy(source, resolved.element) + resolved.mu;
  const allEls = [...new Set([...c1.elements, ...c2.elements, resolved.element])].sort();
  const g = grandHull(source, allEls, resolved.element, muAbs);
  return { source, c1, c2, norm, useHullEnergy, includeNoMixingEnergy, volumes, written, nonGrandEnergy, open: resolved, muAbs, comp1, comp2, factor1, factor2, hull: g.index, origin: g.origin };
}

function resolveOpen(o: OpenElement, r: Reactants): { element: string; mu: number; voltage: number } {
  if (o === null || typeof o !== 'object') throw new InterfaceReactionError(`option open must be { element, voltage } or { element, mu }, got ${String(o)}`);
  const { element, voltage, mu } = o;
  if (!isElementSymbol(element)) throw new InterfaceReactionError(`open element: unknown element ${JSON.stringify(element)}`);
  if (!r.source.elements.has(element)) throw new InterfaceReactionError(`open element ${element} is outside the diagram's elements ${diagramElements(r.source)}`);
  if ((voltage === undefined) === (mu === undefined)) throw new InterfaceReactionError(`open element ${element}: give exactly one of a voltage or a chemical potential mu`);
  const given = voltage ?? mu;
  if (typeof given !== 'number' || !Number.isFinite(given)) {
    throw new InterfaceReactionError(`open element ${element}: ${voltage !== undefined ? 'voltage' : 'mu'} must be a finite number, got ${String(given)}`);
  }
  for (const [name, c, sh] of r.written) {
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
 * pymatgen e1, e2: the energies of c1 and c2 on the scale of the hull the kinks lie on. Closed:
 * formation energy per atom (pymatgen _get_entry_energy). Open: absolute grand potential per
 * non-open atom, Φ = (E − μ·N_open) / N_non-open with E from the closed diagram (pymatgen
 * _get_grand_potential), or without include_no_mixing_energy the grand hull's own. `hullEnergy`
 * gives the hull's energy at comp2 (end 0) and comp1 (end 1).
 */
export function reactantEnergies(s: InterfaceSetup, hullEnergy: (end: 0 | 1) => number): [number, number] {
  if (!s.open) {
    return [entryEnergy(s.c1, s.source, s.useHullEnergy, () => hullEnergy(1)), entryEnergy(s.c2, s.source, s.useHullEnergy, () => hullEnergy(0))];
  }
  if (!s.includeNoMixingEnergy) return [hullEnergy(1), hullEnergy(0)];
  const element = s.open.element;
  const grandPotential = (c: Composition, factor: number) => (s.nonGrandEnergy(c) - c.atomicFraction(element) * s.muAbs) / factor;
  return [grandPotential(s.c1, s.factor1), grandPotential(s.c2, s.factor2)];
}
