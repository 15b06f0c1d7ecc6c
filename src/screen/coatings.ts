/**
 * `screen coatings`: cathode-coating candidates judged by the criteria of Xiao, Miara, Wang &
 * Ceder, "Computational screening of cathode coatings for solid-state batteries", Joule 3, 1252
 * (2019) (review section 4.1.4): phase stability, an electrochemical window covering the
 * cathode's operating range, low chemical and electrochemical reactivity with the cathode and with
 * the solid electrolyte, and electronic insulation.
 *
 * Candidates: every Li-containing composition of the data (its lowest entry) with E_hull ≤ the
 * threshold, or a given list (then every one is reported, E_hull filter included as a criterion).
 * Per candidate, every criterion's value:
 *   - e_above_hull ≤ maxEHull (default 0.05 eV/atom);
 *   - window (Li open): reduction limit ≤ cathodeRange[0] and oxidation limit ≥ cathodeRange[1]
 *     (default 2.5–4.3 V vs Li/Li+);
 *   - reaction energy with the cathode (default LiCoO2) closed and open to Li at the cathode's top
 *     voltage (cathodeRange[1]); with the electrolyte (default Li3PS4) the same; each ≥ −maxReaction
 *     (default 0.1 eV/atom; open reactions: eV per non-Li atom, the interface alone — each
 *     material's own decomposition at that voltage is not counted, include_no_mixing_energy=false
 *     unless `includeNoMixingEnergy`). Reactants at their hull energies (use_hull_energy=true,
 *     unless `useHullEnergy: false`): NMC111 lies 43 meV/atom above the MP hull, and with its own
 *     entry energy every inert candidate would "react" with it by −0.043 eV/atom at x = 0 — NMC
 *     decomposing without the coating;
 *   - band gap ≥ minBandGap (default 1 eV) when the data carry band gaps; otherwise reported as
 *     "not available" (null) and not counted — never passed silently.
 * The thresholds are options. The defaults are this package's choices in the spirit of Xiao 2019
 * (not numbers copied from the paper). `criteria: 'xiao2019'` applies the gates as a literature
 * digest of the paper reports them (we could not read the paper itself; check before quoting):
 * band gap > 0.5 eV, E_hull < 5 meV/atom, oxidation limit ≥ 4.0 V and reduction limit ≤ 2.7 V,
 * |reaction energy| < 100 meV/atom closed (no open reactions) with Li3PS4 and with
 * LiNi1/3Mn1/3Co1/3O2 (see XIAO_2019).
 *
 * Ranking: number of criteria passed (descending), then the score — the most negative of the four
 * reaction energies (descending: least reactive first) — then the window width.
 */
import type { Composition } from '../core/index.js';
import { stabilityWindow } from '../thermo/index.js';
import { interfaceReactionMinimum } from '../interface/index.js';
import { entryOf, resolveMaterial, SCREEN_USE_HULL_ENERGY, ScreenWorkflowError, type Material, type ScreenData } from './common.js';
import { minimumOf, type ReactionMinimum } from './interfaces.js';

