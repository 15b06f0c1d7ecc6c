/**
 * `screen anode`: what each electrolyte becomes against its metal anode (Li, or Na for a Na
 * electrolyte: the working ion of `openElementFor`; `element` forces one, e.g. Mg or Ca) at 0 V,
 * the electronic character of each product, and the type of interphase (review section 5.1:
 * Xiao et al., Nat. Rev. Mater. 5, 105 (2020); Wenzel et al.):
 *   - `stable`: no reaction with the metal (the reduction limit is 0 V);
 *   - `kinetically-stable`: it reacts, but with a small driving force: its reduction onset is at
 *     most maxOnset (default 0.2 V — the driving force per ion taken up is then at most z·e·0.2 V;
 *     the review calls LiAlO2, onset 0.17 V, kinetically stable) or its decomposition energy at
 *     0 V is above −smallEnergy (default 0.05 eV per atom of electrolyte; Li7La3Zr2O12: onset
 *     0.05 V, −0.02 eV/atom). The products are listed and `conducting` says what a reaction
 *     would form. (Until issue 15 this looked at the reaction energy per atom of mixture alone,
 *     and called LiAlO2, −0.06 eV/atom of mixture with conducting Li9Al4, mixed-conducting.)
 *   - `passivating`: it reacts, every product is an electronic insulator — the interphase stops
 *     growing (an SEI, e.g. Li3PS4 → Li2S + Li3P);
 *   - `mixed-conducting`: some product conducts electrons (a metal, an alloy of the working ion,
 *     an electronically conducting pnictide), a mixed ionic–electronic interphase that keeps
 *     growing (e.g. Li10GeP2S12 → Li–Ge alloy; Na3PS4 → Na3P).
 * Energies: `decomposition_energy_0V` per atom of electrolyte against its lowest entry (the
 * review's convention: Li3PS4 −1.42 eV/atom), `reaction_energy` the closed pseudo-binary minimum
 * with the metal per atom of mixture (reactants at their hull energies).
 *
 * Electronic character: from the band gap of the product's lowest entry when the data carry one
 * (≥ minBandGap, default 0.5 eV, insulating); otherwise inferred (`inferred: true`): elemental
 * metals and compounds made only of metals/semimetals (intermetallics, alloys of Li/Na) conduct;
 * metal-rich compounds (Ti3P, Zr4O, Ti6O: anions too few for the usual oxidation states, mean
 * oxidation state of the non-alkali metals < 1.5, Cu/Ag/Au/Tl/In/Ga/Hg excepted) conduct; a
 * short list of pnictides of known character (Li3P, Li3N insulating; Na3P, K3P, Li3Sb, Na3Sb
 * conducting — PBE gaps ≲ 0.4 eV and reported electronically conducting in interphases); other
 * compounds with an anion (O, S, Se, N, P, halogens, …) and non-metallic elements insulate.
 */
import { Composition } from '../core/index.js';
import { interfaceReactionMinimum } from '../interface/index.js';
import { decompositionEnergyAt, electrolyteRedox } from '../thermo/index.js';
import { bandGapOf, openElementFor, resolveMaterial, SCREEN_USE_HULL_ENERGY, ScreenWorkflowError, type Material, type ScreenData } from './common.js';
import { defaultElectrolyteMaterials } from './interfaces.js';
import { windowOf } from './windows.js';

export type Electronic = 'insulating' | 'conducting';
export type InterphaseType = 'stable' | 'kinetically-stable' | 'passivating' | 'mixed-conducting';

export interface AnodeProduct {
  formula: string;
  electronic: Electronic;
  /** True when inferred from the chemistry, false when from a band gap in the data. */
  inferred: boolean;
  band_gap: number | null;
  /** Why (band gap, rule). */
  basis: string;
}

export interface AnodeRow {
  electrolyte: string;
  formula: string;
  /** The metal: Li, or the working ion of the electrolyte (Na for Na3PS4). */
  metal: string;
  /** Reduction limit (V vs the metal). */
  reduction_V: number;
  /** Phases in equilibrium with the metal (0 V), alphabetical. */
  products: AnodeProduct[];
  reaction: string;
  /** Minimum closed reaction energy with the metal (eV/atom of mixture; reactants at their hull energies). */
  reaction_energy: number;
  /** Decomposition energy at 0 V (eV per atom of electrolyte, against its lowest entry: its E_hull counts). */
  decomposition_energy_0V: number;
  /** Capacity of the metal taken up at 0 V (mAh/g of electrolyte). */
  capacity_0V: number;
  interphase: InterphaseType;
  small_driving_force: boolean;
  /** Conducting products (the culprits of a mixed-conducting interphase). */
  conducting: string[];
}

