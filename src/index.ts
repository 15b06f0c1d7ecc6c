// interphase: thermodynamic stability of solid electrolytes and their interfaces (Node entry).
export * from './api.js';
export { initWasm } from './thermo/index.js';
export { candidatesOf, csvCandidates, loadEntries, streamEntries, type LoadOptions } from './io/node.js';
export { createEngine } from './engine/index.js';
