/**
 * Browser adapter of the engine: module Web Workers (the Worker object is itself a Comlink
 * endpoint). `new Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module' })` is
 * written out literally so that bundlers (Vite, webpack 5, Parcel) see and bundle the worker.
 */
import { type EnginePlatform, failureListeners, type WorkerHandle } from './platform.js';

/** Calls `failed` with what each of the worker's `error` and `messageerror` events says. */
export function onWorkerError(worker: Worker, failed: (message: string) => void): void {
  const listener = (ev: Event): void => failed(typeof ErrorEvent !== 'undefined' && ev instanceof ErrorEvent && ev.message ? ev.message : `worker ${ev.type}`);
  worker.addEventListener('error', listener);
  worker.addEventListener('messageerror', listener);
}

function spawn(url?: URL): WorkerHandle {
  const worker = url ? new Worker(url, { type: 'module' }) : new Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module' });
  const { fail, onFailure, end } = failureListeners();
  // A Web Worker does not exit on an uncaught error, but its state is then unknown: the engine
  // replaces it.
  onWorkerError(worker, (message) => fail(new Error(message)));
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
