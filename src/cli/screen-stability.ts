/**
 * `interphase screen stability CANDIDATES [--data FILE] [--workers N] [--json|--csv] [--out FILE]`
 *
 * E_hull (signed) and decomposition of every candidate of a file against a reference dataset
 * (default: the embedded Materials Project data), streamed: candidates are read, screened on a
 * pool of workers and written as they come, in input order.
 */
import { constants, createReadStream } from 'node:fs';
import { access, open, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { checkFlags, parseArgs, UsageError, type CliIO } from './args.js';
import { DEFAULT_DATA_INFO, defaultEntries } from '../io/index.js';
import type { Entry } from '../core/index.js';
import { createEngine, type Engine } from '../engine/index.js';
import { candidatesOf, loadEntries } from '../io/node.js';
import { progressBar } from './progress.js';
import { screenStability, type ScreenOptions, type ScreenRow } from '../screen/index.js';
import { QUEUE_CHUNK_CHARS, QUEUE_USAGE, QUEUE_VALUED, queueFlags, startQueueRun, type QueueRun } from './queue.js';

export const SCREEN_USAGE = `Usage:
  interphase screen stability CANDIDATES [--data FILE] [--workers N | --queue URL [--resume RUN]] [--json|--csv] [--out FILE] [--skip-errors]

E_hull and decomposition of every candidate composition in CANDIDATES (any entry format, e.g. CSV
formula,e_form_per_atom[,id]) against a reference dataset, each within its chemical system and
against the reference alone (candidates never enter each other's hulls). E_hull is signed:
negative = below the reference hull (a candidate new stable phase), its decomposition then the
reference phases it competes with.

  --data FILE     reference dataset (default: the embedded Materials Project data, ${DEFAULT_DATA_INFO.rows.toLocaleString('en-US')}
                  compositions of ${DEFAULT_DATA_INFO.elements.length} elements, formation energies; CC BY 4.0)
  --workers N     worker threads (default: available cores; 0 = this thread)
  --json | --csv  output format (default: a text table)
  --out FILE      write the rows to FILE instead of stdout
  --skip-errors   report candidates (and, on the queue, chunks that keep failing) that cannot be
                  screened on stderr and go on (default: stop)
${QUEUE_USAGE}
`;

/** Runs `screen stability` with the arguments that follow it; returns the exit code. */
export async function screenStabilityCommand(args: readonly string[], io: CliIO, options: { signal?: AbortSignal } = {}): Promise<number> {
  const p = parseArgs(args, ['data', 'workers', 'out', ...QUEUE_VALUED]);
  checkFlags(p, ['data', 'workers', 'out', 'json', 'csv', 'skip-errors', ...QUEUE_VALUED], 'screen stability');
  const dashed = p.positional.find((a) => a.length > 1 && a.startsWith('-'));
  if (dashed !== undefined) throw new UsageError(`unknown option ${dashed} for 'screen stability'`);
  if (p.positional.length !== 1) throw new UsageError('screen stability takes exactly one CANDIDATES file');
  if (p.flags.has('json') && p.flags.has('csv')) throw new UsageError('give one of --json and --csv');
  const file = p.positional[0]!;
  const format: Format = p.flags.has('json') ? 'json' : p.flags.has('csv') ? 'csv' : 'table';
  let workers: number | undefined;
  const w = p.flags.get('workers');
  if (w !== undefined) {
    workers = Number(w);
    if (w === true || !/^\d+$/.test(w) || !Number.isSafeInteger(workers)) throw new UsageError(`--workers needs a whole number >= 0, got ${String(w)}`);
  }
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
    const writer = rowWriter(format, out, referenceName);
    for await (const row of screenStability(candidatesOf(file, run ? { chunkChars: QUEUE_CHUNK_CHARS } : {}), reference, screenOptions)) {
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

interface Output {
  write(s: string): Promise<void>;
  close(): Promise<void>;
}

/** stdout through the CLI's io, or a file; writes are gathered into ~64 KB chunks. */
async function openOutput(io: CliIO, file: string | undefined): Promise<Output> {
  let fh: FileHandle | undefined;
  if (file !== undefined) fh = await open(file, 'w').catch(fileError(file, 'write'));
  let buf: string[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    if (!size) return;
    const s = buf.join('');
    buf = [];
    size = 0;
    if (fh) await fh.write(s);
    else io.stdout(s);
  };
  return {
    async write(s) {
      buf.push(s);
      size += s.length;
      if (size >= 1 << 16) await flush();
    },
    async close() {
      await flush();
      await fh?.close();
      fh = undefined;
    },
  };
}

interface RowWriter {
  row(r: ScreenRow): Promise<void>;
  end(summary: { rows: number; below: number; failed: number }): Promise<void>;
}

function rowWriter(format: Format, out: Output, referenceName: string): RowWriter {
  const decomp = (d: Record<string, number>, sep: string, item: (id: string, f: number) => string): string =>
    Object.keys(d)
      .map((id) => item(id, d[id]!))
      .join(sep);
  switch (format) {
    case 'csv': {
      let first = true;
      return {
        async row(r) {
          if (first) await out.write('id,formula,e_form_per_atom,e_above_hull,decomposition\n');
          first = false;
          await out.write(`${csvCell(r.id)},${csvCell(r.formula)},${r.e_form_per_atom},${r.e_above_hull},${csvCell(decomp(r.decomposition, ' ', (id, f) => `${id}:${f}`))}\n`);
        },
        async end() {
          if (first) await out.write('id,formula,e_form_per_atom,e_above_hull,decomposition\n');
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
      const line = (cells: string[]) => `${`${cells[0]!.padEnd(20)}  ${cells[1]!.padEnd(20)}  ${cells[2]!.padStart(8)}  ${cells[3]!.padStart(8)}  ${cells[4]}`.trimEnd()}\n`;
      return {
        async row(r) {
          if (first) await out.write(line(['id', 'formula', 'E_form', 'E_hull', 'decomposition']));
          first = false;
          await out.write(line([r.id, r.formula, fmt(r.e_form_per_atom), fmt(r.e_above_hull), decomp(r.decomposition, ' + ', (id, f) => `${f.toFixed(3)} ${id}`)]));
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
