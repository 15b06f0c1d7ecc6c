// interphase for browsers (dist/browser.js; the package's `browser` export condition): the API of
// src/index.ts without the Node file loaders, plus entriesFromFile for dropped files, a WASM loader
// (by URL, default, or inline) and a Comlink Web Worker running the computations. See
// src/web/README-web.md. The shared API comes from api.ts (test/web-e2e.test.ts checks the set).
import { proxy, wrap, releaseProxy, type Remote } from 'comlink';
import { createEngine as createEngineCore, pageWorkerRelay, type Engine, type EngineOptions } from './engine/index.js';
import { initWasm as initEmbeddedWasm } from './thermo/index.js';
import { bytesToBase64, defaultDataSourceUrl, setDefaultDataSource, setWasmBase64 } from './web/index.js';
export { defaultDataUrl } from './web/index.js';
import type { WebService } from './web/index.js';

export * from './api.js';

// Browser additions.
export { csvCandidatesFromFile, entriesFromFile, type FileLoadOptions } from './io/index.js';
export type { WebService, DataInfo, HullResult, HullRow, WindowResult, InterfaceResult, ScreenJobOptions, ScreenSummary, UncertainResult, WebSamplingOptions } from './web/index.js';
export { proxy } from 'comlink';

/**
 * Where the WASM comes from: `'url'` (default) fetches `interphase.wasm` beside this module
 * (`new URL('./interphase.wasm', import.meta.url)`), a string or URL fetches that address,
 * `'inline'` imports a chunk holding it as base64 (no .wasm asset to serve), and bytes are used
 * as given.
 */
export type WasmSource = 'url' | 'inline' | string | URL | ArrayBuffer | ArrayBufferView;

export interface BrowserOptions {
  wasm?: WasmSource;
  /**
   * Where the embedded default data (`defaultEntries()`, `api.useDefault()`) comes from: by
   * default `interphase-data.csv.gz` beside this module, fetched once by each thread that uses
   * it; another URL; or its gzipped bytes (this thread only: workers take a URL).
   */
  data?: string | URL | Uint8Array;
}

/** The address of the bundled WASM (dist/interphase.wasm). */
export function wasmUrl(): URL {
  return new URL('./interphase.wasm', import.meta.url);
}

let loaded: Promise<void> | undefined;

/**
 * Loads and compiles the WASM kernel for this thread (main thread or worker). Call it (once)
 * before the synchronous API (PhaseDiagram, stabilityWindow, …) on a page; the workers do it
 * themselves. The first call's source wins.
 */
export function initWasm(options: BrowserOptions = {}): Promise<void> {
  if (options.data !== undefined) setDefaultDataSource(options.data);
  loaded ??= load(options.wasm ?? 'url');
  loaded.catch(() => (loaded = undefined));
  return loaded;
}

async function load(source: WasmSource): Promise<void> {
  let bytes: Uint8Array | undefined;
  if (source === 'inline') {
    setWasmBase64((await import('./web/wasm-inline.js')).INLINE_WASM_BASE64);
  } else if (source instanceof ArrayBuffer) {
    bytes = new Uint8Array(source);
  } else if (ArrayBuffer.isView(source)) {
    bytes = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  } else {
    const url = source === 'url' ? wasmUrl() : new URL(String(source), import.meta.url);
    const res = await fetch(url);
    if (!res.ok) throw new Error(`interphase: cannot load the WASM from ${url.href}: HTTP ${res.status}`);
    bytes = new Uint8Array(await res.arrayBuffer());
  }
  if (bytes) setWasmBase64(bytesToBase64(bytes));
  await initEmbeddedWasm();
}

let inlineWorker: Promise<string> | undefined;

/**
 * The worker script: dist/browser-worker.js, told in its query where the WASM is (an absolute
 * URL, so that a bundler may move either); for `'inline'`, the same script from a Blob.
 */
