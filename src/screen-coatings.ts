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
 *     material's own decomposition at that voltage is not counted, include_no_mixing_energy=false);
 *   - band gap ≥ minBandGap (default 1 eV) when the data carry band gaps; otherwise reported as
 *     "not available" (null) and not counted — never passed silently.
 * The thresholds are options. The defaults are this package's choices in the spirit of Xiao 2019
 * (not numbers copied from the paper: check them against it before quoting them as its values).
 *
 * Ranking: number of criteria passed (descending), then the score — the most negative of the four
 * reaction energies (descending: least reactive first) — then the window width.
 */
import type { Composition } from './composition.js';
import { stabilityWindow } from './element-profile.js';
import { interfaceReaction } from './interface-reaction.js';
import { entryOf, resolveMaterial, ScreenWorkflowError, type Material, type ScreenData } from './screen-common.js';
import { minimumOf, type ReactionMinimum } from './screen-interfaces.js';

export interface CoatingOptions {
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
  /** pymatgen use_hull_energy for the reactants (default false). */
  useHullEnergy?: boolean;
  /** Keep at most this many rows (after ranking). */
  limit?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface CoatingThresholds {
  cathode: string;
  electrolyte: string;
  cathode_range_V: [number, number];
  max_e_above_hull: number;
  max_reaction_energy: number;
  min_band_gap: number;
  band_gaps_available: boolean;
  source: string;
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
  /** Closed and open (at the cathode's top voltage) reaction minima. */
  cathode_chemical: ReactionMinimum;
  cathode_at_voltage: ReactionMinimum;
  electrolyte_chemical: ReactionMinimum;
  electrolyte_at_voltage: ReactionMinimum;
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
}

export interface CoatingsResult {
  thresholds: CoatingThresholds;
  rows: CoatingRow[];
  /** Candidates considered (before ranking / limit). */
  candidates: number;
  /** Candidates that could not be evaluated, with the reason. */
  failed: Array<{ formula: string; error: string }>;
}

export function screenCoatings(data: ScreenData, options: CoatingOptions = {}): CoatingsResult {
  const range = options.cathodeRange ?? [2.5, 4.3];
  if (!(range.length === 2 && range.every((v) => Number.isFinite(v) && v >= 0) && range[0] <= range[1])) {
    throw new ScreenWorkflowError(`cathode range must be two voltages low <= high (V vs Li/Li+), got ${JSON.stringify(range)}`);
  }
  const maxEHull = nonNegative(options.maxEHull ?? 0.05, 'max E_hull');
  const maxReaction = nonNegative(options.maxReaction ?? 0.1, 'max reaction energy');
  const minGap = nonNegative(options.minBandGap ?? 1, 'min band gap');
  const cathode = resolveMaterial(options.cathode ?? 'LiCoO2', data, 'cathode');
  const electrolyte = resolveMaterial(options.electrolyte ?? 'Li3PS4', data, 'electrolyte');
  const thresholds: CoatingThresholds = {
    cathode: cathode.composition.reducedFormula,
    electrolyte: electrolyte.composition.reducedFormula,
    cathode_range_V: [range[0], range[1]],
    max_e_above_hull: maxEHull,
    max_reaction_energy: maxReaction,
    min_band_gap: minGap,
    band_gaps_available: data.hasBandGaps,
    source: 'criteria of Xiao et al., Joule 3, 1252 (2019); default thresholds chosen by interphase',
  };
  let list: Array<{ composition: Composition; id: string | null; eHull: number | null }>;
  if (options.candidates) {
    list = options.candidates.map((c) => {
      const m = resolveMaterial(c, data, 'coating');
      const e = entryOf(m.composition, data);
      return { composition: m.composition, id: e ? e.entry.id : null, eHull: e ? data.eAboveHull[e.index]! : null };
    });
  } else {
    list = [];
    const { groups, entries } = data.index;
    for (let g = 0; g < groups.lowest.length; g++) {
      const i = groups.lowest[g]!;
      const e = entries[i]!;
      if (!e.composition.has('Li') || e.composition.elements.length < 2) continue;
      const h = data.eAboveHull[i]!;
      if (h > maxEHull + 1e-12) continue;
      if (e.composition.key === cathode.composition.key || e.composition.key === electrolyte.composition.key) continue;
      list.push({ composition: e.composition, id: e.id, eHull: h });
    }
  }
  const top = range[1];
  const rows: CoatingRow[] = [];
  const failed: CoatingsResult['failed'] = [];
  const react = (c: Composition, other: Material, open: boolean): ReactionMinimum => {
    if (c.key === other.composition.key) return { x: 0, energy: 0, reaction: `${c.reducedFormula} -> ${c.reducedFormula}`, products: [c.reducedFormula] };
    return minimumOf(
      interfaceReaction(c, other.composition, data.index, {
        useHullEnergy: options.useHullEnergy ?? false,
        names: ['coating', other.name],
        ...(open ? { open: { element: 'Li', voltage: top }, includeNoMixingEnergy: false } : {}),
      }),
    );
  };
  list.forEach((cand, k) => {
    try {
      const c = cand.composition;
      const w = stabilityWindow(data.index, c, { element: 'Li' });
      const cc = react(c, cathode, false);
      const co = react(c, cathode, true);
      const ec = react(c, electrolyte, false);
      const eo = react(c, electrolyte, true);
      const e = entryOf(c, data);
      const gap = e?.entry.bandGap ?? null;
      const ox = w.oxidation.voltage;
      const criteria = {
        e_above_hull: cand.eHull !== null && cand.eHull <= maxEHull + 1e-12,
        window: w.reduction.voltage <= range[0] + 1e-9 && ox >= range[1] - 1e-9,
        cathode_reaction: Math.min(cc.energy, co.energy) >= -maxReaction,
        electrolyte_reaction: Math.min(ec.energy, eo.energy) >= -maxReaction,
        band_gap: gap === null ? null : gap >= minGap,
      };
      const vals = Object.values(criteria);
      const passed = vals.filter((v) => v === true).length;
      const judged = vals.filter((v) => v !== null).length;
      rows.push({
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
        score: Math.min(cc.energy, co.energy, ec.energy, eo.energy),
      });
    } catch (err) {
      if (options.candidates) throw err;
      failed.push({ formula: cand.composition.reducedFormula, error: err instanceof Error ? err.message : String(err) });
    }
    options.onProgress?.(k + 1, list.length);
  });
  rows.sort(
    (a, b) =>
      b.passed - a.passed ||
      b.score - a.score ||
      width(b) - width(a) ||
      (a.formula < b.formula ? -1 : a.formula > b.formula ? 1 : 0),
  );
  rows.forEach((r, i) => (r.rank = i + 1));
  return { thresholds, rows: options.limit !== undefined ? rows.slice(0, options.limit) : rows, candidates: list.length, failed };
}

const width = (r: CoatingRow): number => (r.oxidation_V ?? 1e3) - r.reduction_V;

function nonNegative(v: number, what: string): number {
  if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new ScreenWorkflowError(`${what} must be a number >= 0, got ${String(v)}`);
  return v;
}
