/**
 * `interphase screen stability CANDIDATES [--data FILE] [--workers N] [--json|--csv] [--out FILE]`
 *
 * E_hull (signed) and decomposition of every candidate of a file against a reference dataset
 * (default: the embedded Materials Project data), streamed: candidates are read, screened on a
 * pool of workers and written as they come, in input order.
 */
import { constants, createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { availableParallelism } from 'node:os';
import { checkFlags, parseArgs, rejectDashed, UsageError, type CliIO } from './args.js';
import { workersFlag } from './workers-flag.js';
import { DEFAULT_DATA_INFO, defaultEntries } from '../io/index.js';
import type { Entry } from '../core/index.js';
import { createEngine, type Engine } from '../engine/index.js';
import { candidatesOf, loadEntries } from '../io/node.js';
import { openOutput, type Output } from './output.js';
import { progressBar } from './progress.js';
import { screenStability, screenStabilityUncertain, type ScreenOptions, type ScreenRow, type UncertainScreenRow } from '../screen/index.js';
import { samplingFlags } from './uncertainty.js';
import { QUEUE_CHUNK_CHARS, QUEUE_USAGE, QUEUE_VALUED, queueFlags, startQueueRun, type QueueRun } from './queue.js';

export const SCREEN_USAGE = `Usage: interphase screen stability CANDIDATES [--data FILE] [--workers N | --queue URL [--resume RUN]] [--json|--csv]
         [--out FILE] [--skip-errors]
         [--uncertainty [--sigma S] [--samples N] [--seed N] [--precision P]]

E_hull and decomposition of every candidate composition in CANDIDATES (any entry format, e.g. CSV
formula,e_form_per_atom[,id]) against a reference dataset, each within its chemical system and
against the reference alone (candidates never enter each other's hulls). E_hull is signed:
negative = below the reference hull (a candidate new stable phase), its decomposition then the
reference phases it competes with.

  --data FILE     reference dataset (default: the embedded Materials Project data, ${DEFAULT_DATA_INFO.rows.toLocaleString('en-US')}
                  compositions of ${DEFAULT_DATA_INFO.elements.length} elements, formation energies; CC BY 4.0)
  --workers N     worker threads (default: available cores; 0 = this thread; at most 4 per core)
  --json | --csv  output format (default: a text table)
  --out FILE      write the rows to FILE instead of stdout
  --skip-errors   report candidates (and, on the queue, chunks that keep failing) that cannot be
                  screened on stderr and go on (default: stop)
${QUEUE_USAGE}
  --uncertainty   add P(stable) = P(E_hull ≤ 0) with the reference's and the candidates' errors
                  (an e_form_per_atom_std column, --sigma) and E_hull's 5–95 % band: columns
                  p_stable, p_stable_se, e_above_hull_std, e_above_hull_q05/_q50/_q95, samples
`;

/** Runs `screen stability` with the arguments that follow it; returns the exit code. */
export async function screenStabilityCommand(args: readonly string[], io: CliIO, options: { signal?: AbortSignal } = {}): Promise<number> {
  const p = parseArgs(args, ['data', 'workers', 'out', 'sigma', 'samples', 'seed', 'precision', ...QUEUE_VALUED]);
  checkFlags(p, ['data', 'workers', 'out', 'json', 'csv', 'skip-errors', 'sigma', 'samples', 'seed', 'precision', 'uncertainty', 'independent-corrections', ...QUEUE_VALUED], 'screen stability');
  rejectDashed(p, 'screen stability');
  const sampling = samplingFlags(p);
  if (p.positional.length !== 1) throw new UsageError('screen stability takes exactly one CANDIDATES file');
  if (p.flags.has('json') && p.flags.has('csv')) throw new UsageError('give one of --json and --csv');
  const file = p.positional[0]!;
  const format: Format = p.flags.has('json') ? 'json' : p.flags.has('csv') ? 'csv' : 'table';
  const workers = workersFlag(p, undefined, availableParallelism());
  const dataFile = p.flags.get('data');
  if (dataFile === true) throw new UsageError('--data needs a FILE');
  const outFile = p.flags.get('out');
  if (outFile === true) throw new UsageError('--out needs a FILE');
  const queue = queueFlags(p);

  await access(file, constants.R_OK).catch(fileError(file));
  let reference: readonly Entry[];
  let referenceName: string;
  if (dataFile === undefined) {
    io.stderr(
      `interphase: no --data given: using the embedded data (${DEFAULT_DATA_INFO.name}: Materials Project formation energies, ` +
        `${DEFAULT_DATA_INFO.rows.toLocaleString('en-US')} compositions of ${DEFAULT_DATA_INFO.elements.join(' ')}; ${DEFAULT_DATA_INFO.licence.split(' (')[0]}, ` +
        `Jain et al., APL Mater. 2013)\n`,
    );
    reference = await defaultEntries();
    referenceName = DEFAULT_DATA_INFO.name;
  } else {
    reference = await loadEntries(dataFile).catch(fileError(dataFile));
    referenceName = dataFile;
  }

  const bar = progressBar(io.isTTY ? io.stderr : undefined, { unit: 'candidates' });
  let total: number | undefined;
  if (io.isTTY)
    void countCsvRows(file).then(
      (n) => (total = n),
      () => {},
    );
  const skipErrors = p.flags.has('skip-errors');
  let failed = 0;
  const screenOptions: ScreenOptions = {
    onProgress: (done) => bar.update(done, total),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(skipErrors
      ? {
          onError: (e: Error) => {
            failed++;
            if (failed <= 20) {
              bar.clear();
              io.stderr(`interphase: skipped: ${e.message}\n`);
            }
          },
        }
      : {}),
  };
  let engine: Engine | undefined;
  let run: QueueRun | undefined;
  if (queue) {
    run = await startQueueRun(queue, io, options.signal);
    engine = run.engine;
    screenOptions.engine = engine;
    screenOptions.signal = run.signal;
  } else if (workers !== 0) {
    engine = await createEngine(workers === undefined ? {} : { workers });
    screenOptions.engine = engine;
  }
  const out = await openOutput(io, typeof outFile === 'string' ? outFile : undefined);
  const t0 = performance.now();
  let rows = 0;
  let below = 0;
  try {
    const writer = rowWriter(format, out, referenceName, sampling !== undefined);
    const candidates = candidatesOf(file, run ? { chunkChars: QUEUE_CHUNK_CHARS } : {});
    const screen = sampling ? screenStabilityUncertain(candidates, reference, sampling, screenOptions) : screenStability(candidates, reference, screenOptions);
    for await (const row of screen) {
      rows++;
      if (row.e_above_hull < 0) below++;
      await writer.row(row);
    }
    await writer.end({ rows, below, failed });
    await out.close();
  } catch (e) {
    bar.clear();
    await out.close().catch(() => {});
    throw fileError(file)(e);
  } finally {
    await (run ?? engine)?.close();
  }
  if (io.isTTY) {
    bar.finish();
    const secs = (performance.now() - t0) / 1000;
    io.stderr(
      `${rows.toLocaleString('en-US')} candidates screened against ${referenceName} in ${secs.toFixed(1)} s` +
        ` (${Math.round(rows / Math.max(secs, 1e-9)).toLocaleString('en-US')}/s, ${run ? run.where : engine ? `${engine.size} worker${engine.size > 1 ? 's' : ''}` : 'in this thread'}); ` +
        `${below.toLocaleString('en-US')} below the reference hull${failed ? `; ${failed} skipped` : ''}\n`,
    );
  } else if (failed > 20) io.stderr(`interphase: ${failed} candidates skipped in all\n`);
  return 0;
}

type Format = 'table' | 'csv' | 'json';

interface RowWriter {
  row(r: ScreenRow): Promise<void>;
  end(summary: { rows: number; below: number; failed: number }): Promise<void>;
}

const P_HEADER = ',p_stable,p_stable_se,e_above_hull_std,e_above_hull_q05,e_above_hull_q50,e_above_hull_q95,samples';
const pCells = (r: ScreenRow): string => {
  const u = r as UncertainScreenRow;
  return `,${u.p_stable},${u.p_stable_se},${u.e_above_hull_std},${u.e_above_hull_q05},${u.e_above_hull_q50},${u.e_above_hull_q95},${u.samples}`;
};

function rowWriter(format: Format, out: Output, referenceName: string, uncertain: boolean): RowWriter {
  const decomp = (d: Record<string, number>, sep: string, item: (id: string, f: number) => string): string =>
    Object.keys(d)
      .map((id) => item(id, d[id]!))
      .join(sep);
  switch (format) {
    case 'csv': {
      let first = true;
      const header = `id,formula,e_form_per_atom,e_above_hull,decomposition${uncertain ? P_HEADER : ''}\n`;
      return {
        async row(r) {
          if (first) await out.write(header);
          first = false;
          await out.write(
            `${csvCell(r.id)},${csvCell(r.formula)},${r.e_form_per_atom},${r.e_above_hull},${csvCell(decomp(r.decomposition, ' ', (id, f) => `${id}:${f}`))}${uncertain ? pCells(r) : ''}\n`,
          );
        },
        async end() {
          if (first) await out.write(header);
        },
      };
    }
    case 'json': {
      let n = 0;
      return {
        async row(r) {
          await out.write(`${n++ ? ',\n' : `{"reference":${JSON.stringify(referenceName)},"rows":[\n`}${JSON.stringify(r)}`);
        },
        async end(s) {
          await out.write(`${n ? '\n' : `{"reference":${JSON.stringify(referenceName)},"rows":[`}],"count":${s.rows},"below_hull":${s.below},"skipped":${s.failed}}\n`);
        },
      };
    }
    default: {
      const fmt = (v: number) => v.toFixed(4);
      let first = true;
      const line = (cells: string[]) =>
        `${`${cells[0]!.padEnd(20)}  ${cells[1]!.padEnd(20)}  ${cells[2]!.padStart(8)}  ${cells[3]!.padStart(8)}  ${uncertain ? `${cells[5]!.padStart(9)}  ${cells[6]!.padStart(19)}  ` : ''}${cells[4]}`.trimEnd()}\n`;
      const extra = (r: ScreenRow): string[] => {
        if (!uncertain) return [];
        const u = r as UncertainScreenRow;
        return [`${(100 * u.p_stable).toFixed(1)} %`, `${fmt(u.e_above_hull_q05)}…${fmt(u.e_above_hull_q95)}`];
      };
      return {
        async row(r) {
          if (first) await out.write(line(['id', 'formula', 'E_form', 'E_hull', 'decomposition', 'P(stable)', 'E_hull 5–95 %']));
          first = false;
          await out.write(line([r.id, r.formula, fmt(r.e_form_per_atom), fmt(r.e_above_hull), decomp(r.decomposition, ' + ', (id, f) => `${f.toFixed(3)} ${id}`), ...extra(r)]));
        },
        async end(s) {
          await out.write(`\n${s.rows} candidates against ${referenceName}: ${s.below} below the reference hull (E_hull < 0)${s.failed ? `, ${s.failed} skipped` : ''}; energies in eV/atom\n`);
        },
      };
    }
  }
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows of a CSV file (lines after the header), for the progress bar's total. */
async function countCsvRows(file: string): Promise<number | undefined> {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (!name.endsWith('.csv')) return undefined;
  const raw = createReadStream(file);
  let stream: Readable = raw;
  if (file.toLowerCase().endsWith('.gz')) {
    const gunzip = createGunzip();
    raw.on('error', (e) => gunzip.destroy(e));
    stream = raw.pipe(gunzip);
  }
  let lines = 0;
  let last = 10;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
    if (chunk.length) last = chunk[chunk.length - 1]!;
  }
  if (last !== 10) lines++;
  return Math.max(0, lines - 1);
}

/** A plain reason for the file-system errors a user causes by naming the wrong file. */
function fileError(file: string, verb = 'read'): (err: unknown) => never {
  return (err) => {
    const reason = (
      {
        ENOENT: 'no such file',
        EISDIR: 'is a directory',
        EACCES: 'permission denied',
        EPERM: 'permission denied',
        ENOTDIR: 'a component of the path is not a directory',
      } as Record<string, string>
    )[(err as NodeJS.ErrnoException | undefined)?.code ?? ''];
    throw reason === undefined ? err : new Error(`cannot ${verb} ${file}: ${reason}`, { cause: err });
  };
}
