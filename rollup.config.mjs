import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';

const ts = () => typescript({ tsconfig: './tsconfig.json', declaration: false, outDir: undefined, noEmitOnError: true });
const nodeExternal = (id) => id.startsWith('node:') || id === 'comlink' || id.startsWith('comlink/');

export default [
  {
    // engine-worker: the worker script; engine-node/-browser: the engine's platform adapters,
    // entries so they sit beside engine-worker.js (they locate it by import.meta.url).
    input: {
      index: 'src/index.ts',
      cli: 'src/cli.ts',
      'engine-worker': 'src/engine-worker.ts',
      'engine-node': 'src/engine-node.ts',
      'engine-browser': 'src/engine-browser.ts',
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
];
