import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ts = () => typescript({ tsconfig: './tsconfig.json', declaration: false, outDir: undefined, noEmitOnError: true });
// Browser bundles ship minified (module scope: top-level names may be mangled too).
const minify = () => terser({ module: true, compress: { passes: 2 }, format: { comments: false } });

const nodeExternal = (id) => id.startsWith('node:') || id === 'comlink' || id.startsWith('comlink/') || id === 'bullmq' || id === 'ioredis';

export default [
  {
    // engine-worker: the worker script; engine-node/-browser: the engine's platform adapters,
    // entries so they sit beside engine-worker.js (they locate it by import.meta.url).
    input: {
      index: 'src/index.ts',
      cli: 'src/cli/bin.ts',
      'engine-worker': 'src/engine-worker.ts',
      'engine-node': 'src/engine/platform-node.ts',
      'engine-browser': 'src/engine/platform-browser.ts',
    },
    external: nodeExternal,
    plugins: [ts()],
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      // dist/cli.js is the package's bin.
      banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
    },
  },
  {
    input: 'src/index.ts',
    external: nodeExternal,
    plugins: [ts()],
    output: { file: 'dist/index.cjs', format: 'cjs', inlineDynamicImports: true },
  },
  // Browser bundle (src/web/README-web.md): dist/browser.js (the API), dist/browser-worker.js (its Web
  // Worker), dist/interphase.wasm, shared chunks dist/browser-*.js; the demo page's script in out/web/.
  ...browserBuilds(),
];

function browserBuilds() {
  const src = (p) => fileURLToPath(new URL(p, import.meta.url));
  // No Node built-ins: the WASM comes by URL (or the inline chunk), not as base64 in the bundle;
  // the Node engine adapter and node: modules are stubs that throw if ever reached.
  const browserOnly = {
    name: 'interphase-browser',
    resolveId(id, importer) {
      if (id.startsWith('node:') || id === 'comlink/dist/esm/node-adapter.mjs') return `\0node-stub:${id}`;
      if (importer && /[\\/]src[\\/]thermo[\\/]wasm\.ts$/.test(importer) && id === '../generated/wasm-binary.js') return src('./src/web/wasm-source.ts');
      // The embedded table: one asset (interphase-data.csv.gz) fetched by URL, not base64 in each bundle.
      if (importer && /[\\/]src[\\/]io[\\/]default-data\.ts$/.test(importer) && id === './default-data-bytes.js') return src('./src/web/default-data-source.ts');
      // The Node engine adapter and the queue engine (bullmq, Redis): never in a browser bundle.
      if (importer && (id === './platform-node.js' || id === './queue-open.js')) return `\0node-stub:${id}`;
      return null;
    },
    load(id) {
      if (id.startsWith('\0node-stub:')) {
        const what = JSON.stringify(id.slice('\0node-stub:'.length));
        return `const fail = () => { throw new Error('interphase: ' + ${what} + ' is not available in browsers'); };\nexport default new Proxy({}, { get: fail });\nexport const nodePlatform = fail;\nexport const createQueueEngine = fail;\n`;
      }
      return null;
    },
    // The engine's browser adapter defaults to ./engine-worker.js, the Node-targeted worker script;
    // in this bundle the worker is browser-worker.js (it speaks the engine's protocol too).
    transform(code, id) {
      return /[\\/]src[\\/]engine[\\/]platform-browser\.ts$/.test(id) ? code.replaceAll("'./engine-worker.js'", "'./browser-worker.js'") : null;
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'interphase.wasm', source: readFileSync(src('./build/interphase.wasm')) });
      this.emitFile({ type: 'asset', fileName: 'interphase-data.csv.gz', source: readFileSync(src('./src/data/mp-legacy-32.csv.gz')) });
    },
  };
  const workerSource = {
    // dist/browser-worker.js (built just before) as a string, for `{ wasm: 'inline' }` Blob workers.
    name: 'interphase-worker-source',
    resolveId: (id) => (id === './web/worker-source.js' ? '\0worker-source' : null),
    load: (id) => (id === '\0worker-source' ? `export const WORKER_SOURCE = ${JSON.stringify(readFileSync(src('./dist/browser-worker.js'), 'utf8'))};\n` : null),
  };
  // Chunk names carry hashes: remove the previous builds' (dist/browser-*.js) so none ships stale.
  const dropStaleChunks = {
    name: 'interphase-drop-stale-chunks',
    writeBundle(_, bundle) {
      for (const f of readdirSync(src('./dist/'))) if (/^browser-.*\.js$/.test(f) && f !== 'browser-worker.js' && !(f in bundle)) unlinkSync(src(`./dist/${f}`));
    },
  };
  return [
    {
      // The worker is one self-contained file: bundlers may copy it as an asset, and it can run from a Blob.
      input: { 'browser-worker': 'src/browser-worker.ts' },
      plugins: [browserOnly, nodeResolve({ browser: true }), ts()],
      output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', inlineDynamicImports: true, plugins: [minify()] },
    },
    {
      input: { browser: 'src/browser.ts' },
      plugins: [browserOnly, workerSource, nodeResolve({ browser: true }), ts(), dropStaleChunks],
      output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'browser-[name]-[hash].js', plugins: [minify()] },
    },
    {
      // The demo page's script: uses the public bundle as is (served at /dist/browser.js).
      input: 'src/web/demo.ts',
      external: (id) => /[\\/]browser\.js$/.test(id) || id === '../browser.js',
      plugins: [ts()],
      output: { file: 'out/web/demo.js', format: 'es', paths: (id) => (/browser\.js$/.test(id) ? '/dist/browser.js' : id) },
    },
  ];
}
