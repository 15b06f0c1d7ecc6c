/**
 * Browser bundles only: rollup.config.mjs resolves io/default-data.ts's `./default-data-bytes.js`
 * to this module, so the embedded table is one asset (dist/interphase-data.csv.gz) fetched on
 * first use by whichever thread needs it, not base64 inside every bundle. Where it comes from is
 * set by `initWasm({ data })` on a page and by the `data` parameter of a worker's URL.
 */
let source: string | URL | Uint8Array | undefined;

/** Where the bundle expects the data: beside itself. */
export function defaultDataUrl(): URL {
  return new URL('./interphase-data.csv.gz', import.meta.url);
}

/** Sets where the embedded table comes from (a URL, or its gzipped bytes). */
export function setDefaultDataSource(s: string | URL | Uint8Array): void {
  source = s;
}

/** The URL the data is fetched from (absolute), for workers; undefined when bytes were given. */
export function defaultDataSourceUrl(): string | undefined {
  if (source instanceof Uint8Array) return undefined;
  return new URL(String(source ?? defaultDataUrl()), import.meta.url).href;
}

export async function defaultDataGzip(): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  const url = new URL(String(source ?? defaultDataUrl()), import.meta.url);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`interphase: cannot load the default data from ${url.href}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}
