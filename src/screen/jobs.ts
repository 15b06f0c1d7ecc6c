/**
 * Every job the screens run, registered once (`SCREEN_JOBS`, the table the worker scripts serve),
 * and the two kinds of data they run against:
 * - `REFERENCE`: a reference dataset packed into flat arrays (thermo/reference-hull.ts), indexed
 *   by chemical system where the job runs; point stabilities found by one worker are passed to the
 *   others. Jobs: a batch of candidates (`stability.batch`), a chunk of CSV lines the worker reads
 *   itself (`stability.csv`).
 * - `DATASET`: entries (or the embedded table, loaded where the job runs) prepared for the
 *   screening workflows (common.ts's ScreenData: one evaluated SystemIndex). Jobs: plans and rows
 *   of the coating, interface, window and anode screens. Their errors are bad input: reported at
 *   once, never retried.
 * Everything crossing threads is plain data (compositions as {element: amount} maps, which
 * rebuild exactly). Browser-safe.
 */
import { Composition } from '../core/index.js';
import { defineDataKind, defineJob, jobTable, type SerializedError } from '../engine/index.js';
import { packReference, ReferenceHull, type BatchResult, type CandidateBatch, type PackedReference, type StabilityFlags } from '../thermo/index.js';
import { anodeRow, type AnodeRow, type AnodeThresholds } from './anode.js';
import { coatingRow, planCoatings, type CoatingOptions, type CoatingRow, type CoatingThresholds } from './coatings.js';
import { resolveMaterial, ScreenWorkflowError, type Material, type ScreenData } from './common.js';
import { DATASET } from './dataset.js';
import { existingFormulaCache, formulaCache, screenCsvChunk, type CsvChunkResult } from './csv-candidates.js';
import type { FormulaAnswers } from './csv-rows.js';
import type { CsvChunk } from '../io/index.js';
import { interfaceRow, planInterfaces, type Electrode, type InterfaceRow, type InterfacesOptions } from './interfaces.js';
import { UNCERTAINTY_JOBS } from './uncertainty-jobs.js';
import { windowOf, windowRow, type WindowRow } from './windows.js';
import { checkArgsObject, checkCandidateBatch, checkCsvJob, checkPackedReference } from './wire-checks.js';

export { DATASET, type DatasetWire } from './dataset.js';

// --- data kinds -------------------------------------------------------------------------------

/** A reference for stability screens: packed once on the calling side, indexed once per worker. */
/**
 * What a worker learns about a reference: point stabilities, and the hull's answers at the CSV
 * formulas it met (the other workers then skip solving them).
 */
export interface ReferenceLearned {
  readonly flags?: StabilityFlags;
  readonly answers?: FormulaAnswers;
}

export const REFERENCE = defineDataKind<PackedReference, ReferenceHull, ReferenceLearned>({
  name: 'reference',
  pack(entries) {
    if (entries === null) throw new ScreenWorkflowError('a stability reference needs its entries (e.g. await defaultEntries())');
    return packReference(entries);
  },
  open: (packed) => new ReferenceHull(packed),
  validate: checkPackedReference,
  learned: {
    take(hull) {
      const flags = hull.takeLearned();
      const answers = existingFormulaCache(hull)?.takeAnswers();
      return flags || answers ? { ...(flags ? { flags } : {}), ...(answers ? { answers } : {}) } : undefined;
    },
    apply(hull, known) {
      if (known.flags) hull.applyFlags(known.flags);
      if (known.answers) formulaCache(hull).applyAnswers(known.answers);
    },
    concat: concatLearned,
    buffers: ({ flags, answers }) => [
      ...(flags ? [flags.points.buffer, flags.flags.buffer] : []),
      ...(answers ? [answers.hull.buffer, answers.offsets.buffer, answers.phases.buffer, answers.shares.buffer] : []),
    ],
  },
});

// --- stability ---------------------------------------------------------------------------------

/** E_hull and decomposition of a batch of candidates, grouped by chemical system. */
export const STABILITY_BATCH = defineJob<CandidateBatch, BatchResult, ReferenceHull>({
  name: 'stability.batch',
  data: REFERENCE,
  run: (hull, batch) => hull.screen(batch),
  validate: checkCandidateBatch,
  buffers: (r) => [r.eAboveHull.buffer, r.decompOffsets.buffer, r.decompPoints.buffer, r.decompFractions.buffer],
});

