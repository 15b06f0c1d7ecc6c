// interphase: thermodynamic stability of solid electrolytes and their interfaces (Node entry).
export * from './api.js';
export { initWasm } from './wasm.js';
export { candidatesOf, csvCandidates, loadEntries, streamEntries, type LoadOptions } from './loaders.js';
export { createEngine } from './engine.js';
