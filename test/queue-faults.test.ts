// The queue's faults and guards, with a worker in this process (startQueueWorker, sources): a
// poisoned chunk reported by name; cancellation leaving no job behind; Redis killed and restarted
// mid-run (with AOF, and without any persistence); jobs from the queue checked before anything
// runs; URLs checked, passwords never shown. Each test its own queue name; redis-servers of the
// tests' own on loopback ports.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serialize } from 'node:v8';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import type { Entry } from '../src/core/entry.js';
import { BatchFailedError, createEngine, EngineError } from '../src/engine/index.js';
import { type QueueEngine, queueTarget, startQueueWorker } from '../src/engine/node.js';
import { csvCandidatesFromText, describeChunk } from '../src/io/index.js';
import { csvChunks } from '../src/io/csv-chunks.js';
import { defaultEntries } from '../src/io/default-data.js';
import { SCREEN_JOBS } from '../src/screen/jobs.js';
import { type ScreenRow, screenStability, screenStabilitySync } from '../src/screen/stability.js';
import { leftovers, type RedisServer, startRedis } from './helpers/queue.js';

const WORKER = new URL('../src/engine-worker.ts', import.meta.url);
const MARK = '31337.125';
const NO_JOBS = { wait: 0, active: 0, delayed: 0, failed: 0, completed: 0, prioritized: 0, paused: 0 };
const FAST = { lockDuration: 2000, stalledInterval: 1000 };

let reference: readonly Entry[];
let sync: string[];
let tmp: string;