export interface AnodeOptions {
  electrolytes?: ReadonlyArray<string | Material>;
  /** Band gap (eV) from which a product counts as insulating, when the data carry band gaps (default 0.5). */
  minBandGap?: number;
  /** A decomposition energy at 0 V above −smallEnergy (eV per atom of electrolyte) is a small driving force (default 0.05). */
  smallEnergy?: number;
  /** A reduction onset at or below this (V vs the metal) is a small driving force (default 0.2). */
  maxOnset?: number;
  /** The metal (open element) for every electrolyte, e.g. Mg or Ca (default: each one's working ion, `openElementFor`). */
  element?: string;
  onProgress?: (done: number, total: number) => void;
}

/** Metals and semimetals: compounds made only of these are intermetallics / alloys (conducting). */
const METALLIC = new Set(
  (
    'Li Na K Rb Cs Be Mg Ca Sr Ba Sc Y La Ce Pr Nd Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Ti Zr Hf V Nb Ta Cr Mo W Mn Tc Re Fe Ru Os Co Rh Ir Ni Pd Pt Cu Ag Au Zn Cd Hg ' + 'Al Ga In Tl Si Ge Sn Pb Sb Bi'
  ).split(' '),
);

/** Products of known electronic character not captured by the rules (reduced formulas). */
export const KNOWN_ELECTRONIC: Readonly<Record<string, { electronic: Electronic; note: string }>> = Object.freeze({
  Li3P: { electronic: 'insulating', note: 'Li3P: Li-ion conductor, PBE gap ≈ 0.7 eV' },
  Li3N: { electronic: 'insulating', note: 'Li3N: Li-ion conductor, gap ≈ 1 eV' },
  Na3P: { electronic: 'conducting', note: 'Na3P: PBE gap ≈ 0, electronically conducting (Na3PS4|Na interphase)' },
  K3P: { electronic: 'conducting', note: 'K3P: PBE gap ≈ 0' },
  Li3Sb: { electronic: 'conducting', note: 'Li3Sb: small gap, alloy anode phase' },
  Na3Sb: { electronic: 'conducting', note: 'Na3Sb: small gap, alloy anode phase' },
  Li3As: { electronic: 'conducting', note: 'Li3As: small gap' },
});

/** The electronic character of a phase (see the module comment). */
export function electronicCharacter(formula: string, data: ScreenData | undefined, minBandGap = 0.5): AnodeProduct {
  const c = Composition.parse(formula);
  const f = c.reducedFormula;
  const gap = data ? bandGapOf(c, data) : undefined;
  if (gap !== undefined) {
    const electronic: Electronic = gap >= minBandGap ? 'insulating' : 'conducting';
    return { formula: f, electronic, inferred: false, band_gap: gap, basis: `band gap ${gap.toFixed(2)} eV ${gap >= minBandGap ? '≥' : '<'} ${minBandGap} eV` };
  }
  const known = KNOWN_ELECTRONIC[f];
  if (known) return { formula: f, electronic: known.electronic, inferred: true, band_gap: null, basis: known.note };
  if (c.elements.every((el) => METALLIC.has(el))) {
    const basis = c.elements.length === 1 ? `${f}: metal / semimetal element` : `${f}: intermetallic (alloy${c.has('Li') ? ' of Li' : c.has('Na') ? ' of Na' : ''})`;
    return { formula: f, electronic: 'conducting', inferred: true, band_gap: null, basis };
  }
  if (c.elements.length === 1) {
    const conducting = f === 'C';
    return { formula: f, electronic: conducting ? 'conducting' : 'insulating', inferred: true, band_gap: null, basis: conducting ? 'carbon (graphitic): conducting' : `${f}: non-metallic element` };
  }
  const ox = meanMetalOxidation(c);
  if (ox !== undefined && ox.value < 1.5) {
    return { formula: f, electronic: 'conducting', inferred: true, band_gap: null, basis: `${f}: metal-rich (mean oxidation state of ${ox.metals.join(', ')} ${ox.value.toFixed(2)})` };
  }
  return { formula: f, electronic: 'insulating', inferred: true, band_gap: null, basis: `${f}: ionic compound with an anion` };
}

