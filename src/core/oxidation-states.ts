// Common oxidation states (pymatgen 2022.11's `Element.common_oxidation_states`) and the charge
// balance of a composition in them: is there an assignment that sums to zero? A window asked of a
// composition that is not charge balanced is usually a rounded formula (Li0.33La0.56TiO3 carries
// +6.01 against −6, and its window collapses to zero width), so windows warn about it.
import { Composition } from './composition.js';
import { isElementSymbol } from './elements.js';

// biome-ignore format: a table by atomic number, 8 to a line
const COMMON: Readonly<Record<string, readonly number[]>> = {
  H: [-1, 1], He: [], Li: [1], Be: [2], B: [3], C: [-4, 4], N: [-3, 3, 5], O: [-2],
  F: [-1], Ne: [], Na: [1], Mg: [2], Al: [3], Si: [-4, 4], P: [-3, 3, 5], S: [-2, 2, 4, 6],
  Cl: [-1, 1, 3, 5, 7], Ar: [], K: [1], Ca: [2], Sc: [3], Ti: [4], V: [5], Cr: [3, 6],
  Mn: [2, 4, 7], Fe: [2, 3], Co: [2, 3], Ni: [2], Cu: [2], Zn: [2], Ga: [3], Ge: [-4, 2, 4],
  As: [-3, 3, 5], Se: [-2, 2, 4, 6], Br: [-1, 1, 3, 5, 7], Kr: [], Rb: [1], Sr: [2], Y: [3], Zr: [4],
  Nb: [5], Mo: [4, 6], Tc: [4, 7], Ru: [3, 4], Rh: [3], Pd: [2, 4], Ag: [1], Cd: [2],
  In: [3], Sn: [-4, 2, 4], Sb: [-3, 3, 5], Te: [-2, 2, 4, 6], I: [-1, 1, 3, 5, 7], Xe: [], Cs: [1], Ba: [2],
  La: [3], Ce: [3, 4], Pr: [3], Nd: [3], Pm: [3], Sm: [3], Eu: [2, 3], Gd: [3],
  Tb: [3], Dy: [3], Ho: [3], Er: [3], Tm: [3], Yb: [3], Lu: [3], Hf: [4],
  Ta: [5], W: [4, 6], Re: [4], Os: [4], Ir: [3, 4], Pt: [2, 4], Au: [3], Hg: [1, 2],
  Tl: [1, 3], Pb: [2, 4], Bi: [3], Po: [-2, 2, 4], At: [-1, 1], Rn: [], Fr: [1], Ra: [2],
  Ac: [3], Th: [4], Pa: [5], U: [6], Np: [5], Pu: [4], Am: [3], Cm: [3],
  Bk: [3], Cf: [3], Es: [3], Fm: [3], Md: [3], No: [3], Lr: [3],
};

/** pymatgen's `Element(el).common_oxidation_states` (empty for the noble gases and Z > 103). */
export function commonOxidationStates(el: string): readonly number[] {
  if (!isElementSymbol(el)) throw new RangeError(`unknown element '${String(el)}'`);
  return COMMON[el] ?? [];
}

/** The charge balance of a composition in common oxidation states (see `chargeBalance`). */
export interface ChargeBalance {
  /**
   * true: an assignment of common oxidation states to the atoms sums to zero; false: none does;
   * null: not judged — no element can be an anion (a metal or an intermetallic: charge balance
   * says nothing) or an element has no common oxidation state.
   */
  readonly balanced: boolean | null;
  /** Charge per formula unit of the assignment closest to neutral (0 when balanced). */
  readonly excess: number;
  /** The common states of each element, e.g. `Li+1 La+3 Ti+4 O-2`, `Mn+2/+4/+7`. */
  readonly states: string;
  /** How it was judged: `sites` (atoms of whole amounts, as pymatgen) or `average` (see chargeBalance). */
  readonly method: 'sites' | 'average';
}

/** Largest scale tried to make amounts whole (Li0.33… × 100, Li1/3… × 3), and most sites enumerated. */
const MAX_SCALE = 1000;
const MAX_WORK = 4e6;

/**
 * Whether `composition` can be charge neutral in common oxidation states, as pymatgen's
 * `oxi_state_guesses` with `oxi_states_override` = the common states: the composition is scaled
 * to whole amounts (the smallest factor up to 1000 that makes every amount whole within 1e-6:
 * Li0.33La0.56TiO3 × 100, Li0.333333333La0.555555556TiO3 × 9), each atom takes one common state
 * of its element, and some assignment must sum to zero (`method: 'sites'`). Amounts that no such
 * factor makes whole, or too many sites to enumerate, are judged on averages instead (each
 * element's charge anywhere between its amount × lowest and × highest state, within 1e-6 per
 * atom: `method: 'average'`, more permissive).
 */
