// engine/ in Node only: the engine on a Redis-backed BullMQ queue (queue-engine.ts, also reached
// through createEngine({ queue })) and the queue worker `interphase worker` runs (queue-worker.ts).
// bullmq and ioredis load only when a queue is used.
export type { QueueEngine } from './queue-engine.js';
export { startQueueWorker, type QueueWorker, type QueueWorkerOptions, type QueueWorkerStats } from './queue-worker.js';
export { maskUrl, queueTarget, type QueueTarget } from './queue-common.js';