/** A chunk of CSV lines read, packed and screened where it runs (csv-candidates.ts). */
export const STABILITY_CSV = defineJob<{ chunk: CsvChunk; unknownElements: 'error' | 'skip' }, CsvChunkResult, ReferenceHull>({
  name: 'stability.csv',
  data: REFERENCE,
  run: (hull, { chunk, unknownElements }) => screenCsvChunk(hull, chunk, unknownElements),
  validate: checkCsvJob,
  buffers: (r) => [
    r.idRanges.buffer,
    r.formulaOffsets.buffer,
    r.formulaOf.buffer,
    r.eForm.buffer,
    r.eAboveHull.buffer,
    r.status.buffer,
    r.decompOffsets.buffer,
    r.decompPoints.buffer,
    r.decompFractions.buffer,
  ],
});

// --- screening workflows ------------------------------------------------------------------------

/** A material as plain data. */
export interface WireMaterial {
  name: string;
  amounts: Record<string, number>;
}

export const toWire = (m: Material): WireMaterial => ({ name: m.name, amounts: m.composition.toDict() });
export const fromWire = (w: WireMaterial): Material => ({ name: w.name, composition: Composition.fromDict(w.amounts) });
const materialArg = (m: string | WireMaterial): string | Material => (typeof m === 'string' ? m : fromWire(m));

/** Coating options that cross threads (no callbacks; candidates as plain materials). */
export type WireCoatingOptions = Omit<CoatingOptions, 'candidates' | 'onProgress' | 'limit'> & { candidates?: WireMaterial[] | string[] };

export interface WireCoatingCandidate {
  amounts: Record<string, number>;
  id: string | null;
  eHull: number | null;
}

export type WireInterfacesOptions = Omit<InterfacesOptions, 'electrolytes' | 'electrodes' | 'onProgress'> & {
  electrolytes?: Array<string | WireMaterial>;
  electrodes?: Array<string | Electrode>;
};

/** Input errors of the workflows come back as ScreenWorkflowError. */
const workflow = {
  errors: 'input',
  validate: checkArgsObject,
  rebuildError: (e: SerializedError): Error => (e.name === 'ScreenWorkflowError' ? new ScreenWorkflowError(e.message) : Object.assign(new Error(e.message), { name: e.name })),
} as const;

/** Nothing but preparing the data (index built): warms a worker while another plans. */
export const PREPARE = defineJob<Record<string, never>, null, ScreenData>({ name: 'prepare', data: DATASET, ...workflow, run: () => null });

export const COATINGS_PLAN = defineJob<WireCoatingOptions, { thresholds: CoatingThresholds; given: boolean; candidates: WireCoatingCandidate[] }, ScreenData>({
  name: 'coatings.plan',
  data: DATASET,
  ...workflow,
  run(data, args) {
    const plan = planCoatings(data, { ...args, ...(args.candidates ? { candidates: args.candidates.map(materialArg) } : {}) } as CoatingOptions);
    return {
      thresholds: plan.thresholds,
      given: plan.given,
      candidates: plan.candidates.map((c) => ({ amounts: c.composition.toDict(), id: c.id, eHull: c.eHull })),
    };
  },
});

export const COATINGS_ROWS = defineJob<
  { options: WireCoatingOptions; given: boolean; candidates: WireCoatingCandidate[] },
  { rows: CoatingRow[]; failed: Array<{ formula: string; error: string }> },
  ScreenData
>({
  name: 'coatings.rows',
  data: DATASET,
  ...workflow,
  run(data, { options, given, candidates }, progress) {
    const plan = { ...planCoatings(data, { ...options, candidates: [] } as CoatingOptions), given, candidates: [] };
    const rows: CoatingRow[] = [];
    const failed: Array<{ formula: string; error: string }> = [];
    for (const w of candidates) {
      const cand = { composition: Composition.fromDict(w.amounts), id: w.id, eHull: w.eHull };
      try {
        rows.push(coatingRow(cand, plan, data));
      } catch (err) {
        if (given) throw err;
        failed.push({ formula: cand.composition.reducedFormula, error: err instanceof Error ? err.message : String(err) });
      }
      progress?.(rows.length + failed.length, candidates.length);
    }
    return { rows, failed };
  },
});

