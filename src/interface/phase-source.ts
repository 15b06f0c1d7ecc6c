/**
 * The phases an interface reaction runs over, behind one small interface (`PhaseSource`): a
 * PhaseDiagram or an evaluated SystemIndex, with its stable phases by chemical system, and the
 * grand-potential hull built from them when the system is open to an element at a fixed μ
 * (pymatgen's GrandPotentialPhaseDiagram). Kept apart from the reactants and the reaction because
 * every interface reaction — one-off, screened, or swept over voltage — shares these per diagram.
 * Also the error that all of interface/ throws.
 */
import type { Composition, Entry } from '../core/index.js';
import { GrandPotentialEntry, GrandPotentialPhaseDiagram, PhaseDiagram, SystemIndex } from '../thermo/index.js';

export class InterfaceReactionError extends Error {
  override name = 'InterfaceReactionError';
}

/** The phases a reaction is computed over: a PhaseDiagram, or an evaluated SystemIndex (e.g. of a whole table). */
export type ReactionDiagram = PhaseDiagram | SystemIndex;

/** The phases of a diagram, as the reactions use them. */
export interface PhaseSource {
  readonly elements: ReadonlySet<string>;
  /** The evaluated index: its segments run over the stable phases, on the source's formation-energy scale. */
  readonly index: SystemIndex;
  /** Stable (hull vertex) entries made only of `els`. */
  stableWithin(els: readonly string[]): Entry[];
  /** Every stable entry of the source (all chemical systems), and how many there are. */
  allStable(): Entry[];
  readonly stableCount: number;
  /** Grand-potential hulls built at one (open element, μ), for `grandHull`'s reuse. */
  readonly grandHulls: Map<string, { spent: number; global?: GrandHull; local: Map<string, GrandHull> }>;
  /** Formation energy per atom (eV/atom) of an entry of the source. */
  eForm(e: Entry): number;
  /** pymatgen's qhull entry of a composition: its lowest entry if below its elements (an element: its reference). */
  qhullEntry(c: Composition): { entry: Entry; eForm: number } | undefined;
  /** The lowest-energy entry of a composition, whatever its energy (for its volume). */
  lowestEntry(c: Composition): Entry | undefined;
}

const stableBySystem = new WeakMap<SystemIndex, Map<string, number[]>>();

const sources = new WeakMap<object, PhaseSource>();

/** The PhaseSource of a diagram, made once per diagram. */
export function sourceOf(diagram: ReactionDiagram): PhaseSource {
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

export interface GrandHull {
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
export function grandHull(source: PhaseSource, els: readonly string[], open: string, muAbs: number): GrandHull {
  // Many reactions at one μ (a screen at the cathode's voltage) share one hull over every stable
  // phase of the source: per chemical system it is the same hull (SystemIndex), with the same
  // points in the same order. It is built once the small hulls built at that μ have cost as much
  // (entries summed) as it would, so one-off reactions on a large table never pay for it.
  // Till then the small hulls are kept by chemical system: pairs of reactants often share one
  // (LiCoO2 and Li0.5CoO2 with Li3PS4 and Li7P3S11 all react in Co-Li-O-P-S).
  const key = `${open} ${muAbs}`;
  let rec = source.grandHulls.get(key);
  if (!rec) {
    rec = { spent: 0, local: new Map() };
    source.grandHulls.set(key, rec);
    if (source.grandHulls.size > GRAND_HULLS_KEPT) source.grandHulls.delete(source.grandHulls.keys().next().value!);
  }
  if (rec.global) return rec.global;
  const sys = [...els].sort().join('-');
  const known = rec.local.get(sys);
  if (known) return known;
  const local = source.stableWithin(els);
  rec.spent += local.length;
  if (rec.spent >= source.stableCount) {
    rec.local.clear();
    rec.global = buildGrandHull(source.allStable(), open, muAbs);
    return rec.global;
  }
  const built = buildGrandHull(local, open, muAbs);
  if (rec.local.size >= LOCAL_HULLS_KEPT) rec.local.delete(rec.local.keys().next().value!);
  rec.local.set(sys, built);
  return built;
}

// (open element, μ) pairs whose grand-potential hulls a source keeps, and small hulls per pair.
const GRAND_HULLS_KEPT = 8;
const LOCAL_HULLS_KEPT = 32;

function buildGrandHull(stable: readonly Entry[], open: string, muAbs: number): GrandHull {
  const origin = new Map<Entry, { entry: Entry; r: number }>();
  const grand: Entry[] = [];
  const chempots = { [open]: muAbs };
  for (const e of stable) {
    const c = e.composition;
    const xo = c.atomicFraction(open);
    if (xo >= 1) continue; // the reservoir itself
    const g = new GrandPotentialEntry(e, chempots);
    origin.set(g, { entry: e, r: xo / (1 - xo) });
    grand.push(g);
  }
  const index = new SystemIndex(grand);
  // Its stabilities only (no row per entry: the walkers and LPs read the index).
  for (const _ of index.solveSystems({ decompositions: false })) void _;
  return { index, origin };
}
