// The embedded table's bytes (gzipped CSV) in Node and from the sources: base64 inside the bundle.
// Browser bundles replace this module (rollup.config.mjs) with web/default-data-source.ts, which
// fetches dist/interphase-data.csv.gz, so the pages and workers share one copy instead of each
// bundle carrying 230 KB of base64.
import { DEFAULT_DATA_GZIP_BASE64 } from '../generated/default-data.js';

export async function defaultDataGzip(): Promise<Uint8Array> {
  const bin = atob(DEFAULT_DATA_GZIP_BASE64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
