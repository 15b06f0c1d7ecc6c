/**
 * The stability screen with uncertainty: every row of `screenStability` plus P(stable) — the
 * probability that the candidate lies on or below the reference hull when the reference's and the
 * candidate's energies carry their errors — and the band of its signed E_hull. Candidates are read
 * a window at a time (CSV candidates are parsed here: the sampled path needs the entries); the
 * deterministic rows come from `screenStability`, the samples from the engine's jobs.
 */
import type { Entry } from '../core/index.js';
import { createEngine, localEngine } from '../engine/index.js';
import { CsvEntryReader, type CsvCandidates, isCsvCandidates, LineSplitter } from '../io/index.js';
import type { SamplingOptions } from '../uncertainty/index.js';
import { type ScreenOptions, type ScreenRow, screenStability } from './stability.js';
import { sampledCandidatesOnEngine } from './uncertainty.js';

/** A row of the screen with uncertainty (keys of `screen stability --uncertainty --json`). */
export interface UncertainScreenRow extends ScreenRow {
  /** P(signed E_hull ≤ 0) and its Monte Carlo standard error. */
  p_stable: number;
  p_stable_se: number;
  /** The signed E_hull over the samples (eV/atom). */
  e_above_hull_std: number;
  e_above_hull_q05: number;
  e_above_hull_q50: number;
  e_above_hull_q95: number;
  samples: number;
}

const WINDOW = 512;

/** `screenStability` with uncertainty (`uncertainty`: σ, samples, seed, precision; see SamplingOptions). */
export async function* screenStabilityUncertain(
  candidates: AsyncIterable<Entry> | Iterable<Entry> | CsvCandidates,
  reference: readonly Entry[],
  uncertainty: SamplingOptions,
  options: ScreenOptions = {},
): AsyncGenerator<UncertainScreenRow, void, undefined> {
  const { signal } = options;
  const own = !options.engine && (options.workers ?? 0) > 0;
  const engine = options.engine ?? (own ? await createEngine({ workers: options.workers! }) : localEngine());
  const deterministic: ScreenOptions = {
    engine,
    ...(options.unknownElements ? { unknownElements: options.unknownElements } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
    ...(signal ? { signal } : {}),
  };
  let done = 0;
  let position = 0;
  try {
    const source = isCsvCandidates(candidates) ? csvEntries(candidates) : candidates;
    let window: Entry[] = [];
    const flush = async function* (): AsyncGenerator<UncertainScreenRow, void, undefined> {
      const entries = window;
      const first = position;
      position += entries.length;
      window = [];
      const rows: ScreenRow[] = [];
      for await (const r of screenStability(entries, reference, deterministic)) rows.push(r);
      // Rows keep the input order and leave out skipped or failed candidates: match them by id.
      const matched: number[] = [];
      let k = 0;
      for (const r of rows) {
        while (k < entries.length && !(entries[k]!.id === r.id && entries[k]!.composition.formula === r.formula)) k++;
        matched.push(k++);
      }
      const sampled = await sampledCandidatesOnEngine(
        engine,
        matched.map((i) => entries[i]!),
        matched.map((i) => first + i),
        { ...uncertainty, data: reference, ...(signal ? { signal } : {}) },
      );
      for (let i = 0; i < rows.length; i++) {
        const u = sampled[i]!;
        yield {
          ...rows[i]!,
          p_stable: u.pStable.p,
          p_stable_se: u.pStable.se,
          e_above_hull_std: u.eAboveHull.std,
          e_above_hull_q05: u.eAboveHull.q05,
          e_above_hull_q50: u.eAboveHull.q50,
          e_above_hull_q95: u.eAboveHull.q95,
          samples: u.samples,
        };
      }
      done += entries.length;
      options.onProgress?.(done, options.total);
    };
    for await (const e of source as AsyncIterable<Entry>) {
      window.push(e);
      if (window.length >= WINDOW) yield* flush();
    }
    if (window.length) yield* flush();
  } finally {
    if (own) await engine.close();
  }
}

/** CSV candidates as entries, parsed in this thread (the same reader as the workers'). */
async function* csvEntries(c: CsvCandidates): AsyncGenerator<Entry, void, undefined> {
  let reader: CsvEntryReader | undefined;
  for await (const chunk of c.chunks) {
    if (!reader) {
      reader = new CsvEntryReader({ source: chunk.source });
      reader.line(chunk.header, chunk.headerLine);
    }
    const lines = new LineSplitter(chunk.firstLine);
    lines.push(chunk.text);
    lines.end();
    const out: Entry[] = [];
    reader.readLines(lines, out);
    yield* out;
  }
}
