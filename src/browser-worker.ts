/**
 * The browser worker script (dist/browser-worker.js): loads the WASM the way its URL says
 * (`?wasm=inline`, `?wasm=<url>`, default dist/interphase.wasm beside it), then serves a
 * `WebService` over Comlink: the page's computations, and the engine's batches when
 * `createEngine()` starts its pool on this script.
 */
import { expose } from 'comlink';
import { initWasm } from './browser.js';
import { WebService } from './web/index.js';

// `?wasm=…` on a served script, `#wasm=inline` on a Blob one.
const here = new URL(self.location.href);
const param = here.searchParams.get('wasm') ?? new URLSearchParams(here.hash.slice(1)).get('wasm');
const ready = initWasm(param ? { wasm: param } : {});
ready.catch(() => {}); // reported by ready() and every call that needs the kernel

// Exposed at once: messages that arrive while the WASM loads wait in the service's promises.
expose(new WebService(ready), self as unknown as Parameters<typeof expose>[1]);
