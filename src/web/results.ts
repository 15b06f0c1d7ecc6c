// What the page's worker service (service.ts) answers with: plain data, numbers already formatted
// where the page shows text, and the SVG plots. Apart from the service so that both stay short.

export interface DataInfo {
  /** `mp-legacy-32` for the embedded data, else the file name. */
  name: string;
  embedded: boolean;
  entries: number;
  elements: string[];
  /** Time to read and parse (ms). */
  loadMs: number;
}

export interface HullRow {
  id: string;
  formula: string;
  eFormPerAtom: number;
  eAboveHull: number;
  stable: boolean;
  /** `0.500 Li2S + 0.500 P2S5` (atom fractions). */
  decomposition: string;
}

export interface HullResult {
  formula: string;
  elements: string[];
  /** Hull formation energy at the composition (eV/atom). */
  hullFormationEnergy: number;
  /** E_hull of the lowest entry of that composition; null when the data has none. */
  eAboveHull: number | null;
  stable: boolean;
  decomposition: Array<{ id: string; formula: string; fraction: number }>;
  /** Every entry of the chemical system, most stable first. */
  rows: HullRow[];
  /** Binary or ternary hull diagram; null for 4+ elements. */
  svg: string | null;
  ms: number;
}

export interface WindowResult {
  formula: string;
  element: string;
  reductionV: number;
  /** null: no oxidation limit (+∞). */
  oxidationV: number | null;
  stable: boolean;
  eAboveHull: number | null;
  phaseEquilibrium: string[];
  reductionReaction: string | null;
  oxidationReaction: string | null;
  atZeroVolts: string;
  steps: Array<{ fromV: number; toV: number | null; mu: number; evolution: number; products: string[]; reaction: string }>;
  /** Warnings about the question (a composition not charge balanced in common oxidation states). */
  warnings: string[];
  svg: string;
  ms: number;
}

export interface InterfaceResult {
  a: string;
  b: string;
  kinks: Array<{ index: number; x: number; energyPerAtom: number; reaction: string; products: string[] }>;
  minimum: { x: number; energyPerAtom: number; reaction: string };
  svg: string;
  ms: number;
}

export interface ScreenJobOptions {
  /** Number of hypothetical candidates: the data's compounds again and again, energies perturbed. */
  count: number;
  /** Perturbation amplitude (eV/atom, uniform ±); default 0.05. */
  spread?: number;
  seed?: number;
  /** Engine workers (started by the page through `startWorker`'s relay, else nested); default min(4, hardwareConcurrency). */
  workers?: number;
  batchSize?: number;
}

export interface ScreenSummary {
  count: number;
  /** Candidates below the reference hull (e_above_hull < 0). */
  belowHull: number;
  /** The 10 lowest e_above_hull. */
  best: Array<{ id: string; formula: string; eAboveHull: number }>;
  workers: number;
  ms: number;
  cancelled: boolean;
}
