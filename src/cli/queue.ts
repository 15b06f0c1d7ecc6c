/**
 * `--queue redis://HOST:PORT` and `--resume RUN` for the screen commands: the queue engine's
 * options from the flags (the password may come from INTERPHASE_REDIS_PASSWORD instead of the
 * URL, a private CA for rediss:// from INTERPHASE_REDIS_CA), the run announced on stderr, and
 * Ctrl-C / SIGTERM turned into cancelling the run (its pending jobs removed) — a second one exits.
 */
import { readFileSync } from 'node:fs';
import { createEngine, type Engine, type QueueOptions } from '../engine/index.js';
import type { QueueEngine } from '../engine/node.js';
import { UsageError, type CliIO, type Parsed } from './args.js';

export const QUEUE_VALUED = ['queue', 'resume'];

/**
 * CSV chunks on the queue: 256K characters (about 9,000 rows, ~0.1 s of one thread) rather than the
 * pool's 64K, so that the ~2.5 ms a job costs on the queue is ~2% of it (bench/queue.mjs).
 */
export const QUEUE_CHUNK_CHARS = 1 << 18;

export const QUEUE_USAGE = `  --queue URL     run on the queue at URL (redis://[:PASSWORD@]HOST:PORT[/DB], rediss:// for TLS;
                  password also from INTERPHASE_REDIS_PASSWORD, a CA file from INTERPHASE_REDIS_CA),
                  served by \`interphase worker --queue URL\` processes on any hosts
  --resume RUN    continue run RUN of a producer that died (with --queue), from its stored results`;

/** The queue options of `--queue` / `--resume`, or undefined when the command runs here. */
export function queueFlags(p: Parsed, env: NodeJS.ProcessEnv = process.env): QueueOptions | undefined {
  const url = p.flags.get('queue');
  const resume = p.flags.get('resume');
  if (url === undefined) {
    if (resume !== undefined) throw new UsageError('--resume RUN needs --queue URL (the queue the run is on)');
    return undefined;
  }
  if (url === true || url === '') throw new UsageError('--queue needs a URL, e.g. redis://127.0.0.1:6379');
  if (resume === true) throw new UsageError('--resume needs a RUN id');
  if (p.flags.has('workers')) throw new UsageError('--workers and --queue exclude each other: on the queue, the workers are `interphase worker` processes');
  const options: QueueOptions = { url };
  if (resume !== undefined) options.resume = resume;
  if (env.INTERPHASE_REDIS_PASSWORD) options.password = env.INTERPHASE_REDIS_PASSWORD;
  if (env.INTERPHASE_REDIS_CA) {
    try {
      options.tls = { ca: readFileSync(env.INTERPHASE_REDIS_CA) };
    } catch (e) {
      throw new Error(`cannot read INTERPHASE_REDIS_CA=${env.INTERPHASE_REDIS_CA}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return options;
}

export interface QueueRun {
  readonly engine: Engine;
  /** Aborted by Ctrl-C / SIGTERM (and by the caller's signal). */
  readonly signal: AbortSignal;
  /** Where the jobs ran, for the closing summary. */
  readonly where: string;
  /** Closes the engine (cleaning up the run) and removes the signal handlers. */
  close(): Promise<void>;
}

/** Connects to the queue, says which run this is, and cancels it on Ctrl-C / SIGTERM. */
export async function startQueueRun(options: QueueOptions, io: CliIO, signal?: AbortSignal): Promise<QueueRun> {
  const engine = (await createEngine({ queue: options })) as QueueEngine;
  const ctrl = new AbortController();
  let signals = 0;
  const onSignal = (): void => {
    if (++signals > 1) process.exit(130);
    io.stderr(`\ninterphase: cancelling run ${engine.runId}: removing its jobs (again to quit at once)\n`);
    ctrl.abort(new Error(`run ${engine.runId} cancelled`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  io.stderr(
    options.resume !== undefined
      ? `interphase: resuming run ${engine.runId} on ${engine.target.shown} (queue ${engine.target.name})\n`
      : `interphase: run ${engine.runId} on ${engine.target.shown} (queue ${engine.target.name}); if this process dies, continue with --resume ${engine.runId}\n`,
  );
  return {
    engine,
    signal: signal ? AbortSignal.any([signal, ctrl.signal]) : ctrl.signal,
    get where() {
      return `on queue ${engine.target.name}, run ${engine.runId}${engine.found ? `, ${engine.found} results found stored` : ''}`;
    },
    async close() {
      try {
        await engine.close();
        if (options.resume !== undefined) io.stderr(`interphase: run ${engine.runId}: ${engine.found} results found stored\n`);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    },
  };
}
