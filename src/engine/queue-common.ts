/**
 * What the queue's producer (queue-engine.ts) and its workers (queue-worker.ts) share: the Redis
 * URL (parsed, checked, its password never printed), the keys kept beside BullMQ's, a job's
 * envelope and its checks, and the wire codec — V8's structured-clone serialisation (data only:
 * it cannot carry code) with SHA-256 content hashes. bullmq and ioredis are imported on demand, so
 * that nothing of them loads unless a queue is used. Node only.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { deserialize, serialize } from 'node:v8';
import { EngineError, type QueueOptions, type RunOptions } from './engine.js';
import type { JobSpec } from './job.js';

/** A queue's Redis and names, as both sides use them. */
export interface QueueTarget {
  /** The URL with its password masked: what messages show. */
  readonly shown: string;
  /** ioredis options (BullMQ takes them as its `connection`). */
  readonly redis: Record<string, unknown>;
  /** The BullMQ queue's name and key prefix. */
  readonly name: string;
  readonly prefix: string;
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
export const DEFAULT_QUEUE = 'interphase';

/** Parses and checks a queue URL (`redis://[USER:PASSWORD@]HOST[:PORT][/DB]`, `rediss://` for TLS). */
export function queueTarget(options: string | QueueOptions): QueueTarget {
  const o: QueueOptions = typeof options === 'string' ? { url: options } : options;
  if (typeof o.url !== 'string' || o.url === '') throw new EngineError('queue: give a Redis URL, e.g. redis://127.0.0.1:6379');
  let u: URL;
  try {
    u = new URL(o.url);
  } catch {
    throw new EngineError(`queue URL ${JSON.stringify(maskUrl(o.url))} is not a URL (e.g. redis://127.0.0.1:6379)`);
  }
  const shown = maskUrl(o.url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new EngineError(`queue URL ${shown}: the scheme must be redis:// or rediss:// (TLS), not ${u.protocol}//`);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new EngineError(`queue URL ${shown}: no host`);
  const port = u.port === '' ? 6379 : Number(u.port);
  let db = 0;
  if (u.pathname && u.pathname !== '/') {
    db = Number(u.pathname.slice(1));
    if (!/^\/\d{1,5}$/.test(u.pathname)) throw new EngineError(`queue URL ${shown}: the path must be a database number (/0, /1 …), got ${JSON.stringify(u.pathname)}`);
  }
  if (u.search || u.hash) throw new EngineError(`queue URL ${shown}: no query or fragment is understood (give options in the library's queue options)`);
  const name = o.name ?? DEFAULT_QUEUE;
  if (!NAME.test(name)) throw new EngineError(`queue name ${JSON.stringify(name)}: letters, digits, _ and - only (at most 64)`);
  const password = u.password ? decodeURIComponent(u.password) : o.password;
  const redis: Record<string, unknown> = {
    host,
    port,
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(password ? { password } : {}),
    ...(u.protocol === 'rediss:' ? { tls: { ...(isIP(host) ? {} : { servername: host }), ...(o.tls ?? {}) } } : {}),
    // Commands wait through a reconnection (BullMQ's workers require it); the producer watches
    // for Redis being away too long itself.
    maxRetriesPerRequest: null,
    connectTimeout: 10_000,
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
  };
  return { shown, redis, name, prefix: 'interphase:q' };
}

/** A URL with its password replaced by `***` (for every message and log line). */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

export function checkName(value: unknown, what: string): string {
  if (typeof value !== 'string' || !NAME.test(value)) throw new EngineError(`${what} must be letters, digits, _ and - (at most 64), got ${JSON.stringify(value)}`);
  return value;
}

/** A new run id: time and randomness, sortable by start. */
export function newRunId(): string {
  return `${Date.now().toString(36)}-${createHash('sha256').update(`${Math.random()}${process.pid}${performance.now()}`).digest('hex').slice(0, 8)}`;
}

// --- keys beside BullMQ's (its own are `interphase:q:<queue>:…`) --------------------------------

/** A job's stored result, by run and index: a duplicate delivery writes the same key. */
export const resultKey = (t: QueueTarget, run: string, index: number): string => `interphase:r:${t.name}:${run}:${index}`;
export const resultPattern = (t: QueueTarget, run: string): string => `interphase:r:${t.name}:${run}:*`;
/** A run's record (its look-ahead, for a resumed producer). */
export const runKey = (t: QueueTarget, run: string): string => `interphase:run:${t.name}:${run}`;
/** Packed data by content hash, shared by every run and queue of this Redis. */
export const dataKey = (hash: string): string => `interphase:data:${hash}`;
/** BullMQ's id of a run's job (custom ids may not contain `:`). */
export const jobId = (run: string, index: number): string => `${run}.${index}`;

// --- the wire ------------------------------------------------------------------------------------

export const encode = (value: unknown): Buffer => serialize(value);

export function decode(bytes: Buffer, what: string): unknown {
  try {
    return deserialize(bytes);
  } catch (e) {
    throw new EngineError(`${what}: cannot be decoded (${e instanceof Error ? e.message : String(e)})`);
  }
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** What a job carries in BullMQ (JSON): its place in its run, its data and its arguments. */
export interface JobEnvelope {
  readonly v: 1;
  readonly run: string;
  readonly index: number;
  /** The data the job runs against: its kind, content hash (key of the packed copy) and name. */
  readonly data: { readonly kind: string; readonly hash: string; readonly name: string } | null;
  /** SHA-256 of the encoded arguments (checked by the worker; a resumed run compares results by it). */
  readonly digest: string;
  /** The encoded arguments, base64. */
  readonly args: string;
  /** Seconds its result is kept. */
  readonly ttl: number;
}

const HASH = /^[0-9a-f]{64}$/;

/** A job's envelope as received from the queue, checked field by field. */
export function checkEnvelope(data: unknown): JobEnvelope {
  if (typeof data !== 'object' || data === null) throw new EngineError('job data is not an object');
  const d = data as Record<string, unknown>;
  if (d.v !== 1) throw new EngineError(`job data of protocol ${JSON.stringify(d.v)}, this worker speaks 1 (update the producer or the worker)`);
  checkName(d.run, 'run');
  if (!Number.isSafeInteger(d.index) || (d.index as number) < 0) throw new EngineError(`job index must be a whole number >= 0, got ${JSON.stringify(d.index)}`);
  if (typeof d.digest !== 'string' || !HASH.test(d.digest)) throw new EngineError('job digest must be 64 hex digits');
  if (typeof d.args !== 'string') throw new EngineError('job args must be a base64 string');
  if (!Number.isSafeInteger(d.ttl) || (d.ttl as number) < 1) throw new EngineError(`job ttl must be a whole number of seconds >= 1, got ${JSON.stringify(d.ttl)}`);
  if (d.data !== null) {
    const r = d.data as Record<string, unknown> | undefined;
    if (typeof r !== 'object' || r === null) throw new EngineError('job data reference must be an object or null');
    if (typeof r.kind !== 'string' || typeof r.name !== 'string' || typeof r.hash !== 'string' || !HASH.test(r.hash))
      throw new EngineError('job data reference needs a kind, a name and a 64-hex-digit hash');
  }
  return d as unknown as JobEnvelope;
}

/** A job's result as a worker stores it. */
export interface StoredResult {
  readonly v: 1;
  readonly digest: string;
  readonly outcome: { ok: unknown } | { error: { name: string; message: string } };
  readonly elapsedMs: number;
  readonly worker: string;
}

/** `p`, or a rejection after `ms` (naming `what`): for commands that would wait for an absent Redis. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// --- the libraries, on demand -------------------------------------------------------------------

type BullMQ = typeof import('bullmq');
type IORedis = typeof import('ioredis');

let libs: Promise<{ bullmq: BullMQ; Redis: IORedis['Redis'] }> | undefined;

export function queueLibraries(): Promise<{ bullmq: BullMQ; Redis: IORedis['Redis'] }> {
  libs ??= Promise.all([import('bullmq'), import('ioredis')]).then(
    ([bullmq, ioredis]) => ({ bullmq, Redis: ioredis.Redis }),
    (e: unknown) => {
      libs = undefined;
      throw new EngineError(`the queue needs the packages bullmq and ioredis (npm install bullmq ioredis): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    },
  );
  return libs;
}

/** A job of the producer (queue-engine.ts), from run() until its result is taken. */
export interface QueueTask {
  readonly index: number;
  readonly id: string;
  readonly job: JobSpec<unknown, unknown, unknown>;
  readonly options: RunOptions;
  envelope?: JobEnvelope;
  /** In BullMQ (added, or found there on resume). */
  added: boolean;
  /** A result is being taken (event and check must not both take it). */
  taking: boolean;
  /** The Redis server's run_id when the job was added (a restart changes it). */
  redisRun?: string | undefined;
  settled: boolean;
  resolve: (r: StoredResult) => void;
  reject: (e: unknown) => void;
  cleanup: () => void;
}

/** The Redis server's run_id (INFO server): a new one after every restart. */
export async function redisRunId(redis: { info(section: string): Promise<string> }): Promise<string | undefined> {
  return /run_id:(\w+)/.exec(await redis.info('server'))?.[1];
}

/** The producer's timings and retries (queue-open.ts fills them from QueueOptions). */
export interface QueueSettings {
  ttl: number;
  attempts: number;
  backoffMs: number;
  pollMs: number;
  redisDownMs: number;
}
