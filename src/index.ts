// interphase: thermodynamic stability of solid electrolytes and their interfaces (Node entry).
import { initWasm } from './thermo/index.js';

export * from './api.js';
export { initWasm };
export { candidatesOf, csvCandidates, loadEntries, streamEntries, type LoadOptions } from './io/node.js';
export { createEngine } from './engine/index.js';

// The kernel compiles in the background from import on (V8 compiles off the main thread), so the
// first hull finds it ready after any await — loading a file, say. A failure here is ignored: the
// first hull compiles synchronously and reports it.
initWasm().catch(() => {});
