/**
 * `interphase worker --queue redis://HOST:PORT [--concurrency N]`: serves the screens' jobs from a
 * Redis-backed queue on this host's worker threads, until SIGTERM or Ctrl-C (which finish the jobs
 * in hand; a second one hands them back to the queue and exits). Start one on every host.
 */
import { SCREEN_JOBS } from '../screen/index.js';
import { startQueueWorker } from '../engine/node.js';
import { checkFlags, numberFlag, parseArgs, UsageError, type CliIO } from './args.js';
import { queueFlags } from './queue.js';

export const WORKER_HELP = `Usage: interphase worker --queue URL [--concurrency N] [--name NAME] [--lock-duration MS] [--stalled-interval MS]

Takes the jobs that \`interphase screen … --queue URL\` producers put on the queue, runs them on N
worker threads and stores their results in Redis. SIGTERM or Ctrl-C: stops taking jobs, finishes
those in hand and exits; a second one hands them back to the queue at once.

  --queue URL            redis://[:PASSWORD@]HOST:PORT[/DB] or rediss://… (TLS); the password may
                         come from INTERPHASE_REDIS_PASSWORD, a CA file from INTERPHASE_REDIS_CA
  --concurrency N        worker threads (default: the available cores)
  --name NAME            this worker's name in the queue (default HOST:PID)
  --lock-duration MS     a job's lock without renewal (default 10000)
  --stalled-interval MS  how often dead workers' jobs are looked for (default 5000); a dead
                         worker's jobs are delivered again within about the sum of the two
`;

/** Runs a worker until a signal stops it; returns the exit code. */
export async function workerCommand(args: readonly string[], io: CliIO, options: { signal?: AbortSignal } = {}): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(WORKER_HELP);
    return 0;
  }
  const p = parseArgs(args, ['queue', 'concurrency', 'name', 'lock-duration', 'stalled-interval']);
  checkFlags(p, ['queue', 'concurrency', 'name', 'lock-duration', 'stalled-interval'], 'worker');
  if (p.positional.length) throw new UsageError(`worker takes no positional arguments (got ${p.positional.join(' ')})`);
  const queue = queueFlags(p);
  if (!queue) throw new UsageError('worker needs --queue URL (e.g. redis://127.0.0.1:6379)');
  const whole = (name: string, min: number): number | undefined => {
    const v = numberFlag(p, name, min);
    if (v !== undefined && !Number.isInteger(v)) throw new UsageError(`--${name} needs a whole number, got ${v}`);
    return v;
  };
  const concurrency = whole('concurrency', 1);
  const lockDuration = whole('lock-duration', 100);
  const stalledInterval = whole('stalled-interval', 100);
  const name = p.flags.get('name');
  if (name === true) throw new UsageError('--name needs a NAME');
  const log = (line: string): void => void io.stderr(`interphase worker: ${line}\n`);
  const worker = await startQueueWorker({
    queue,
    table: SCREEN_JOBS,
    log,
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(lockDuration !== undefined ? { lockDuration } : {}),
    ...(stalledInterval !== undefined ? { stalledInterval } : {}),
    ...(name !== undefined ? { name } : {}),
  });
  log(`${worker.name} serving queue ${worker.target.name} on ${worker.target.shown} with ${worker.size} thread${worker.size > 1 ? 's' : ''}; SIGTERM stops it`);
  let stops = 0;
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      stops++;
      if (stops === 1) log('stopping: finishing the jobs in hand (again: hand them back and exit)');
      worker.close(stops > 1).then(resolve, (e: unknown) => (log(`closing: ${e instanceof Error ? e.message : String(e)}`), resolve()));
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    options.signal?.addEventListener('abort', stop, { once: true });
  });
  await stopped;
  log(`stopped: ${worker.stats.completed} jobs done, ${worker.stats.failed} failed attempts, ${worker.stats.fetched} data sets fetched`);
  return 0;
}
