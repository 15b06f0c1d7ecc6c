/**
 * Pending jobs by AbortSignal, for the engines that queue jobs (pool.ts, queue-engine.ts): one
 * abort listener per signal however many of its jobs wait (a screen queues dozens on one signal),
 * removed when the last of them settles.
 */
export class SignalWatch<T> {
  private readonly bySignal = new WeakMap<AbortSignal, { items: Set<T>; off: () => void }>();

  /** `onAbort` gets the items still watched when their signal aborts. */
  constructor(private readonly onAbort: (items: T[], reason: unknown) => void) {}

  /** Watches `item` under `signal`; call the returned function once it has settled. */
  add(signal: AbortSignal, item: T): () => void {
    let w = this.bySignal.get(signal);
    if (!w) {
      const items = new Set<T>();
      const abort = (): void => {
        this.bySignal.delete(signal);
        this.onAbort([...items], signal.reason);
      };
      signal.addEventListener('abort', abort, { once: true });
      w = { items, off: () => signal.removeEventListener('abort', abort) };
      this.bySignal.set(signal, w);
    }
    const watch = w;
    watch.items.add(item);
    return () => {
      watch.items.delete(item);
      if (watch.items.size === 0 && this.bySignal.get(signal) === watch) {
        this.bySignal.delete(signal);
        watch.off();
      }
    };
  }
}
