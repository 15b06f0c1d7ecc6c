/**
 * What one question samples: the entries of a chemical system and all its subsystems (every entry
 * whose energy can move the answer, elemental references included), grouped by composition, with
 * each element's elemental entries (a sample re-references formation energies to the lowest one),
 * and for every group that is not a vertex of the deterministic hull its deterministic
 * decomposition — the certificate that prunes it from a sample's LPs while it stays above it
 * (found in points.ts, which keeps the finished scopes). Plain typed arrays, ready for the kernel.
 */
import type { SystemIndex } from '../thermo/index.js';
import type { UncertaintyModel } from './model.js';

export interface Scope {
  readonly index: SystemIndex;
  /** Elements of the system, sorted. */
  readonly elements: readonly string[];
  /** Dataset positions (index.entries) of the entries in scope, ascending. */
  readonly entries: Int32Array;
  /** Formation energy per atom of each entry in scope. */
  readonly f: Float64Array;
  /** Dataset group (index.groups) of each local group. */
  readonly groups: Int32Array;
  readonly localGroup: ReadonlyMap<number, number>;
  /** Group g's entries (local) are gMem[gOff[g] … gOff[g+1]), ascending. */
  readonly gOff: Int32Array;
  readonly gMem: Int32Array;
  /** 1 for an element's group. */
  readonly gElem: Uint8Array;
  /** Local group of each local entry. */
  readonly groupOf: Int32Array;
  /** Atomic fractions of each group over `elements` (nG × elements.length). */
  readonly fractions: Float64Array;
  /** Chemical system of each group (its elements joined by '-'). */
  readonly system: readonly string[];
  /** Element e's elemental entries (local) are elEntries[elOff[e] … elOff[e+1]). */
  readonly elOff: Int32Array;
  readonly elEntries: Int32Array;
  /** Entry m's composition over `elements`: compEl / compFrac [compOff[m] … compOff[m+1]). */
  readonly compOff: Int32Array;
  readonly compEl: Int32Array;
  readonly compFrac: Float64Array;
  /**
   * Group g's deterministic LP basis at its composition, itself excluded (groups, atom fractions):
   * each sample first checks whether it still holds (a warm start); for a group that is not a
   * deterministic vertex it is also a mixture the group lies above, which prunes the group from a
   * sample where it still does.
   */
  readonly certOff: Int32Array;
  readonly certG: Int32Array;
  readonly certFrac: Float64Array;
  /**
   * 1 where the basis above is a certificate (the group is not a deterministic vertex); for the
   * vertices it is their competing mixture, a warm start of the phase-separation LP only.
   */
  readonly certPrune: Uint8Array;
}

const bySystem = new WeakMap<SystemIndex, Map<string, number[]>>();

/** The index's entries by chemical system (kept per index). */
function membersOf(index: SystemIndex): Map<string, number[]> {
  let m = bySystem.get(index);
  if (!m) {
    m = new Map();
    index.entries.forEach((e, i) => {
      const k = e.composition.chemicalSystem;
      const l = m!.get(k);
      if (l) l.push(i);
      else m!.set(k, [i]);
    });
    bySystem.set(index, m);
  }
  return m;
}

/** Entries whose elements all lie in `els` (sorted): every subsystem's members, ascending. */
function entriesWithin(index: SystemIndex, els: readonly string[]): number[] {
  if (els.length > 12) {
    const elPos = new Set(els);
    const out: number[] = [];
    index.entries.forEach((e, i) => {
      if (e.composition.elements.every((el) => elPos.has(el))) out.push(i);
    });
    return out;
  }
  const members = membersOf(index);
  const out: number[] = [];
  for (let mask = 1; mask < 1 << els.length; mask++) {
    const key = els.filter((_, b) => mask & (1 << b)).join('-');
    const l = members.get(key);
    if (l) for (const i of l) out.push(i);
  }
  return out.sort((a, b) => a - b);
}

/**
 * A scope without certificates (empty: nothing is pruned); scopeOf (points.ts) adds them, found
 * by the kernel in one batch.
 */