async function workerUrl(options: BrowserOptions): Promise<URL> {
  const w = options.wasm ?? 'url';
  if (options.data instanceof Uint8Array) throw new TypeError('interphase: workers load the default data by URL, not from bytes');
  const data = options.data !== undefined ? new URL(String(options.data), import.meta.url).href : defaultDataSourceUrl();
  if (w === 'inline') {
    inlineWorker ??= import('./web/worker-source.js').then(({ WORKER_SOURCE }) => {
      if (!WORKER_SOURCE) throw new Error('interphase: the inline worker exists in the browser bundle (dist/browser.js) only');
      return URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    });
    const url = new URL(await inlineWorker);
    url.hash = new URLSearchParams({ wasm: 'inline', ...(data ? { data } : {}) }).toString();
    return url;
  }
  if (w instanceof ArrayBuffer || ArrayBuffer.isView(w)) throw new TypeError('interphase: workers load the WASM by URL or inline, not from bytes');
  const url = new URL('./browser-worker.js', import.meta.url);
  url.searchParams.set('wasm', (w === 'url' ? wasmUrl() : new URL(String(w), import.meta.url)).href);
  if (data) url.searchParams.set('data', data);
  return url;
}

/**
 * A pool of Web Workers for screening (`screenStability(…, { engine })`), as in Node; the
 * workers run dist/browser-worker.js unless `workerUrl` says otherwise.
 */
export async function createEngine(options: EngineOptions & BrowserOptions = {}): Promise<Engine> {
  const { wasm, data, ...rest } = options;
  const where = data !== undefined ? { data } : {};
  if (rest.workerUrl !== undefined || wasm !== undefined) return createEngineCore({ workerUrl: await workerUrl(wasm !== undefined ? { wasm, ...where } : where), ...rest });
  // Default: by URL, inline when the assets cannot be found (a dev server serving the bundle moved).
  return createEngineCore({ workerUrl: await workerUrl(where), ...rest }).catch(async (e: unknown) => {
    console.info('interphase: worker or WASM not found by URL, using the inline worker', e);
    return createEngineCore({ workerUrl: await workerUrl({ wasm: 'inline', ...where }), ...rest });
  });
}

/** A worker running the computations (`WebService`), and how to stop it. */
export interface InterphaseWorker {
  readonly api: Remote<WebService>;
  readonly worker: Worker;
  terminate(): void;
}

/**
 * Starts a Web Worker running interphase (module worker, Comlink): `api.useDefault()` or
 * `api.useFile(file)`, then `api.hull(formula)`, `api.window(formula, 'Li')`,
 * `api.interface(a, b)`, `api.screenJob(…)` — plain data and SVG plots, computed off the main thread.
 */
export async function startWorker(options: BrowserOptions = {}): Promise<InterphaseWorker> {
  if (options.wasm !== undefined) return spawnWorker(options);
  const where = options.data !== undefined ? { data: options.data } : {};
  // Default: by URL, inline when the assets cannot be found (a dev server serving the bundle moved).
  return spawnWorker(where).catch((e: unknown) => {
    console.info('interphase: worker or WASM not found by URL, using the inline worker', e);
    return spawnWorker({ wasm: 'inline', ...where });
  });
}

async function spawnWorker(options: BrowserOptions): Promise<InterphaseWorker> {
  const worker = new Worker(await workerUrl(options), { type: 'module', name: 'interphase' });
  const api = wrap<WebService>(worker);
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (ev) => reject(new Error(`interphase worker failed to start: ${(ev as ErrorEvent).message || 'error'}`)), { once: true });
  });
  try {
    await Promise.race([api.ready(), failed]);
  } catch (e) {
    api[releaseProxy]();
    worker.terminate();
    throw e;
  }
  // The screen jobs' engine workers are the page's, not nested (engine/worker-relay.ts).
  const relay = pageWorkerRelay();
  await api.useWorkerRelay(proxy(relay));
  return {
    api,
    worker,
    terminate() {
      api[releaseProxy]();
      worker.terminate();
      relay.terminateAll();
    },
  };
}
