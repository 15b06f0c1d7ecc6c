/**
 * Browser adapter of the engine: module Web Workers (the Worker object is itself a Comlink
 * endpoint). `new Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module' })` is
 * written out literally so that bundlers (Vite, webpack 5, Parcel) see and bundle the worker.
 */
import type { EnginePlatform, WorkerHandle } from './platform.js';

function spawn(url?: URL): WorkerHandle {
  const worker = url ? new Worker(url, { type: 'module' }) : new Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module' });
  let terminated = false;
  let failed = false;
  const listeners: Array<(error: Error) => void> = [];
  // A Web Worker does not exit on an uncaught error, but its state is then unknown: the engine
  // replaces it.
  const fail = (ev: Event): void => {
    if (terminated || failed) return;
    failed = true;
    const message = typeof ErrorEvent !== 'undefined' && ev instanceof ErrorEvent && ev.message ? ev.message : `worker ${ev.type}`;
    for (const l of listeners) l(new Error(message));
  };
  worker.addEventListener('error', fail);
  worker.addEventListener('messageerror', fail);
  return {
    endpoint: worker,
    onFailure: (l) => void listeners.push(l),
    setBusy: () => {},
    async terminate() {
      terminated = true;
      worker.terminate();
    },
  };
}

export const browserPlatform: EnginePlatform = {
  name: 'browser',
  defaultWorkers: () => (typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 2),
  defaultWorkerUrl: () => new URL('./engine-worker.js', import.meta.url),
  spawn: (url) => (url.href === new URL('./engine-worker.js', import.meta.url).href ? spawn() : spawn(url)),
};
