/**
 * Browser bundles only: rollup.config.mjs resolves wasm.ts's `./generated/wasm-binary.js` to this
 * module, so dist/browser.js does not carry the WASM as base64. `WASM_BASE64` is a live binding
 * that `initWasm()` (src/browser.ts) fills from dist/interphase.wasm (fetched by URL) or from the
 * inline chunk before anything instantiates the kernel. From the sources (tests, tsc) wasm.ts keeps
 * its embedded copy and this module is inert.
 */
export let WASM_BASE64 = '';

export function setWasmBase64(b64: string): void {
  WASM_BASE64 = b64;
}

/** Bytes → base64 (chunked: no argument-count limit). */
export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
