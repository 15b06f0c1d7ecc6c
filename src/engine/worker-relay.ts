/**
 * Engine workers that the page starts for an engine running in a worker (the web service's
 * screen jobs): the worker asks, the page runs `new Worker(url)` and hands it one end of a
 * MessageChannel, and the engine talks Comlink over the other end. Why not nested workers:
 * Firefox 153 ESR (measured here) blocks a worker's thread at random once it starts workers of its
 * own — the demo's screen hung before its first batch in about 1 of 10 starts, a worker starting
 * pairs of trivial workers hung within seconds — while workers started by the page never did (300
 * rounds). Without a relay (a worker not started by `startWorker`) the engine still nests.
 */
import { expose, proxy, transfer, type Remote } from 'comlink';
import { type EnginePlatform, failureListeners, type WorkerHandle } from './platform.js';
import { browserPlatform, onWorkerError } from './platform-browser.js';

/** What the page offers its worker: start a worker on `url` that serves Comlink on `port`. */
export interface WorkerRelay {
  /** Returns the worker's id; `onFailure` hears of its uncaught errors. */
  spawn(url: string, port: MessagePort, onFailure: (message: string) => void): number;
  terminate(id: number): void;
}

/** The message that hands a relayed worker its port. */
const CONNECT = 'interphase:connect';

/** The page's side: starts and keeps the workers; `terminateAll()` when its own worker goes. */
export function pageWorkerRelay(): WorkerRelay & { terminateAll(): void } {
  const workers = new Map<number, Worker>();
  let last = 0;
  return {
    spawn(url, port, onFailure) {
      const id = ++last;
      const worker = new Worker(url, { type: 'module' });
      // A remote call: the asking worker may be gone.
      onWorkerError(worker, (message) => void Promise.resolve(onFailure(message)).catch(() => {}));
      worker.postMessage({ [CONNECT]: port }, [port]);
      workers.set(id, worker);
      return id;
    },
    terminate(id) {
      workers.get(id)?.terminate();
      workers.delete(id);
    },
    terminateAll() {
      for (const w of workers.values()) w.terminate();
      workers.clear();
    },
  };
}

/** The engine's platform in a worker whose page relays: workers come from the page. */
export function relayedPlatform(relay: Remote<WorkerRelay>): EnginePlatform {
  return { ...browserPlatform, spawn: (url) => relayedWorker(relay, url) };
}

function relayedWorker(relay: Remote<WorkerRelay>, url: URL): WorkerHandle {
  const { port1, port2 } = new MessageChannel();
  const { fail: failWith, onFailure, end } = failureListeners();
  const fail = (message: string): void => failWith(new Error(message));
  // Messages posted on port1 meanwhile wait in port2's queue, which travels with it.
  const id = relay.spawn(url.href, transfer(port2, [port2]), proxy(fail));
  id.catch((e: unknown) => fail(`the page could not start a worker: ${e instanceof Error ? e.message : String(e)}`));
  return {
    endpoint: port1,
    onFailure,
    setBusy: () => {},
    async terminate() {
      end();
      port1.close();
      void id.then((i) => relay.terminate(i)).catch(() => {});
    },
  };
}

/** In a worker script: serves `service` on every port a page's relay hands over (as well as on `self`). */
export function serveRelayedPorts(service: object): void {
  self.addEventListener('message', (ev: MessageEvent) => {
    const port: unknown = (ev.data as Record<string, unknown> | null)?.[CONNECT];
    if (port instanceof MessagePort) expose(service, port);
  });
}
