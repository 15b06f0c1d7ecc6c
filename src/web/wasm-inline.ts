// The WASM as base64, in its own chunk: loaded by `initWasm({ wasm: 'inline' })` only.
export { WASM_BASE64 as INLINE_WASM_BASE64 } from '../generated/wasm-binary.js';
