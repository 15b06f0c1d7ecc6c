// For the queue tests: a redis-server of their own on a free loopback port (temp dir, AOF on,
// fsync always), `interphase worker` processes from the built bin (dist/cli.js), and candidate
// CSV files made from the embedded table.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import type { Entry } from '../../src/core/entry.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(REPO, 'dist/cli.js');
const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));

/** Fails (never skips) when what the queue tests need is missing. */
export function requireQueueTools(): void {
  if (!REDIS_SERVER) throw new Error('redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it)');
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does)`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A CA and a server certificate for 127.0.0.1 (subjectAltName IP), by the openssl command line. */
function makeCertificates(dir: string): void {
  const openssl = (...args: string[]): void => {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    } catch (e) {
      throw new Error(`openssl ${args[0]} failed (Debian: apt-get install openssl): ${String((e as { stderr?: Buffer }).stderr ?? e)}`);
    }
  };
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=interphase test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext');
}

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** A client for looking inside (closed by stop()). */
  readonly client: Redis;
  /** SIGKILL: what a crash does (AOF fsync always: nothing acknowledged is lost). */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory (the AOF is replayed). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A redis-server of the test's own: loopback, a free port, a temp dir, AOF on (`aof: false`: no persistence at all). */
export async function startRedis(options: { aof?: boolean; tls?: boolean; password?: string } = {}): Promise<RedisServer> {
  requireQueueTools();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'interphase-redis-'));
  const aof = options.aof ?? true;
  // TLS: the only listener is a TLS port, its certificate signed by a throwaway CA of the test's own.
  if (options.tls) makeCertificates(dir);
  const listen = options.tls
    ? [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--tls-cert-file',
        join(dir, 'server.pem'),
        '--tls-key-file',
        join(dir, 'server.key'),
        '--tls-ca-cert-file',
        join(dir, 'ca.pem'),
        '--tls-auth-clients',
        'no',
      ]
    : ['--port', String(port)];
  const args = [
    ...listen,
    ...(options.password ? ['--requirepass', options.password] : []),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    aof ? 'yes' : 'no',
    '--appendfsync',
    'always',
    '--maxmemory-policy',
    'noeviction',
    '--logfile',
    join(dir, 'redis.log'),
  ];
  const connection = {
    port,
    host: '127.0.0.1',
    ...(options.password ? { password: options.password } : {}),
    ...(options.tls ? { tls: { ca: readFileSync(join(dir, 'ca.pem')) } } : {}),
  };
  let proc: ChildProcess | undefined;
  const up = async (): Promise<void> => {
    proc = spawn(REDIS_SERVER!, args, { stdio: 'ignore' });
    const probe = new Redis({ ...connection, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => {});
    for (let i = 0; ; i++) {
      try {
        await probe.connect();
        await probe.ping();
        break;
      } catch (e) {
        probe.disconnect();
        if (i > 100 || proc.exitCode !== null || proc.signalCode !== null) throw new Error(`redis-server on port ${port} did not start (log: ${join(dir, 'redis.log')}): ${String(e)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    probe.disconnect();
  };
  const down = (signal: NodeJS.Signals): Promise<void> =>
    new Promise((resolve) => {
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill(signal);
    });
  await up();
  const client = new Redis({ ...connection, maxRetriesPerRequest: null });
  client.on('error', () => {});
  return {
    port,
    url: `${options.tls ? 'rediss' : 'redis'}://${options.password ? `:${options.password}@` : ''}127.0.0.1:${port}`,
    dir,
    client,
    kill: () => down('SIGKILL'),
    start: up,
    async stop() {
      client.disconnect();
      await down('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface WorkerProcess {
  readonly name: string;
  readonly proc: ChildProcess;
  /** stderr so far. */
  log(): string;
  /** Resolves with the exit code (or signal name). */
  readonly exited: Promise<number | string>;
}

/** `interphase worker` from the built bin, short locks; resolves once it serves the queue. */
export async function startWorker(url: string, name: string, extra: string[] = []): Promise<WorkerProcess> {
  requireQueueTools();
  const proc = spawn(process.execPath, [BIN, 'worker', '--queue', url, '--concurrency', '1', '--name', name, '--lock-duration', '2000', '--stalled-interval', '1000', ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr!.setEncoding('utf8');
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${name} did not start: ${err}`)), 60_000);
    proc.stderr!.on('data', (s: string) => {
      err += s;
      if (err.includes('serving queue')) clearTimeout(timer), resolve();
    });
    void exited.then((code) => (clearTimeout(timer), reject(new Error(`worker ${name} exited (${code}): ${err}`))));
  });
  return { name, proc, log: () => err, exited };
}

/** Stops worker processes (SIGTERM, then SIGKILL after 10 s). */
export async function stopWorkers(workers: readonly WorkerProcess[]): Promise<void> {
  await Promise.all(
    workers.map(async (w) => {
      if (w.proc.exitCode !== null || w.proc.signalCode !== null) return;
      w.proc.kill('SIGTERM');
      const t = setTimeout(() => w.proc.kill('SIGKILL'), 10_000);
      await w.exited;
      clearTimeout(t);
    }),
  );
}

/**
 * A gzipped candidate CSV of `rows` rows: the embedded table's compositions with energies shifted
 * by a few meV per round, ids unique (some rows come out below the hull, most above).
 */
export function candidateCsv(dir: string, reference: readonly Entry[], rows: number): string {
  const lines = ['formula,e_form_per_atom,id'];
  for (let i = 0; i < rows; i++) {
    const e = reference[i % reference.length]!;
    const round = Math.floor(i / reference.length);
    lines.push(`${e.composition.formula.replace(/ /g, '')},${(e.energyPerAtom + 0.004 * ((round % 7) - 3)).toFixed(6)},c${i}`);
  }
  const file = join(dir, `candidates-${rows}.csv.gz`);
  writeFileSync(file, gzipSync(`${lines.join('\n')}\n`));
  return file;
}

/** Keys a run left in Redis: results, its record (BullMQ's own bookkeeping aside). */
export async function leftovers(client: Redis, queue: string): Promise<{ keys: string[]; jobs: Record<string, number> }> {
  const keys = [...(await client.keys(`interphase:r:${queue}:*`)), ...(await client.keys(`interphase:run:${queue}:*`))];
  const jobs: Record<string, number> = {};
  for (const state of ['wait', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'paused']) {
    const key = `interphase:q:${queue}:${state}`;
    const type = await client.type(key);
    jobs[state] = type === 'list' ? await client.llen(key) : type === 'zset' ? await client.zcard(key) : 0;
  }
  return { keys, jobs };
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
