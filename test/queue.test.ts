// The stability screen on the Redis queue with `interphase worker` processes (the built bin): the
// same rows as the local pool; a worker killed mid-run loses and duplicates nothing; a producer
// killed and resumed writes the full output. A redis-server of the test's own (AOF on).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../src/core/entry.js';
import { createEngine } from '../src/engine/index.js';
import type { QueueEngine } from '../src/engine/node.js';
import { defaultEntries } from '../src/io/default-data.js';
import { csvCandidates } from '../src/io/node-loaders.js';
import { type ScreenRow, screenStability } from '../src/screen/stability.js';
import { BIN, candidateCsv, leftovers, type RedisServer, startRedis, startWorker, stopWorkers, tempDir, type WorkerProcess } from './helpers/queue.js';

const ROWS = 200_000;
const NO_JOBS = { wait: 0, active: 0, delayed: 0, failed: 0, completed: 0, prioritized: 0, paused: 0 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function lines(it: AsyncIterable<ScreenRow>): Promise<string[]> {
  const out: string[] = [];
  for await (const r of it) out.push(JSON.stringify(r));
  return out;
}

/** Equal row for row; on a difference, the first one (not 200k rows of diff). */
function expectSameRows(got: readonly string[], want: readonly string[]): void {
  const i = got.findIndex((r, k) => r !== want[k]);
  expect(i < 0 ? null : { row: i, got: got[i], want: want[i] }).toBeNull();
  expect(got.length).toBe(want.length);
}

describe('stability screen on the queue, workers in two other processes', () => {
  let redis: RedisServer;
  let tmp: ReturnType<typeof tempDir>;
  let reference: readonly Entry[];
  let file: string;
  let expected: string[];
  let workers: WorkerProcess[] = [];
  let queue: Queue;

  beforeAll(async () => {
    redis = await startRedis();
    tmp = tempDir('interphase-queue-');
    reference = await defaultEntries();
    file = candidateCsv(tmp.dir, reference, ROWS);
    const pool = await createEngine({ workers: 2 });
    try {
      expected = await lines(screenStability(csvCandidates(file), reference, { engine: pool }));
    } finally {
      await pool.close();
    }
    workers = await Promise.all([startWorker(redis.url, 'A'), startWorker(redis.url, 'B')]);
    queue = new Queue('interphase', { connection: { host: '127.0.0.1', port: redis.port }, prefix: 'interphase:q' });
  });

  afterAll(async () => {
    await queue?.close();
    await stopWorkers(workers);
    await redis?.stop();
    tmp?.remove();
  });

  it(`screens ${ROWS.toLocaleString('en-US')} candidates: equal to the local pool row for row, nothing left in Redis`, async () => {
    expect(expected.length).toBe(ROWS);
    const engine = (await createEngine({ queue: { url: redis.url, pollMs: 500 } })) as QueueEngine;
    expect(engine.platform).toBe('queue');
    let progress = 0;
    const rows = await lines(screenStability(csvCandidates(file), reference, { engine, onProgress: (d) => (progress = d) }));
    expectSameRows(rows, expected);
    expect(progress).toBe(ROWS);
    expect(engine.stats.batches).toBeGreaterThan(20);
    await engine.close();
    expect(await leftovers(redis.client, 'interphase')).toEqual({ keys: [], jobs: NO_JOBS });
    expect(await queue.getWorkersCount()).toBe(2);
  });

  it('a worker killed with SIGKILL mid-run: its jobs are delivered again, no row lost or doubled', async () => {
    const engine = (await createEngine({ queue: { url: redis.url, pollMs: 500 } })) as QueueEngine;
    try {
      const [victim, other] = [workers[0]!, workers[1]!];
      let finished = false;
      let killed: string[] = [];
      // Until the victim is killed it is the only worker taking jobs (the other is frozen by SIGSTOP:
      // a stopped process moves no job to active), so it holds one almost all the time, however fast
      // the jobs are. The victim is frozen too while its jobs are read, so they are certainly in hand.
      other.proc.kill('SIGSTOP');
      const killer = (async () => {
        try {
          while (!finished && !killed.length) {
            await sleep(10);
            if (!(await queue.getActive()).some((j) => j.processedBy === victim.name)) continue;
            victim.proc.kill('SIGSTOP');
            const held = (await queue.getActive()).filter((j) => j.processedBy === victim.name);
            if (held.length) {
              killed = held.map((j) => j.id!);
              victim.proc.kill('SIGKILL');
            } else victim.proc.kill('SIGCONT');
          }
        } finally {
          other.proc.kill('SIGCONT');
        }
      })();
      const rows = await lines(screenStability(csvCandidates(file), reference, { engine }));
      finished = true;
      await killer;
      // Checked before waiting for the victim's exit: a victim never caught would never exit.
      expect(killed.length).toBeGreaterThan(0);
      expect(await victim.exited).toBe('SIGKILL');
      expectSameRows(rows, expected);
      // The victim's jobs were found stalled and delivered again.
      expect(engine.stats.retries).toBeGreaterThanOrEqual(1);
      await engine.close();
      expect(await leftovers(redis.client, 'interphase')).toEqual({ keys: [], jobs: NO_JOBS });
    } finally {
      await engine.close(); // a failure here leaves nothing behind for the next test
    }
    workers[0] = await startWorker(redis.url, 'A2');
  });

  it('a producer killed with SIGKILL and resumed with --resume RUN writes the full output', async () => {
    const want = join(tmp.dir, 'want.csv');
    const r0 = spawnSync(process.execPath, [BIN, 'screen', 'stability', file, '--workers', '2', '--csv', '--out', want], { encoding: 'utf8' });
    expect(r0.status, r0.stderr).toBe(0);
    const first = join(tmp.dir, 'first.csv');
    const producer = spawn(process.execPath, [BIN, 'screen', 'stability', file, '--queue', redis.url, '--csv', '--out', first], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    producer.stderr!.setEncoding('utf8');
    producer.stderr!.on('data', (s: string) => (err += s));
    const exited = new Promise((resolve) => producer.once('exit', (code, signal) => resolve(code ?? signal)));
    // Killed once it has written rows (results consumed and deleted), with jobs in flight.
    for (let i = 0; !(existsSync(first) && statSync(first).size > 0); i++) {
      expect(i, `the producer wrote nothing: ${err}`).toBeLessThan(1200);
      await sleep(50);
    }
    producer.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const run = /run (\S+) on /.exec(err)?.[1];
    expect(run, err).toBeDefined();
    // The workers finish the dead producer's jobs; their results wait in Redis.
    for (let i = 0; ; i++) {
      const c = await queue.getJobCounts('wait', 'active', 'delayed');
      if (c.wait + c.active + c.delayed === 0) break;
      expect(i).toBeLessThan(600);
      await sleep(100);
    }
    const stored = (await redis.client.keys(`interphase:r:interphase:${run}:*`)).length;
    expect(stored).toBeGreaterThan(0);
    const again = join(tmp.dir, 'again.csv');
    const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const p = spawn(process.execPath, [BIN, 'screen', 'stability', file, '--queue', redis.url, '--resume', run!, '--csv', '--out', again], { stdio: ['ignore', 'ignore', 'pipe'] });
      let e = '';
      p.stderr!.setEncoding('utf8');
      p.stderr!.on('data', (s: string) => (e += s));
      p.once('exit', (code) => resolve({ code, err: e }));
    });
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`resuming run ${run}`);
    expect(r.err).toContain(`${stored} results found stored`);
    const got = readFileSync(again, 'utf8');
    expect(got.split('\n').length).toBe(ROWS + 2);
    expect(got === readFileSync(want, 'utf8')).toBe(true);
    expect(await leftovers(redis.client, 'interphase')).toEqual({ keys: [], jobs: NO_JOBS });
    // The run is over: it cannot be resumed again.
    const r2 = spawnSync(process.execPath, [BIN, 'screen', 'stability', file, '--queue', redis.url, '--resume', run!, '--csv'], { encoding: 'utf8' });
    expect(r2.status).toBe(1);
    expect(r2.stderr).toContain(`no run ${run} on redis://127.0.0.1:${redis.port}`);
  });
});
