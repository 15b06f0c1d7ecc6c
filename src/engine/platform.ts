/**
 * What the worker pool needs of a platform: spawning a worker that speaks Comlink, and noticing
 * its death. The adapters (platform-node.ts, platform-browser.ts) implement it; create.ts picks one.
 */
import type { Endpoint } from 'comlink';

/** One worker as the engine sees it, whatever runs it (worker_threads or a Web Worker). */
export interface WorkerHandle {
  /** What Comlink talks to. */
  readonly endpoint: Endpoint;
  /** `listener` is called once if the worker dies or fails on its own (never after terminate()). */
  onFailure(listener: (error: Error) => void): void;
  /**
   * Whether the engine waits on this worker: a busy worker keeps a Node process alive, an idle
   * one does not (an engine left open never blocks exit).
   */
  setBusy(busy: boolean): void;
  terminate(): Promise<void>;
}

/**
 * A worker's failure listeners (WorkerHandle.onFailure): `fail` calls them on the first failure
 * only, and never once `end()` (terminate) has been called.
 */
export function failureListeners(): { fail(error: Error): void; onFailure(listener: (error: Error) => void): void; end(): void } {
  let over = false;
  const listeners: Array<(error: Error) => void> = [];
  return {
    fail(error) {
      if (over) return;
      over = true;
      for (const l of listeners) l(error);
    },
    onFailure: (l) => void listeners.push(l),
    end: () => void (over = true),
  };
}

/** Per-platform adapter: `platform-node.ts` (worker_threads) or `platform-browser.ts` (Web Workers). */
export interface EnginePlatform {
  readonly name: 'node' | 'browser';
  /** os.availableParallelism() in Node, navigator.hardwareConcurrency in browsers. */
  defaultWorkers(): number;
  /** The bundled worker script (dist/engine-worker.js; src/engine-worker.ts from sources). */
  defaultWorkerUrl(): URL;
  spawn(url: URL): WorkerHandle;
}

/** Node (and Deno/Bun in Node mode) vs browsers; decided once at runtime, no bundler switches. */
export function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions === 'object' && process.versions !== null && typeof process.versions.node === 'string';
}