beforeAll(async () => {
  reference = await defaultEntries();
  sync = screenStabilitySync(reference, reference).map((r) => JSON.stringify(r));
  tmp = mkdtempSync(join(tmpdir(), 'interphase-queue-faults-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function lines(it: AsyncIterable<ScreenRow>): Promise<string[]> {
  const out: string[] = [];
  for await (const r of it) out.push(JSON.stringify(r));
  return out;
}

const queueEngine = async (url: string, name: string, extra: Record<string, unknown> = {}) =>
  (await createEngine({ queue: { url, name, pollMs: 300, attempts: 2, backoffMs: 50, ...extra } })) as QueueEngine;

const worker = (url: string, name: string, extra: Record<string, unknown> = {}) => startQueueWorker({ queue: { url, name }, table: SCREEN_JOBS, concurrency: 1, ...FAST, ...extra });

describe('queue faults (one redis-server, AOF on)', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  it('a poisoned chunk is retried, then reported by its file and lines; with onError the screen goes on', async () => {
    // A worker thread that dies whenever a job carries MARK: the chunk holding it fails every time.
    const script = join(tmp, 'poisoned-worker.mjs');
    writeFileSync(
      script,
      `import { parentPort } from 'node:worker_threads';
await import(${JSON.stringify(WORKER.href)});
parentPort.on('message', (m) => { if (JSON.stringify(m).includes(${JSON.stringify(MARK)})) process.exit(7); });
`,
    );
    const w = await worker(redis.url, 'poison', { workerUrl: pathToFileURL(script) });
    const engine = await queueEngine(redis.url, 'poison');
    try {
      const rows = reference.slice(0, 6000).map((e, i) => `${e.composition.formula.replace(/ /g, '')},${i === 3500 ? MARK : e.energyPerAtom},r${i}`);
      const text = `formula,e_form_per_atom,id\n${rows.join('\n')}\n`;
      const chunks: string[] = [];
      for await (const c of csvChunks([text], 'poison.csv')) chunks.push(describeChunk(c));
      expect(chunks.length).toBeGreaterThanOrEqual(3);
      const poisoned = chunks.find((d) => {
        const [a, b] = /lines (\d+)-(\d+)/.exec(d)!.slice(1).map(Number) as [number, number];
        return a <= 3502 && 3502 <= b; // row 3500 is line 3502
      })!;
      // Without onError: the run fails, naming the chunk.
      const failed = lines(screenStability(csvCandidatesFromText(text, 'poison.csv'), reference, { engine }));
      await expect(failed).rejects.toThrow(BatchFailedError);
      await expect(failed).rejects.toThrow(`a chunk of CSV (${poisoned}) failed on the queue after 2 attempts`);
      // With onError (--skip-errors): reported, and every other chunk's rows come.
      const errors: Error[] = [];
      const got = await lines(screenStability(csvCandidatesFromText(text, 'poison.csv'), reference, { engine, onError: (e) => errors.push(e) }));
      expect(errors.map((e) => e.message)).toEqual([expect.stringContaining(`a chunk of CSV (${poisoned}) failed on the queue after 2 attempts`)]);
      const [a, b] = /lines (\d+)-(\d+)/.exec(poisoned)!.slice(1).map(Number) as [number, number];
      expect(got.length).toBe(6000 - (b - a + 1));
      expect(got.some((r) => r.includes('"id":"r3500"'))).toBe(false);
      expect(got.at(-1)).toContain('"id":"r5999"');
    } finally {
      await engine.close();
      await w.close();
    }
    expect(await leftovers(redis.client, 'poison')).toEqual({ keys: [], jobs: NO_JOBS });
  });

  it('cancellation (AbortSignal) removes the run’s jobs and results: nothing is left behind', async () => {
    const w = await worker(redis.url, 'cancel');
    const engine = await queueEngine(redis.url, 'cancel', { size: 4 });
    const ac = new AbortController();
    let seen = 0;
    const run = lines(screenStability(reference, reference, { engine, batchSize: 100, signal: ac.signal, onProgress: () => ++seen === 3 && ac.abort() }));
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    await engine.close();
    expect(await leftovers(redis.client, 'cancel')).toEqual({ keys: [], jobs: NO_JOBS });
    expect(w.stats.completed).toBeLessThan(reference.length / 100);
    // The worker goes on serving the next run.
    const again = await queueEngine(redis.url, 'cancel');
    try {
      expect(await lines(screenStability(reference.slice(0, 500), reference, { engine: again, batchSize: 100 }))).toEqual(sync.slice(0, 500));
    } finally {
      await again.close();
      await w.close();
    }
    expect(await leftovers(redis.client, 'cancel')).toEqual({ keys: [], jobs: NO_JOBS });
  });

  it('runs only registered jobs, with checked envelopes and arguments; failures are final, not retried', async () => {
    const w = await worker(redis.url, 'guard');
    const connection = { host: '127.0.0.1', port: redis.port };
    const q = new Queue('guard', { connection, prefix: 'interphase:q' });
    const events = new QueueEvents('guard', { connection, prefix: 'interphase:q' });
    await events.waitUntilReady();
    const outcome = async (name: string, data: unknown): Promise<string> => {
      const job = await q.add(name, data, { attempts: 3, backoff: { type: 'fixed', delay: 10 } });
      await expect(job.waitUntilFinished(events, 30_000)).rejects.toThrow();
      const done = (await q.getJob(job.id!))!;
      expect(done.attemptsMade).toBe(1); // unrecoverable: never retried
      return done.failedReason;
    };
    const envelope = (args: unknown) => {
      const bytes = serialize(args);
      const digest = createHash('sha256').update(bytes).digest('hex');
      return { v: 1, run: 'guard', index: 0, data: { kind: 'reference', hash: 'a'.repeat(64), name: 'x' }, digest, args: bytes.toString('base64'), ttl: 60 };
    };
    try {
      expect(await outcome('process.exit', { code: 'process.exit(1)' })).toMatch(/unknown job "process\.exit": this worker runs stability\.batch, stability\.csv/);
      expect(await outcome('stability.batch', { v: 2 })).toContain('protocol 2');
      expect(await outcome('stability.batch', { ...envelope({}), digest: 'b'.repeat(64) })).toContain('arguments do not match their digest');
      expect(await outcome('stability.batch', envelope(new Map([['x', 1]])))).toContain('arguments: a Map is not plain data');
      expect(await outcome('stability.batch', envelope({ systems: ['\u0000'], counts: new Int32Array([5]), eForm: new Float64Array(1), fracs: new Float64Array(1) }))).toContain(
        'batch.eForm must have 5 values, has 1',
      );
      expect(await outcome('stability.csv', envelope({ chunk: {}, unknownElements: 'eval' }))).toContain('unknownElements must be error or skip, got "eval"');
      expect(w.stats.completed).toBe(0);
    } finally {
      await events.close();
      await q.obliterate({ force: true });
      await q.close();
      await w.close();
    }
  });
});

describe('Redis killed and restarted mid-run', () => {
  for (const aof of [true, false]) {
    it(aof ? 'with AOF (fsync always): the run continues, every row once' : 'without persistence (all lost): jobs and data are stored again, every row once', async () => {
      const redis = await startRedis({ aof });
      const w = await worker(redis.url, 'restart');
      const engine = await queueEngine(redis.url, 'restart', { redisDownMs: 30_000 });
      try {
        let restarted = false;
        const rows: string[] = [];
        for await (const r of screenStability(reference, reference, { engine, batchSize: 300 })) {
          rows.push(JSON.stringify(r));
          if (!restarted && rows.length > 2000) {
            restarted = true;
            await redis.kill();
            await new Promise((res) => setTimeout(res, 300));
            await redis.start();
          }
        }
        expect(restarted).toBe(true);
        expect(rows.length).toBe(sync.length);
        expect(rows).toEqual(sync);
      } finally {
        await engine.close();
        await w.close();
      }
      expect(await leftovers(redis.client, 'restart')).toEqual({ keys: [], jobs: NO_JOBS });
      await redis.stop();
    });
  }

  it('fails loudly, naming Redis and the run, when Redis stays away', async () => {
    const redis = await startRedis();
    const w = await worker(redis.url, 'away');
    const engine = await queueEngine(redis.url, 'away', { redisDownMs: 1500 });
    const run = lines(screenStability(reference, reference, { engine, batchSize: 300, onProgress: () => void redis.kill() }));
    await expect(run).rejects.toThrow(EngineError);
    await expect(run).rejects.toThrow(new RegExp(`Redis at redis://127\\.0\\.0\\.1:${redis.port} out of reach for \\d+ s .*resume it with --resume ${engine.runId}`));
    await engine.close();
    await w.close(true);
    await redis.stop();
  });
});

describe('TLS and a password (rediss://)', () => {
  it('screens over TLS with a password; a wrong password or an unknown CA is refused, naming the URL without the password', async () => {
    const redis = await startRedis({ tls: true, password: 's3cret' });
    const ca = readFileSync(join(redis.dir, 'ca.pem'));
    try {
      expect(redis.url).toBe(`rediss://:s3cret@127.0.0.1:${redis.port}`);
      const w = await startQueueWorker({ queue: { url: redis.url, name: 'tls', tls: { ca } }, table: SCREEN_JOBS, concurrency: 1, ...FAST });
      const engine = (await createEngine({ queue: { url: `rediss://127.0.0.1:${redis.port}`, password: 's3cret', name: 'tls', tls: { ca } } })) as QueueEngine;
      try {
        expect(await lines(screenStability(reference.slice(0, 1000), reference, { engine, batchSize: 250 }))).toEqual(sync.slice(0, 1000));
      } finally {
        await engine.close();
        await w.close();
      }
      for (const queue of [
        { url: `rediss://:wrong@127.0.0.1:${redis.port}`, tls: { ca } },
        { url: redis.url }, // the test CA is not trusted by default
      ]) {
        const err = await createEngine({ queue }).catch((e: Error) => e);
        expect(err).toBeInstanceOf(EngineError);
        expect((err as Error).message).toContain(`cannot reach Redis at rediss://:***@127.0.0.1:${redis.port}`);
        expect((err as Error).message).not.toMatch(/s3cret|wrong/);
      }
    } finally {
      await redis.stop();
    }
  });
});

describe('queue URLs and flags', () => {
  it('checks the URL and never shows a password', async () => {
    expect(() => queueTarget('http://127.0.0.1:6379')).toThrow('the scheme must be redis:// or rediss:// (TLS), not http://');
    expect(() => queueTarget('redis://127.0.0.1:6379/x')).toThrow('the path must be a database number');
    expect(() => queueTarget({ url: 'redis://127.0.0.1:6379', name: 'a:b' })).toThrow('queue name "a:b"');
    expect(queueTarget('rediss://:s3cret@example.org:6380/2')).toMatchObject({
      shown: 'rediss://:***@example.org:6380/2',
      redis: { host: 'example.org', port: 6380, db: 2, password: 's3cret', tls: { servername: 'example.org' } },
    });
    const err = await createEngine({ queue: { url: 'redis://:s3cret@127.0.0.1:1', redisDownMs: 500 } }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(String((err as Error).message)).toContain('cannot reach Redis at redis://:***@127.0.0.1:1');
    expect(String((err as Error).message)).not.toContain('s3cret');
  });

  it('the CLI: --resume needs --queue, --workers excludes it, a worker needs --queue', async () => {
    const run = async (argv: string[]) => {
      let err = '';
      const code = await main(argv, { stdout: () => {}, stderr: (s) => (err += s) });
      return { code, err };
    };
    expect(await run(['screen', 'stability', 'x.csv', '--resume', 'r1'])).toMatchObject({ code: 2, err: expect.stringContaining('--resume RUN needs --queue URL') });
    expect(await run(['screen', 'stability', 'x.csv', '--workers', '2', '--queue', 'redis://127.0.0.1:1'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--workers and --queue exclude each other'),
    });
    expect(await run(['screen', 'coatings', '--queue'])).toMatchObject({ code: 2, err: expect.stringContaining('--queue needs a value') });
    expect(await run(['worker'])).toMatchObject({ code: 2, err: expect.stringContaining('worker needs --queue URL') });
    expect(await run(['worker', '--queue', 'redis://127.0.0.1:6379', '--concurrency', '0'])).toMatchObject({ code: 2, err: expect.stringContaining('--concurrency needs a number >= 1') });
  });
});
