/**
 * `createEngine`: a worker pool on this platform's workers (the adapter is imported on demand, so
 * a browser bundle never loads the Node one and vice versa), or with `queue` the engine on a
 * Redis-backed BullMQ queue (Node only; imported on demand, so nothing of bullmq loads otherwise).
 */
import { EngineError, type Engine, type EngineOptions } from './engine.js';
import { isNode, type EnginePlatform } from './platform.js';
import { createPool } from './pool.js';

export async function currentPlatform(): Promise<EnginePlatform> {
  if (isNode()) return (await import('./platform-node.js')).nodePlatform();
  return (await import('./platform-browser.js')).browserPlatform;
}

/**
 * Starts a pool of workers and waits until each has its WASM kernel ready; with `queue`, connects
 * to the queue instead (its workers are `interphase worker` processes).
 */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  if (options.queue !== undefined) {
    if (!isNode()) throw new EngineError('the queue engine runs in Node only');
    return (await import('./queue-open.js')).createQueueEngine(options.queue);
  }
  return createPool(await currentPlatform(), options);
}
