// engine/: where jobs run — the job API (job.ts), the engine in this thread (local.ts), on a pool
// of workers (pool.ts, create.ts) or on a Redis queue (Node only: node.ts), the worker side
// (service.ts). Knows no chemistry: the screens declare their jobs and data kinds (screen/jobs.ts);
// the worker scripts register them.
export {
  defineJob,
  defineDataKind,
  jobTable,
  runOutcome,
  checkPlainData,
  type AnyJob,
  type ArgsOf,
  type DataKind,
  type JobOutcome,
  type JobProgress,
  type JobSpec,
  type JobTable,
  type ResultOf,
  type SerializedError,
} from './job.js';
export {
  BatchFailedError,
  EngineError,
  entriesStamp,
  WORKERS_PER_CORE,
  sameStamp,
  type DataHandle,
  type Engine,
  type EngineOptions,
  type EngineStats,
  type EntriesStamp,
  type QueueOptions,
  type RunOptions,
} from './engine.js';
export { localEngine, createLocalEngine, type LocalEngine } from './local.js';
export { createEngine, currentPlatform } from './create.js';
export { createPool } from './pool.js';
export { pageWorkerRelay, relayedPlatform, serveRelayedPorts, type WorkerRelay } from './worker-relay.js';
export { EngineService, type WorkerRunResult } from './service.js';
export type { EnginePlatform, WorkerHandle } from './platform.js';