export interface CoatingOptions {
  /** Starting values of the thresholds below: `default` (this package's) or `xiao2019` (XIAO_2019). */
  criteria?: 'default' | 'xiao2019';
  /** Also judge the reactions open to Li at the cathode's top voltage (default true; xiao2019: false). */
  openReactions?: boolean;
  /** Candidates (default: every Li-containing composition of the data with E_hull ≤ maxEHull). */
  candidates?: ReadonlyArray<string | Material>;
  /** Cathode composition (default LiCoO2). */
  cathode?: string;
  /** Electrolyte composition (default Li3PS4). */
  electrolyte?: string;
  /** Cathode operating range, V vs Li/Li+ (default [2.5, 4.3]); open reactions at the top voltage. */
  cathodeRange?: readonly [number, number];
  /** Maximum E_hull, eV/atom (default 0.05). */
  maxEHull?: number;
  /** Reaction energies must be ≥ −maxReaction, eV/atom (default 0.1). */
  maxReaction?: number;
  /** Minimum band gap, eV (default 1), used when the data carry band gaps. */
  minBandGap?: number;
  /** pymatgen use_hull_energy for the reactants (default true: see the module comment). */
  useHullEnergy?: boolean;
  /** Open reactions: pymatgen include_no_mixing_energy (default false: the interface alone). */
  includeNoMixingEnergy?: boolean;
  /** Keep at most this many rows (after ranking). */
  limit?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface CoatingThresholds {
  /** Reduced formulas, and the names as given (e.g. `NMC111`, `LiNi1/3Mn1/3Co1/3O2`). */
  cathode: string;
  electrolyte: string;
  cathode_name: string;
  electrolyte_name: string;
  cathode_range_V: [number, number];
  max_e_above_hull: number;
  max_reaction_energy: number;
  min_band_gap: number;
  band_gaps_available: boolean;
  /** Whether reactions open to Li at the cathode's top voltage were judged. */
  open_reactions: boolean;
  /** `default` or `xiao2019`. */
  criteria: string;
  source: string;
  /** Reactant energies: hull energies (pymatgen use_hull_energy) or the lowest entries. */
  use_hull_energy: boolean;
  /** Open reactions: each material's own reaction with the Li reservoir counted (pymatgen include_no_mixing_energy). */
  include_no_mixing_energy: boolean;
}

export interface CoatingCriterion {
  /** null: not available (band gaps absent from the data). */
  pass: boolean | null;
}

export interface CoatingRow {
  rank: number;
  formula: string;
  id: string | null;
  e_above_hull: number | null;
  reduction_V: number;
  oxidation_V: number | null;
  /** Closed and open (at the cathode's top voltage; null when open reactions are not judged) reaction minima. */
  cathode_chemical: ReactionMinimum;
  cathode_at_voltage: ReactionMinimum | null;
  electrolyte_chemical: ReactionMinimum;
  electrolyte_at_voltage: ReactionMinimum | null;
  band_gap: number | null;
  criteria: {
    e_above_hull: boolean;
    window: boolean;
    cathode_reaction: boolean;
    electrolyte_reaction: boolean;
    band_gap: boolean | null;
  };
  passed: number;
  /** Criteria judged (4, or 5 with band gaps). */
  judged: number;
  pass_all: boolean;
  /** The most negative of the four reaction energies. */
  score: number;
  /**
   * With uncertainty: P(every judged criterion passes), all judged on one perturbed energy vector
   * per sample, its Monte Carlo standard error and the samples drawn for this row.
   */
  p_pass?: number;
  p_pass_se?: number;
  pass_samples?: number;
}

export interface CoatingsResult {
  thresholds: CoatingThresholds;
  rows: CoatingRow[];
  /** Candidates considered (before ranking / limit). */
  candidates: number;
  /** Candidates that could not be evaluated, with the reason. */
  failed: Array<{ formula: string; error: string }>;
}

/**
 * The gates of Xiao et al. 2019 as a literature digest of the paper reports them (the paper itself
 * was not available to us: check before quoting). Reaction energies there are closed-system
 * pseudo-binary minima (Richards et al. 2016); the window gate is V_red ≤ 2.7 V (overlap with the
 * sulfide's oxidation limit) and V_ox ≥ 4.0 V.
 */
export const XIAO_2019 = Object.freeze({
  cathode: 'LiNi1/3Mn1/3Co1/3O2',
  electrolyte: 'Li3PS4',
  cathodeRange: Object.freeze([2.7, 4.0]) as readonly [number, number],
  maxEHull: 0.005,
  maxReaction: 0.1,
  minBandGap: 0.5,
  openReactions: false,
  source: 'gates of Xiao et al., Joule 3, 1252 (2019), as summarised in a literature digest (not checked against the paper)',
});

/** A candidate of a coating screen: its composition, its entry (if any) and E_hull. */
export interface CoatingCandidate {
  composition: Composition;
  id: string | null;
  eHull: number | null;
}

/** Everything a coating screen judges by, resolved against the data (see `planCoatings`). */
export interface CoatingPlan {
  thresholds: CoatingThresholds;
  cathode: Material;
  electrolyte: Material;
  range: readonly [number, number];
  maxEHull: number;
  maxReaction: number;
  minGap: number;
  openReactions: boolean;
  useHullEnergy: boolean;
  includeNoMixingEnergy: boolean;
  /** True when the candidates were given (then a failing one is an error, not a `failed` row). */
  given: boolean;
  candidates: CoatingCandidate[];
}

/** Resolves the thresholds and materials and lists the candidates (no reactions yet). */
export function planCoatings(data: ScreenData, options: CoatingOptions = {}): CoatingPlan {
  const xiao = options.criteria === 'xiao2019';
  if (options.criteria !== undefined && options.criteria !== 'default' && !xiao) {
    throw new ScreenWorkflowError(`criteria must be 'default' or 'xiao2019', got ${JSON.stringify(options.criteria)}`);
  }
  const range = options.cathodeRange ?? (xiao ? XIAO_2019.cathodeRange : [2.5, 4.3]);
  if (!(range.length === 2 && range.every((v) => Number.isFinite(v) && v >= 0) && range[0] <= range[1])) {
    throw new ScreenWorkflowError(`cathode range must be two voltages low <= high (V vs Li/Li+), got ${JSON.stringify(range)}`);
  }
  const maxEHull = nonNegative(options.maxEHull ?? (xiao ? XIAO_2019.maxEHull : 0.05), 'max E_hull');
  const maxReaction = nonNegative(options.maxReaction ?? (xiao ? XIAO_2019.maxReaction : 0.1), 'max reaction energy');
  const minGap = nonNegative(options.minBandGap ?? (xiao ? XIAO_2019.minBandGap : 1), 'min band gap');
  const openReactions = options.openReactions ?? !xiao;
  const cathode = resolveMaterial(options.cathode ?? (xiao ? XIAO_2019.cathode : 'LiCoO2'), data, 'cathode');
  const electrolyte = resolveMaterial(options.electrolyte ?? (xiao ? XIAO_2019.electrolyte : 'Li3PS4'), data, 'electrolyte');
  const thresholds: CoatingThresholds = {
    cathode: cathode.composition.reducedFormula,
    electrolyte: electrolyte.composition.reducedFormula,
    cathode_name: cathode.name,
    electrolyte_name: electrolyte.name,
    cathode_range_V: [range[0], range[1]],
    max_e_above_hull: maxEHull,
    max_reaction_energy: maxReaction,
    min_band_gap: minGap,
    band_gaps_available: data.hasBandGaps,
    open_reactions: openReactions,
    criteria: xiao ? 'xiao2019' : 'default',
    source: xiao ? XIAO_2019.source : 'criteria of Xiao et al., Joule 3, 1252 (2019); default thresholds chosen by interphase',
    use_hull_energy: options.useHullEnergy ?? SCREEN_USE_HULL_ENERGY,
    include_no_mixing_energy: options.includeNoMixingEnergy ?? false,
  };
  let candidates: CoatingCandidate[];
  if (options.candidates) {
    candidates = options.candidates.map((c) => {
      const m = resolveMaterial(c, data, 'coating');
      const e = entryOf(m.composition, data);
      return { composition: m.composition, id: e ? e.entry.id : null, eHull: e ? data.eAboveHull[e.index]! : null };
    });
  } else {
    candidates = [];
    const { groups, entries } = data.index;
    for (let g = 0; g < groups.lowest.length; g++) {
      const i = groups.lowest[g]!;
      const e = entries[i]!;
      if (!e.composition.has('Li') || e.composition.elements.length < 2) continue;
      const h = data.eAboveHull[i]!;
      if (h > maxEHull + 1e-12) continue;
      if (e.composition.key === cathode.composition.key || e.composition.key === electrolyte.composition.key) continue;
      candidates.push({ composition: e.composition, id: e.id, eHull: h });
    }
  }
  return {
    thresholds,
    cathode,
    electrolyte,
    range,
    maxEHull,
    maxReaction,
    minGap,
    openReactions,
    useHullEnergy: thresholds.use_hull_energy,
    includeNoMixingEnergy: thresholds.include_no_mixing_energy,
    given: !!options.candidates,
    candidates,
  };
}

/** One candidate judged by every criterion (throws when a window or reaction cannot be computed). */
export function coatingRow(cand: CoatingCandidate, plan: CoatingPlan, data: ScreenData): CoatingRow {
  const { range, maxEHull, maxReaction, minGap } = plan;
  const react = (c: Composition, other: Material, open: boolean): ReactionMinimum => {
    if (c.key === other.composition.key) return { x: 0, energy: 0, reaction: `${c.reducedFormula} -> ${c.reducedFormula}`, products: [c.reducedFormula] };
    return minimumOf(
      interfaceReactionMinimum(c, other.composition, data.index, {
        useHullEnergy: plan.useHullEnergy,
        names: ['coating', other.name],
        ...(open ? { open: { element: 'Li', voltage: range[1] }, includeNoMixingEnergy: plan.includeNoMixingEnergy } : {}),
      }),
    );
  };
  const c = cand.composition;
  const w = stabilityWindow(data.index, c, { element: 'Li' });
  const cc = react(c, plan.cathode, false);
  const co = plan.openReactions ? react(c, plan.cathode, true) : null;
  const ec = react(c, plan.electrolyte, false);
  const eo = plan.openReactions ? react(c, plan.electrolyte, true) : null;
  const e = entryOf(c, data);
  const gap = e?.entry.bandGap ?? null;
  const ox = w.oxidation.voltage;
  const low = (a: ReactionMinimum, b: ReactionMinimum | null): number => Math.min(a.energy, b ? b.energy : Infinity);
  const criteria = {
    e_above_hull: cand.eHull !== null && cand.eHull <= maxEHull + 1e-12,
    window: w.reduction.voltage <= range[0] + 1e-9 && ox >= range[1] - 1e-9,
    cathode_reaction: low(cc, co) >= -maxReaction,
    electrolyte_reaction: low(ec, eo) >= -maxReaction,
    band_gap: gap === null ? null : gap >= minGap,
  };
  const vals = Object.values(criteria);
  const passed = vals.filter((v) => v === true).length;
  const judged = vals.filter((v) => v !== null).length;
  return {
    rank: 0,
    formula: c.reducedFormula,
    id: cand.id,
    e_above_hull: cand.eHull,
    reduction_V: w.reduction.voltage,
    oxidation_V: Number.isFinite(ox) ? ox : null,
    cathode_chemical: cc,
    cathode_at_voltage: co,
    electrolyte_chemical: ec,
    electrolyte_at_voltage: eo,
    band_gap: gap,
    criteria,
    passed,
    judged,
    pass_all: passed === judged,
    score: Math.min(low(cc, co), low(ec, eo)),
  };
}

/** Ranks rows in place (criteria passed, then score, then window width) and numbers them. */
export function rankCoatings(rows: CoatingRow[]): CoatingRow[] {
  rows.sort((a, b) => b.passed - a.passed || b.score - a.score || width(b) - width(a) || (a.formula < b.formula ? -1 : a.formula > b.formula ? 1 : 0));
  rows.forEach((r, i) => (r.rank = i + 1));
  return rows;
}

export function screenCoatings(data: ScreenData, options: CoatingOptions = {}): CoatingsResult {
  const plan = planCoatings(data, options);
  const rows: CoatingRow[] = [];
  const failed: CoatingsResult['failed'] = [];
  const list = plan.candidates;
  list.forEach((cand, k) => {
    try {
      rows.push(coatingRow(cand, plan, data));
    } catch (err) {
      if (plan.given) throw err;
      failed.push({ formula: cand.composition.reducedFormula, error: err instanceof Error ? err.message : String(err) });
    }
    options.onProgress?.(k + 1, list.length);
  });
  rankCoatings(rows);
  return { thresholds: plan.thresholds, rows: options.limit !== undefined ? rows.slice(0, options.limit) : rows, candidates: list.length, failed };
}

const width = (r: CoatingRow): number => (r.oxidation_V ?? 1e3) - r.reduction_V;

function nonNegative(v: number, what: string): number {
  if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new ScreenWorkflowError(`${what} must be a number >= 0, got ${String(v)}`);
  return v;
}
