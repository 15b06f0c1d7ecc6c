/**
 * Node adapter of the engine: `worker_threads` workers speaking Comlink through comlink's own
 * Node adapter.
 *
 * The worker script is `engine-worker.js` beside the bundle (dist/engine-worker.js; the code may
 * sit in dist/chunks/, hence the parent-directory fallback). Running from the TypeScript sources
 * (vitest), it is src/engine-worker.ts: the worker is then started through a small bootstrap that
 * registers module hooks transpiling `.ts` files with the `typescript` dev dependency (Node 20
 * cannot run TypeScript itself), so tests exercise the sources without a build.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type EnginePlatform, failureListeners, type WorkerHandle } from './platform.js';

// comlink's Node adapter, an ES module: imported dynamically so that the CommonJS bundle keeps an
// import() for it (require() of an .mjs file needs Node >= 20.19).
type NodeEndpointFn = typeof import('comlink/dist/esm/node-adapter.mjs')['default'];

const FROM_SOURCES = import.meta.url.endsWith('.ts');

function defaultWorkerUrl(): URL {
  const names = FROM_SOURCES ? ['../engine-worker.ts'] : ['./engine-worker.js', '../engine-worker.js'];
  for (const name of names) {
    const url = new URL(name, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error(`interphase engine: worker script not found (${names.map((n) => new URL(n, import.meta.url).href).join(', ')})`);
}

// Module hooks for the sources: `./x.js` → `./x.ts` when only the latter exists, and `.ts` →
// JavaScript by typescript.transpileModule (types erased, nothing checked).
const TS_HOOKS = `
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
let ts;
export async function initialize(data) { ts = (await import(data.typescript)).default; }
export async function resolve(specifier, context, next) {
  if (context.parentURL && context.parentURL.endsWith('.ts') && specifier.endsWith('.js') && /^\\.\\.?\\//.test(specifier)) {
    const url = new URL(specifier, context.parentURL);
    if (!existsSync(fileURLToPath(url))) {
      const tsUrl = new URL(url.href.slice(0, -3) + '.ts');
      if (existsSync(fileURLToPath(tsUrl))) return { url: tsUrl.href, format: 'module', shortCircuit: true };
    }
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const file = fileURLToPath(url);
  const out = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
  });
  return { format: 'module', source: out.outputText, shortCircuit: true };
}`;

const TS_BOOTSTRAP = `
const { register } = require('node:module');
const { workerData } = require('node:worker_threads');
register('data:text/javascript,' + encodeURIComponent(workerData.hooks), { data: { typescript: workerData.typescript } });
import(workerData.script).catch((e) => { setImmediate(() => { throw e; }); });`;

// A worker's young generation: its jobs make short-lived garbage by the megabyte (a chunk of CSV
// and its rows); V8's default, sized for one big heap, kept ~60 MB per worker of it.
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };

function spawn(nodeEndpoint: NodeEndpointFn, url: URL): WorkerHandle {
  let worker: Worker;
  if (url.pathname.endsWith('.ts') || FROM_SOURCES) {
    const typescript = pathToFileURL(createRequire(import.meta.url).resolve('typescript')).href;
    worker = new Worker(TS_BOOTSTRAP, { eval: true, workerData: { hooks: TS_HOOKS, typescript, script: url.href }, resourceLimits: WORKER_LIMITS });
  } else {
    worker = new Worker(url, { resourceLimits: WORKER_LIMITS });
  }
  const { fail, onFailure, end } = failureListeners();
  worker.on('error', (e) => fail(e instanceof Error ? e : new Error(String(e))));
  worker.on('messageerror', (e) => fail(e instanceof Error ? e : new Error(String(e))));
  worker.on('exit', (code) => fail(new Error(`worker exited with code ${code}`)));
  return {
    endpoint: nodeEndpoint(worker),
    onFailure,
    setBusy: (busy) => (busy ? worker.ref() : worker.unref()),
    async terminate() {
      end();
      await worker.terminate();
    },
  };
}

let platform: Promise<EnginePlatform> | undefined;

export function nodePlatform(): Promise<EnginePlatform> {
  platform ??= import('comlink/dist/esm/node-adapter.mjs').then(({ default: nodeEndpoint }) => ({
    name: 'node',
    defaultWorkers: () => availableParallelism(),
    defaultWorkerUrl,
    spawn: (url: URL) => spawn(nodeEndpoint, url),
  }));
  return platform;
}
