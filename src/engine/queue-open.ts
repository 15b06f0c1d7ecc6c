/**
 * Opening the queue engine (createEngine({ queue }) loads this on demand): Redis reached (or a
 * clear error naming it, password masked), the run's record created — or, to resume, found, with
 * the look-ahead the run started with, so that its jobs are cut the same way — and BullMQ's queue
 * and event stream opened. Node only.
 */
import { EngineError, errorMessage, type QueueOptions } from './engine.js';
import { checkName, newRunId, queueLibraries, queueTarget, runKey } from './queue-common.js';
import { QueueEngine } from './queue-engine.js';

export async function createQueueEngine(options: string | QueueOptions): Promise<QueueEngine> {
  const o: QueueOptions = typeof options === 'string' ? { url: options } : options;
  const target = queueTarget(o);
  const { bullmq, Redis } = await queueLibraries();
  const redis = new Redis({ ...target.redis, lazyConnect: true });
  redis.on('error', () => {}); // reconnects; the engine's check reports Redis being away
  try {
    await redis.connect();
  } catch (e) {
    redis.disconnect();
    throw new EngineError(`cannot reach Redis at ${target.shown}: ${errorMessage(e)}`, { cause: e });
  }
  const ttl = positive(o.ttlSeconds ?? 7 * 24 * 3600, 'ttlSeconds');
  let run: string;
  let size: number;
  if (o.resume !== undefined) {
    run = checkName(o.resume, 'resume');
    const rec = await redis.hgetall(runKey(target, run));
    if (!rec.size) {
      redis.disconnect();
      throw new EngineError(`no run ${run} on ${target.shown} (queue ${target.name}): it finished, was cancelled, or expired`);
    }
    size = Number(rec.size);
  } else {
    run = o.run === undefined ? newRunId() : checkName(o.run, 'run');
    size = positive(o.size ?? 8, 'size');
    const created = await redis.hsetnx(runKey(target, run), 'size', String(size));
    if (!created) {
      redis.disconnect();
      throw new EngineError(`run ${run} already exists on ${target.shown}: give another id, or resume it`);
    }
    await redis.hset(runKey(target, run), 'started', new Date().toISOString());
  }
  await redis.expire(runKey(target, run), ttl);
  const connection = target.redis;
  const queue = new bullmq.Queue(target.name, { connection, prefix: target.prefix });
  const events = new bullmq.QueueEvents(target.name, { connection, prefix: target.prefix, autorun: false });
  queue.on('error', () => {});
  events.on('error', () => {});
  const engine = new QueueEngine(target, redis, queue, events, run, size, o.resume !== undefined, {
    ttl,
    attempts: positive(o.attempts ?? 3, 'attempts'),
    backoffMs: positive(o.backoffMs ?? 1000, 'backoffMs'),
    pollMs: positive(o.pollMs ?? 2000, 'pollMs'),
    redisDownMs: positive(o.redisDownMs ?? 60_000, 'redisDownMs'),
  });
  await engine.start();
  return engine;
}

function positive(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 1) throw new EngineError(`queue option ${name} must be a whole number >= 1, got ${String(v)}`);
  return v;
}
