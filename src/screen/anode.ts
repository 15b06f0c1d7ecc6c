/**
 * `screen anode`: what each electrolyte becomes against its metal anode (Li, or Na for a Na
 * electrolyte: the working ion of `openElementFor`) at 0 V, the electronic character of each
 * product, and the type of interphase (review section 5.1: Xiao et al., Nat. Rev. Mater. 5, 105
 * (2020); Wenzel et al.):
 *   - `stable`: no reaction with the metal (the reduction limit is 0 V);
 *   - `passivating`: it reacts, every product is an electronic insulator — the interphase stops
 *     growing (an SEI, e.g. Li3PS4 → Li2S + Li3P);
 *   - `mixed-conducting`: some product conducts electrons (a metal, an alloy of the working ion,
 *     an electronically conducting pnictide), a mixed ionic–electronic interphase that keeps
 *     growing (e.g. Li10GeP2S12 → Li–Ge alloy; Na3PS4 → Na3P).
 *   - `kinetically-stable`: it reacts, but with a small driving force — the reaction energy with
 *     the metal is above −smallEnergy (default 0.05 eV/atom; e.g. Li7La3Zr2O12, −16 meV/atom):
 *     the products are listed and `conducting` says what a reaction would form.
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
import { openElementFor, resolveMaterial, ScreenWorkflowError, type Material, type ScreenData, bandGapOf } from './common.js';
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
  /** Minimum closed reaction energy with the metal (eV/atom of mixture). */
  reaction_energy: number;
  interphase: InterphaseType;
  small_driving_force: boolean;
  /** Conducting products (the culprits of a mixed-conducting interphase). */
  conducting: string[];
}

export interface AnodeOptions {
  electrolytes?: ReadonlyArray<string | Material>;
  /** Band gap (eV) from which a product counts as insulating, when the data carry band gaps (default 0.5). */
  minBandGap?: number;
  /** |reaction energy| below this (eV/atom) is a small driving force (default 0.05). */
  smallEnergy?: number;
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
  const minGap = options.minBandGap ?? 0.5;
  const small = options.smallEnergy ?? 0.05;
  const rows: AnodeRow[] = [];
  electrolytes.forEach((m, k) => {
    rows.push(anodeRow(m, data, minGap, small));
    options.onProgress?.(k + 1, electrolytes.length);
  });
  return rows;
}

export function anodeRow(m: Material, data: ScreenData, minBandGap = 0.5, smallEnergy = 0.05): AnodeRow {
  const metal = openElementFor(m.composition);
  const w = windowOf(m, data, metal);
  const zero = w.atZeroVolts;
  const reacts = zero.evolution > 1e-8 * m.composition.numAtoms;
  const products = reacts ? zero.products.map((p) => electronicCharacter(p, data, minBandGap)) : [electronicCharacter(m.composition.reducedFormula, data, minBandGap)];
  const isMetal = m.composition.elements.length === 1 && m.composition.elements[0] === metal;
  const energy = isMetal || !reacts ? 0 : interfaceReactionMinimum(m.composition, metal, data.index, { names: ['electrolyte', 'metal'] }).energyPerAtom;
  const conducting = products.filter((p) => p.electronic === 'conducting').map((p) => p.formula);
  const interphase: InterphaseType = !reacts ? 'stable' : energy > -smallEnergy ? 'kinetically-stable' : conducting.length ? 'mixed-conducting' : 'passivating';
  return {
    electrolyte: m.name,
    formula: m.composition.reducedFormula,
    metal,
    reduction_V: w.reduction.voltage,
    products,
    reaction: zero.reaction.toString(),
    reaction_energy: energy,
    interphase,
    small_driving_force: reacts && energy > -smallEnergy,
    conducting,
  };
}
