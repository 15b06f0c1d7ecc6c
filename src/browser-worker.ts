/**
 * The browser worker script (dist/browser-worker.js): loads the WASM the way its URL says
 * (`?wasm=inline`, `?wasm=<url>`, default dist/interphase.wasm beside it), takes the default
 * data's address from `data=<url>` (default dist/interphase-data.csv.gz beside it), then serves a
 * `WebService` over Comlink: the page's computations, and the engine's batches when
 * `createEngine()` starts its pool on this script.
 */
import { expose } from 'comlink';
import { initWasm } from './browser.js';
import { serveRelayedPorts } from './engine/index.js';
import { WebService } from './web/index.js';

// `?wasm=…&data=…` on a served script, `#wasm=inline&data=…` on a Blob one.
const here = new URL(self.location.href);
const param = (name: string): string | null => here.searchParams.get(name) ?? new URLSearchParams(here.hash.slice(1)).get(name);
const wasm = param('wasm');
const data = param('data');
const ready = initWasm({ ...(wasm ? { wasm } : {}), ...(data ? { data } : {}) });
ready.catch(() => {}); // reported by ready() and every call that needs the kernel

// Exposed at once: messages that arrive while the WASM loads wait in the service's promises.
const service = new WebService(ready);
expose(service, self as unknown as Parameters<typeof expose>[1]);
// As an engine worker started by the page for another worker's engine (engine/worker-relay.ts).
serveRelayedPorts(service);