export function chargeBalance(composition: Composition | string): ChargeBalance {
  const c = typeof composition === 'string' ? Composition.parse(composition) : composition;
  const sets = c.elements.map((el) => COMMON[el] ?? []);
  const sign = (v: number) => (v > 0 ? `+${v}` : `${v}`);
  const states = c.elements.map((el, k) => `${el}${sets[k]!.map(sign).join('/')}`).join(' ');
  const judged = sets.every((s) => s.length > 0) && sets.some((s) => Math.min(...s) < 0);
  const scale = wholeScale(c);
  const sites = scale === undefined ? undefined : c.elements.map((el) => Math.round(c.amount(el) * scale));
  const work = sites ? sites.reduce((w, m, k) => w + (sets[k]!.length > 1 ? m * m * (Math.max(...sets[k]!) - Math.min(...sets[k]!) + 1) * sets[k]!.length : m), 0) : Infinity;
  if (sites && scale !== undefined && work <= MAX_WORK) {
    const excess = closestSum(sites.map((m, k) => siteSums(m, sets[k]!.length ? sets[k]! : [0]))) / scale;
    return { balanced: judged ? excess === 0 : null, excess, states, method: 'sites' };
  }
  let min = 0;
  let max = 0;
  c.elements.forEach((el, k) => {
    const s = sets[k]!.length ? sets[k]! : [0];
    min += c.amount(el) * Math.min(...s);
    max += c.amount(el) * Math.max(...s);
  });
  const tol = 1e-6 * c.numAtoms;
  const excess = min > tol ? min : max < -tol ? max : 0;
  return { balanced: judged ? excess === 0 : null, excess, states, method: 'average' };
}

/** The smallest factor <= MAX_SCALE making every amount whole within 1e-6, if any. */
function wholeScale(c: Composition): number | undefined {
  for (let k = 1; k <= MAX_SCALE; k++) {
    if (c.elements.every((el) => Math.abs(c.amount(el) * k - Math.round(c.amount(el) * k)) <= 1e-6)) return k;
  }
  return undefined;
}

/** Every total charge `m` atoms can carry, each in one of `states` (sorted ascending). */
function siteSums(m: number, states: readonly number[]): number[] {
  if (states.length === 1) return [m * states[0]!];
  let sums = new Set([0]);
  for (let i = 0; i < m; i++) {
    const next = new Set<number>();
    for (const r of sums) for (const s of states) next.add(r + s);
    sums = next;
  }
  return [...sums];
}

/** The achievable total closest to zero (ties: the positive one), one sum per element. */
function closestSum(perElement: readonly number[][]): number {
  let sums = new Set([0]);
  for (const options of perElement) {
    const next = new Set<number>();
    for (const r of sums) for (const s of options) next.add(r + s);
    sums = next;
  }
  let best = Infinity;
  for (const v of sums) if (Math.abs(v) < Math.abs(best) || (Math.abs(v) === Math.abs(best) && v > best)) best = v;
  return best;
}

/** A warning for a window asked of `composition` when it is not charge balanced; undefined when it is (or cannot be judged). */
export function chargeBalanceWarning(composition: Composition, shown = composition.formula, balance?: ChargeBalance): string | undefined {
  const b = balance ?? chargeBalance(composition);
  if (b.balanced !== false) return undefined;
  const r = (v: number) => Number(v.toPrecision(6));
  // With one state per element the charges are fixed: say them (+6.01 vs −6 for Li0.33La0.56TiO3).
  const fixed = composition.elements.every((el) => (COMMON[el] ?? []).length === 1);
  let split = '';
  if (fixed) {
    let pos = 0;
    let neg = 0;
    for (const el of composition.elements) {
      const q = composition.amount(el) * COMMON[el]![0]!;
      if (q > 0) pos += q;
      else neg += q;
    }
    split = `: +${r(pos)} vs ${r(neg)}`;
  }
  return (
    `${shown} is not charge balanced in common oxidation states (${b.states}${split}; off by ${b.excess > 0 ? '+' : ''}${r(b.excess)} per formula unit): ` +
    'a rounded formula? Its window may be an artefact (e.g. zero width)'
  );
}
