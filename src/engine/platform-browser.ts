/**
 * Browser adapter of the engine: module Web Workers (the Worker object is itself a Comlink
 * endpoint). `new Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module' })` is
 * written out literally so that bundlers (Vite, webpack 5, Parcel) see and bundle the worker.
 */
import { type EnginePlatform, failureListeners, type WorkerHandle } from './platform.js';

/** What a Web Worker's `error` or `messageerror` event says. */
export function workerEventMessage(ev: Event): string {
  return typeof ErrorEvent !== 'undefined' && ev instanceof ErrorEvent && ev.message ? ev.message : `worker ${ev.type}`;
}

function spawn(url?: URL): WorkerHandle {
  const worker = url ? new Worker(url, { type: 'module' }) : new Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module' });
  const { fail, onFailure, end } = failureListeners();
  // A Web Worker does not exit on an uncaught error, but its state is then unknown: the engine
  // replaces it.
  const failed = (ev: Event): void => fail(new Error(workerEventMessage(ev)));
  worker.addEventListener('error', failed);
  worker.addEventListener('messageerror', failed);
  return {
    endpoint: worker,
    onFailure,
    setBusy: () => {},
    async terminate() {
      end();
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
