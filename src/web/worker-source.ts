/**
 * The source of dist/browser-worker.js, for Blob workers (`{ wasm: 'inline' }`): rollup.config.mjs
 * replaces this module in the browser bundle (it is loaded on demand, as its own chunk). From the
 * sources it is empty.
 */
export const WORKER_SOURCE: string = '';
