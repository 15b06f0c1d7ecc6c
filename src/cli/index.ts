// cli/: the `interphase` command — one module per command (hull, window, react, screen …), the
// argument plumbing, text tables and the progress bar. main.ts is the bin's entry.
export { main, type CliIO } from './main.js';
