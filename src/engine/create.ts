/**
 * `createEngine`: a worker pool on this platform's workers (the adapter is imported on demand, so
 * a browser bundle never loads the Node one and vice versa).
 */
import type { Engine, EngineOptions } from './engine.js';
import { isNode, type EnginePlatform } from './platform.js';
import { createPool } from './pool.js';

export async function currentPlatform(): Promise<EnginePlatform> {
  if (isNode()) return (await import('./platform-node.js')).nodePlatform();
  return (await import('./platform-browser.js')).browserPlatform;
}

/** Starts a pool of workers and waits until each has its WASM kernel ready. */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  return createPool(await currentPlatform(), options);
}
