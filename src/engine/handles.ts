/**
 * The data handles of one engine: one per (data kind, entries array), packed once and reused
 * while the array is unchanged; the embedded table once per kind; at most `limit` per kind kept
 * (least recently used dropped first, the engine told so that its workers free it too).
 */
import type { Entry } from '../core/index.js';
import { entriesStamp, newDataId, sameStamp, type DataHandle, type EntriesStamp } from './engine.js';
import type { DataKind } from './job.js';

export class DataHandles {
  private readonly byArray = new Map<string, WeakMap<readonly Entry[], { handle: DataHandle; stamp: EntriesStamp }>>();
  private readonly embedded = new Map<string, DataHandle>();
  /** Live handles per kind, most recently used last. */
  private readonly live = new Map<string, Map<number, DataHandle>>();

  constructor(
    private readonly limit: number,
    private readonly onDrop: (handle: DataHandle) => void,
  ) {}

  get<W>(kind: DataKind<W, unknown, unknown>, entries: readonly Entry[] | undefined, name: string | undefined): DataHandle<W> {
    let handle: DataHandle | undefined;
    const live = this.liveOf(kind.name);
    if (entries === undefined) {
      handle = this.embedded.get(kind.name);
      if (!handle || !live.has(handle.id)) {
        handle = { id: newDataId(), kind: kind.name, name: name ?? 'embedded', embedded: true, wire: kind.pack(null, name) };
        this.embedded.set(kind.name, handle);
      }
    } else {
      let cache = this.byArray.get(kind.name);
      if (!cache) this.byArray.set(kind.name, (cache = new WeakMap()));
      const stamp = entriesStamp(entries);
      const cached = cache.get(entries);
      if (cached && live.has(cached.handle.id) && sameStamp(cached.stamp, stamp) && (name === undefined || cached.handle.name === name)) handle = cached.handle;
      else {
        if (cached && live.has(cached.handle.id)) this.drop(cached.handle);
        handle = { id: newDataId(), kind: kind.name, name: name ?? 'data', embedded: false, wire: kind.pack(entries, name) };
        cache.set(entries, { handle, stamp });
      }
    }
    this.keep(kind.name, handle);
    return handle as DataHandle<W>;
  }

  /** Marks a handle most recently used; drops the least recently used past the limit. */
  private keep(kind: string, handle: DataHandle): void {
    const live = this.liveOf(kind);
    live.delete(handle.id);
    live.set(handle.id, handle);
    while (live.size > this.limit) this.drop(live.values().next().value!);
  }

  /** A handle for a wire form packed elsewhere (each call a new one). */
  adopt<W>(kind: DataKind<W, unknown, unknown>, wire: W, name: string): DataHandle<W> {
    const handle: DataHandle = { id: newDataId(), kind: kind.name, name, embedded: false, wire };
    this.keep(kind.name, handle);
    return handle as DataHandle<W>;
  }

  has(handle: DataHandle): boolean {
    return this.liveOf(handle.kind).has(handle.id);
  }

  drop(handle: DataHandle): void {
    if (!this.liveOf(handle.kind).delete(handle.id)) return;
    if (this.embedded.get(handle.kind) === handle) this.embedded.delete(handle.kind);
    this.onDrop(handle);
  }

  private liveOf(kind: string): Map<number, DataHandle> {
    let m = this.live.get(kind);
    if (!m) this.live.set(kind, (m = new Map()));
    return m;
  }
}