export function buildScope(index: SystemIndex, els: readonly string[]): Scope {
  const elPos = new Map(els.map((el, k) => [el, k]));
  const entries = entriesWithin(index, els);
  const nE = entries.length;
  const f = Float64Array.from(entries, (i) => index.eForm[i]!);
  // Groups in order of first appearance; members ascending (the first of equal energies wins).
  const localGroup = new Map<number, number>();
  const groups: number[] = [];
  const members: number[][] = [];
  const groupOf = new Int32Array(nE);
  entries.forEach((i, m) => {
    const g = index.groups.group[i]!;
    let lg = localGroup.get(g);
    if (lg === undefined) {
      lg = groups.length;
      localGroup.set(g, lg);
      groups.push(g);
      members.push([]);
    }
    members[lg]!.push(m);
    groupOf[m] = lg;
  });
  const nG = groups.length;
  const gOff = new Int32Array(nG + 1);
  members.forEach((l, g) => (gOff[g + 1] = gOff[g]! + l.length));
  const gMem = Int32Array.from(members.flat());
  const d = els.length;
  const fractions = new Float64Array(nG * d);
  const gElem = new Uint8Array(nG);
  const system: string[] = [];
  const compOff = new Int32Array(nE + 1);
  const compEl: number[] = [];
  const compFrac: number[] = [];
  entries.forEach((i, m) => {
    const c = index.entries[i]!.composition;
    for (const el of c.elements) {
      compEl.push(elPos.get(el)!);
      compFrac.push(c.atomicFraction(el));
    }
    compOff[m + 1] = compEl.length;
  });
  for (let g = 0; g < nG; g++) {
    const c = index.entries[entries[members[g]![0]!]!]!.composition;
    for (const el of c.elements) fractions[g * d + elPos.get(el)!] = c.atomicFraction(el);
    gElem[g] = c.elements.length === 1 ? 1 : 0;
    system.push(c.chemicalSystem);
  }
  const elMembers: number[][] = els.map(() => []);
  entries.forEach((i, m) => {
    const c = index.entries[i]!.composition;
    if (c.elements.length === 1) elMembers[elPos.get(c.elements[0]!)!]!.push(m);
  });
  const elOff = new Int32Array(d + 1);
  elMembers.forEach((l, k) => (elOff[k + 1] = elOff[k]! + l.length));
  return {
    index,
    elements: els,
    entries: Int32Array.from(entries),
    f,
    groups: Int32Array.from(groups),
    localGroup,
    gOff,
    gMem,
    gElem,
    groupOf,
    fractions,
    system,
    elOff,
    elEntries: Int32Array.from(elMembers.flat()),
    compOff,
    compEl: Int32Array.from(compEl),
    compFrac: Float64Array.from(compFrac),
    certOff: new Int32Array(nG + 1),
    certG: new Int32Array(0),
    certFrac: new Float64Array(0),
    certPrune: new Uint8Array(nG),
  };
}

/** The uncertainty of a scope's entries: keys of their normals, σ, loadings on local names. */
export interface ScopeErrors {
  readonly key: Int32Array;
  readonly sigma: Float64Array;
  readonly loadOff: Int32Array;
  readonly loadName: Int32Array;
  readonly loadVal: Float64Array;
  /** Global name id (the stream of its normal) of each local name. */
  readonly nameKey: Int32Array;
}

const errorsCache = new WeakMap<Scope, WeakMap<UncertaintyModel, ScopeErrors>>();

/** The model restricted to a scope (entry i's normals keyed by its dataset position). */
export function scopeErrors(scope: Scope, model: UncertaintyModel): ScopeErrors {
  let byModel = errorsCache.get(scope);
  if (!byModel) {
    byModel = new WeakMap();
    errorsCache.set(scope, byModel);
  }
  let e = byModel.get(model);
  if (e) return e;
  const n = scope.entries.length;
  const loadOff = new Int32Array(n + 1);
  const loadName: number[] = [];
  const loadVal: number[] = [];
  const local = new Map<number, number>();
  const sigma = new Float64Array(n);
  scope.entries.forEach((i, m) => {
    sigma[m] = model.sigma[i]!;
    for (let l = model.loadOff[i]!; l < model.loadOff[i + 1]!; l++) {
      const gid = model.loadName[l]!;
      let k = local.get(gid);
      if (k === undefined) {
        k = local.size;
        local.set(gid, k);
      }
      loadName.push(k);
      loadVal.push(model.loadVal[l]!);
    }
    loadOff[m + 1] = loadName.length;
  });
  e = { key: scope.entries, sigma, loadOff, loadName: Int32Array.from(loadName), loadVal: Float64Array.from(loadVal), nameKey: Int32Array.from(local.keys()) };
  byModel.set(model, e);
  return e;
}
