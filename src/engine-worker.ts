/**
 * The engine's worker script (dist/engine-worker.js): serves the screens' jobs (screen/jobs.ts)
 * over Comlink, to the parent thread in Node (worker_threads) or to the page in a browser (module
 * Web Worker). An entry point: it registers jobs of the layers above the engine.
 */
import { expose } from 'comlink';
import { EngineService, serveRelayedPorts } from './engine/index.js';
import { SCREEN_JOBS } from './screen/index.js';

const service = new EngineService(SCREEN_JOBS);

if (typeof process !== 'undefined' && typeof process.versions?.node === 'string') {
  // Messages posted before the listener is attached wait in the port's queue.
  const [{ parentPort }, { default: nodeEndpoint }] = await Promise.all([import('node:worker_threads'), import('comlink/dist/esm/node-adapter.mjs')]);
  if (!parentPort) throw new Error('engine-worker.js is a worker script: start it through createEngine()');
  expose(service, nodeEndpoint(parentPort));
} else {
  expose(service, globalThis as unknown as Parameters<typeof expose>[1]);
  serveRelayedPorts(service);
}