const ANION_CHARGE: Readonly<Record<string, number>> = { O: 2, S: 2, Se: 2, Te: 2, N: 3, P: 3, As: 3, F: 1, Cl: 1, Br: 1, I: 1, H: 1, C: 4, B: 3 };
const FIXED_CATION: Readonly<Record<string, number>> = { Li: 1, Na: 1, K: 1, Rb: 1, Cs: 1, Be: 2, Mg: 2, Ca: 2, Sr: 2, Ba: 2 };
const LOW_VALENT_OK = new Set(['Cu', 'Ag', 'Au', 'Tl', 'In', 'Ga', 'Hg']);

/** Mean oxidation state of the metals other than alkali/alkaline-earth, balancing the anions at their usual charges. */
function meanMetalOxidation(c: Composition): { value: number; metals: string[] } | undefined {
  let negative = 0;
  let fixed = 0;
  let nMetal = 0;
  const metals: string[] = [];
  for (const el of c.elements) {
    const n = c.amount(el);
    if (FIXED_CATION[el] !== undefined) fixed += n * FIXED_CATION[el]!;
    else if (METALLIC.has(el) && el !== 'Si' && el !== 'Ge' && el !== 'Sb') {
      if (LOW_VALENT_OK.has(el)) return undefined;
      nMetal += n;
      metals.push(el);
    } else if (ANION_CHARGE[el] !== undefined) negative += n * ANION_CHARGE[el]!;
    else return undefined;
  }
  if (nMetal === 0 || negative === 0) return undefined;
  return { value: (negative - fixed) / nMetal, metals };
}

export function screenAnode(data: ScreenData, options: AnodeOptions = {}): AnodeRow[] {
  const electrolytes = options.electrolytes ? options.electrolytes.map((m) => resolveMaterial(m, data, 'electrolyte')) : defaultElectrolyteMaterials(data);
  if (!electrolytes.length) throw new ScreenWorkflowError('no electrolytes to screen');
  const rows: AnodeRow[] = [];
  electrolytes.forEach((m, k) => {
    rows.push(anodeRow(m, data, options));
    options.onProgress?.(k + 1, electrolytes.length);
  });
  return rows;
}

/** The thresholds of the classification (defaults in the module comment). */
export type AnodeThresholds = Pick<AnodeOptions, 'minBandGap' | 'smallEnergy' | 'maxOnset' | 'element'>;

export function anodeRow(m: Material, data: ScreenData, options: AnodeThresholds = {}): AnodeRow {
  const minBandGap = options.minBandGap ?? 0.5;
  const smallEnergy = options.smallEnergy ?? 0.05;
  const maxOnset = options.maxOnset ?? 0.2;
  const metal = options.element ?? openElementFor(m.composition);
  const w = windowOf(m, data, metal);
  const zero = w.atZeroVolts;
  const reacts = zero.evolution > 1e-8 * m.composition.numAtoms;
  const products = reacts ? zero.products.map((p) => electronicCharacter(p, data, minBandGap)) : [electronicCharacter(m.composition.reducedFormula, data, minBandGap)];
  const redox = electrolyteRedox(data.index, m.composition, { element: metal });
  const ed0 = decompositionEnergyAt(redox, 0);
  const energy = !reacts ? 0 : interfaceReactionMinimum(m.composition, metal, data.index, { names: ['electrolyte', 'metal'], useHullEnergy: SCREEN_USE_HULL_ENERGY }).energyPerAtom;
  const conducting = products.filter((p) => p.electronic === 'conducting').map((p) => p.formula);
  const small = reacts && (w.reduction.voltage <= maxOnset + 1e-12 || ed0 > -smallEnergy);
  const interphase: InterphaseType = !reacts ? 'stable' : small ? 'kinetically-stable' : conducting.length ? 'mixed-conducting' : 'passivating';
  return {
    electrolyte: m.name,
    formula: m.composition.reducedFormula,
    metal,
    reduction_V: w.reduction.voltage,
    products,
    reaction: zero.reaction.toString(),
    reaction_energy: energy,
    decomposition_energy_0V: ed0,
    capacity_0V: redox.steps[0]!.capacity,
    interphase,
    small_driving_force: small,
    conducting,
  };
}
