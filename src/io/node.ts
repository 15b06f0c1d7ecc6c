// io/ in Node: entries and candidates from files (fs, zlib), streamed.
export { candidatesOf, csvCandidates, loadEntries, type LoadOptions, streamEntries } from './node-loaders.js';
