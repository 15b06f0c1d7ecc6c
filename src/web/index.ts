// web/: what a page needs beyond the shared API — the WASM by URL or inline, the worker service
// behind `startWorker()`.
export { type DataInfo, type HullResult, type HullRow, type InterfaceResult, type ScreenJobOptions, type ScreenSummary, WebService, type WindowResult } from './service.js';
export { bytesToBase64, setWasmBase64 } from './wasm-source.js';
export { defaultDataSourceUrl, defaultDataUrl, setDefaultDataSource } from './default-data-source.js';
export type { UncertainResult, WebSamplingOptions } from './uncertainty.js';