export const INTERFACES_PLAN = defineJob<WireInterfacesOptions, { electrolytes: WireMaterial[]; electrodes: Array<Electrode & { material: WireMaterial }> }, ScreenData>({
  name: 'interfaces.plan',
  data: DATASET,
  ...workflow,
  run(data, args) {
    const { electrolytes, ...rest } = args;
    const plan = planInterfaces(data, { ...rest, ...(electrolytes ? { electrolytes: electrolytes.map(materialArg) } : {}) });
    return {
      electrolytes: plan.electrolytes.map(toWire),
      electrodes: plan.electrodes.map((e) => ({ name: e.name, formula: e.formula, voltage: e.voltage, material: toWire(e.material) })),
    };
  },
});

export const INTERFACES_ROWS = defineJob<{ electrolyte: WireMaterial; electrodes: Array<{ material: WireMaterial; voltage: number }>; useHullEnergy: boolean }, InterfaceRow[], ScreenData>({
  name: 'interfaces.rows',
  data: DATASET,
  ...workflow,
  run: (data, { electrolyte, electrodes, useHullEnergy }) => electrodes.map((e) => interfaceRow(fromWire(electrolyte), fromWire(e.material), e.voltage, data, useHullEnergy)),
});

/** Windows of a slice of materials (formulas or names), each open to its own working ion. */
export const WINDOWS_ROWS = defineJob<{ materials: Array<string | WireMaterial>; element?: string }, WindowRow[], ScreenData>({
  name: 'windows.rows',
  data: DATASET,
  ...workflow,
  run: (data, { materials, element }) =>
    materials.map((input) => {
      const m = resolveMaterial(materialArg(input), data, 'electrolyte');
      return windowRow(m.name, windowOf(m, data, element));
    }),
});

/** Anode interphases of a slice of electrolytes. */
export const ANODE_ROWS = defineJob<{ materials: Array<string | WireMaterial> } & AnodeThresholds, AnodeRow[], ScreenData>({
  name: 'anode.rows',
  data: DATASET,
  ...workflow,
  run: (data, { materials, ...thresholds }) => materials.map((m) => anodeRow(resolveMaterial(materialArg(m), data, 'electrolyte'), data, thresholds)),
});

/** Every job the worker scripts serve. */
export const SCREEN_JOBS = jobTable([STABILITY_BATCH, STABILITY_CSV, PREPARE, COATINGS_PLAN, COATINGS_ROWS, INTERFACES_PLAN, INTERFACES_ROWS, WINDOWS_ROWS, ANODE_ROWS, ...UNCERTAINTY_JOBS]);

function concatLearned(chunks: readonly ReferenceLearned[]): ReferenceLearned {
  if (chunks.length === 1) return chunks[0]!;
  const flags = chunks.flatMap((c) => (c.flags ? [c.flags] : []));
  const answers = chunks.flatMap((c) => (c.answers ? [c.answers] : []));
  return { ...(flags.length ? { flags: concatFlags(flags) } : {}), ...(answers.length ? { answers: concatAnswers(answers) } : {}) };
}

function concatAnswers(chunks: readonly FormulaAnswers[]): FormulaAnswers {
  if (chunks.length === 1) return chunks[0]!;
  const n = chunks.reduce((a, c) => a + c.hull.length, 0);
  const m = chunks.reduce((a, c) => a + c.phases.length, 0);
  const hull = new Float64Array(n);
  const offsets = new Int32Array(n + 1);
  const phases = new Int32Array(m);
  const shares = new Float64Array(m);
  let i = 0;
  let k = 0;
  for (const c of chunks) {
    hull.set(c.hull, i);
    for (let j = 1; j < c.offsets.length; j++) offsets[i + j] = k + c.offsets[j]!;
    phases.set(c.phases, k);
    shares.set(c.shares, k);
    i += c.hull.length;
    k += c.phases.length;
  }
  return { text: chunks.map((c) => c.text).join('\n'), hull, offsets, phases, shares };
}

function concatFlags(chunks: readonly StabilityFlags[]): StabilityFlags {
  if (chunks.length === 1) return chunks[0]!;
  let n = 0;
  for (const c of chunks) n += c.points.length;
  const points = new Int32Array(n);
  const flags = new Int8Array(n);
  let at = 0;
  for (const c of chunks) {
    points.set(c.points, at);
    flags.set(c.flags, at);
    at += c.points.length;
  }
  return { points, flags };
}
