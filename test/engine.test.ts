// The worker pool: same answers as the synchronous API, progress, cancellation, crash recovery.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultEntries } from '../src/io/default-data.js';
import { BatchFailedError, createEngine, EngineError, type Engine } from '../src/engine/index.js';
import { REFERENCE, STABILITY_BATCH } from '../src/screen/jobs.js';
import { Entry } from '../src/core/entry.js';
import { csvCandidates } from '../src/io/node-loaders.js';
import { screenStability, screenStabilitySync, type ScreenOptions, type ScreenRow } from '../src/screen/stability.js';
import { systemStabilities } from '../src/thermo/system-hull.js';

const WORKER = new URL('../src/engine-worker.ts', import.meta.url);
// A candidate energy no real entry has: the crash wrapper recognises its batch by it.
const MARK = 31337.125;

let reference: readonly Entry[];
let sync: ScreenRow[];
let tmp: string;

beforeAll(async () => {
  reference = await defaultEntries();
  sync = screenStabilitySync(reference, reference);
  tmp = mkdtempSync(join(tmpdir(), 'interphase-engine-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function collect(it: AsyncIterable<ScreenRow>): Promise<ScreenRow[]> {
  const out: ScreenRow[] = [];
  for await (const r of it) out.push(r);
  return out;
}

/**
 * A worker script that dies (process.exit(7)) when a message carries MARK — every time, or only
 * the first time in the test (a flag file) — and is otherwise the engine's worker.
 */
function crashingWorker(name: string, once: boolean): URL {
  const file = join(tmp, `${name}.mjs`);
  const flag = join(tmp, `${name}.crashed`);
  writeFileSync(
    file,
    `import { parentPort } from 'node:worker_threads';
import { existsSync, writeFileSync } from 'node:fs';
// After the engine's worker has attached its listener (a first listener would start the port
// and take the messages sent before it): ours runs second, before the answer is posted.
await import(${JSON.stringify(WORKER.href)});
parentPort.on('message', (m) => {
  if (!JSON.stringify(m).includes(${JSON.stringify(String(MARK))})) return;
  if (${once} && existsSync(${JSON.stringify(flag)})) return;
  writeFileSync(${JSON.stringify(flag)}, '');
  process.exit(7);
});
`,
  );
  return pathToFileURL(file);
}

describe('engine: worker pool', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await createEngine({ workers: 2 });
  });
  afterAll(() => engine.close());

  it('gives the same rows as the synchronous API, in input order', async () => {
    expect(engine.size).toBe(2);
    const rows = await collect(screenStability(reference, reference, { engine }));
    expect(rows).toEqual(sync);
    expect(engine.stats.batches).toBeGreaterThan(2);
    expect(engine.stats.failures).toBe(0);
  });

  it('agrees with systemStabilities: E_hull of each entry in its own system, decompositions', async () => {
    const st = new Map([...systemStabilities(reference)].map((r) => [r.entry.id, r]));
    const rows = await collect(screenStability(reference, reference, { engine, batchSize: 500 }));
    expect(rows.length).toBe(reference.length);
    let unstable = 0;
    for (const r of rows) {
      const s = st.get(r.id)!;
      if (s.stable) {
        expect(r.e_above_hull, r.id).toBe(0);
        expect({ ...r.decomposition }).toEqual({ [r.id]: 1 });
      } else {
        unstable++;
        expect(r.e_above_hull, r.id).toBeCloseTo(s.signedHullDistance, 12);
        const want = Object.fromEntries(s.decomposition.map((p) => [p.entry.id, p.fraction]));
        expect(Object.keys(r.decomposition), r.id).toEqual(Object.keys(want));
        for (const [id, f] of Object.entries(want)) expect(r.decomposition[id]!).toBeCloseTo(f, 12);
      }
    }
    expect(unstable).toBeGreaterThan(5000);
  });

  it('reports progress: increasing counts up to the total', async () => {
    const calls: Array<[number, number | undefined]> = [];
    const rows = await collect(screenStability(reference, reference, { engine, batchSize: 1000, onProgress: (d, t) => calls.push([d, t]) }));
    expect(rows.length).toBe(reference.length);
    expect(calls.length).toBeGreaterThanOrEqual(Math.ceil(reference.length / 1000));
    for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBeGreaterThan(calls[i - 1]![0]);
    expect(calls.at(-1)).toEqual([reference.length, reference.length]);
    expect(calls.every(([, t]) => t === reference.length)).toBe(true);
  });

  it('stops on AbortSignal, and the engine goes on serving', async () => {
    const ac = new AbortController();
    let progressed = 0;
    const rows: ScreenRow[] = [];
    const job = (async () => {
      for await (const r of screenStability(reference, reference, { engine, batchSize: 200, onProgress: (d) => ((progressed = d), ac.abort()), signal: ac.signal })) rows.push(r);
    })();
    await expect(job).rejects.toMatchObject({ name: 'AbortError' });
    expect(progressed).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(reference.length);
    // Already aborted: nothing starts.
    await expect(collect(screenStability(reference, reference, { engine, signal: AbortSignal.abort() }))).rejects.toMatchObject({ name: 'AbortError' });
    // The same engine, next job.
    const again = await collect(screenStability(reference.slice(0, 3000), reference, { engine }));
    expect(again).toEqual(sync.slice(0, 3000));
  });

  it('packs a reference once per unchanged array, again when it changed', async () => {
    const ref = [...reference];
    const a = engine.data(REFERENCE, ref);
    expect(engine.data(REFERENCE, ref)).toBe(a);
    const cand = [new Entry({ id: 'c', composition: 'Li2S', eFormPerAtom: -1.5 })];
    const before = await collect(screenStability(cand, ref, { engine }));
    ref.push(new Entry({ id: 'super-Li2S', composition: 'Li2S', eFormPerAtom: -3 }));
    expect(engine.data(REFERENCE, ref)).not.toBe(a);
    const after = await collect(screenStability(cand, ref, { engine }));
    expect(before[0]!.e_above_hull).toBeLessThan(1);
    expect(after[0]!.e_above_hull).toBeCloseTo(1.5, 12);
    expect({ ...after[0]!.decomposition }).toEqual({ 'super-Li2S': 1 });
  });

  it('stops a batch waiting in the queue at once when aborted', async () => {
    const ref = engine.data(REFERENCE, reference);
    const ac = new AbortController();
    const batch = { systems: [String.fromCharCode(0)], counts: Int32Array.of(1), eForm: Float64Array.of(0.1), fracs: Float64Array.of(1) };
    const pending = Array.from({ length: 8 }, () => engine.run(STABILITY_BATCH, batch, { data: ref, signal: ac.signal }));
    ac.abort(new Error('stop'));
    const settled = await Promise.allSettled(pending);
    expect(settled.some((s) => s.status === 'rejected' && (s.reason as Error).message === 'stop')).toBe(true);
  });

  it('keeps no result alive once handed over: a long-lived pool does not grow with the jobs it ran', async () => {
    // A result held by the pool after run() resolved is a leak of every row of a long screen (a
    // Promise.race against each worker's "died" promise kept them all, ~100 MB per 1M rows).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const ref = engine.data(REFERENCE, reference);
    const batch = { systems: [String.fromCharCode(0)], counts: Int32Array.of(1), eForm: Float64Array.of(0.1), fracs: Float64Array.of(1) };
    const held: Array<WeakRef<object>> = [];
    for (let i = 0; i < 20; i++) held.push(new WeakRef((await engine.run(STABILITY_BATCH, batch, { data: ref })) as object));
    for (let k = 0; k < 3; k++) {
      await new Promise((r) => setTimeout(r, 20));
      gc();
    }
    expect(held.filter((w) => w.deref() !== undefined).length).toBe(0);
  });
});

describe('engine: failures', () => {
  // Candidates: the embedded table, and one marked candidate (its own chemical system, Li-O) in the middle.
  const marked = () => {
    const c = [...reference.slice(0, 4000)];
    c.splice(1234, 0, new Entry({ id: 'marked-Li2O', composition: 'Li2O', eFormPerAtom: MARK }));
    return c;
  };

  it('replaces a worker that dies and retries its batch: nothing is lost', async () => {
    const engine = await createEngine({ workers: 2, workerUrl: crashingWorker('once', true) });
    try {
      const candidates = marked();
      const rows = await collect(screenStability(candidates, reference, { engine, batchSize: 256 }));
      expect(rows.length).toBe(candidates.length);
      expect(rows.filter((r) => r.id !== 'marked-Li2O')).toEqual(sync.slice(0, 4000));
      const m = rows.find((r) => r.id === 'marked-Li2O')!;
      expect(m.e_above_hull).toBeGreaterThan(31000);
      expect(existsSync(join(tmp, 'once.crashed'))).toBe(true);
      expect(engine.stats).toMatchObject({ failures: 1, retries: 1, spawned: 3 });
    } finally {
      await engine.close();
    }
  });

  it('reports a batch that fails twice, naming its first entries; never drops it silently', async () => {
    const engine = await createEngine({ workers: 2, workerUrl: crashingWorker('always', false) });
    try {
      const candidates = marked();
      // Thrown by the iterator...
      const err = await collect(screenStability(candidates, reference, { engine, batchSize: 1 })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BatchFailedError);
      expect((err as Error).message).toMatch(/failed twice/);
      expect((err as Error).message).toContain('"marked-Li2O" (Li2O1)');
      expect((err as Error).message).toMatch(/worker exited with code 7/);
      // ...or handed to onError, and the rest goes on.
      const errors: Error[] = [];
      const rows = await collect(screenStability(candidates, reference, { engine, batchSize: 1, onError: (e) => errors.push(e) }));
      expect(errors.length).toBe(1);
      expect(errors[0]).toBeInstanceOf(BatchFailedError);
      expect(errors[0]!.message).toContain('marked-Li2O');
      expect(rows.length).toBe(candidates.length - 1);
      expect(rows).toEqual(sync.slice(0, 4000));
      expect(engine.stats.failures).toBe(4);
    } finally {
      await engine.close();
    }
  });

  it('CSV chunks read in the workers: retried after a crash; a chunk that fails twice is named by file and lines', async () => {
    const lines = ['formula,e_form_per_atom,id', ...reference.slice(0, 4000).map((e) => `${e.id},${e.energyPerAtom},${e.id}`)];
    lines.splice(1235, 0, `Li2O,${MARK},marked-Li2O`);
    const path = join(tmp, 'marked.csv');
    writeFileSync(path, lines.join('\n'));
    const once = await createEngine({ workers: 2, workerUrl: crashingWorker('csv-once', true) });
    try {
      const rows = await collect(screenStability(csvCandidates(path), reference, { engine: once }));
      expect(rows.filter((r) => r.id !== 'marked-Li2O')).toEqual(sync.slice(0, 4000));
      expect(once.stats).toMatchObject({ failures: 1, retries: 1 });
    } finally {
      await once.close();
    }
    const always = await createEngine({ workers: 2, workerUrl: crashingWorker('csv-always', false) });
    try {
      const err = await collect(screenStability(csvCandidates(path), reference, { engine: always })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BatchFailedError);
      expect((err as Error).message).toMatch(new RegExp(`a chunk of CSV \\(${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} lines \\d+-\\d+\\) failed twice`));
      const errors: Error[] = [];
      const rows = await collect(screenStability(csvCandidates(path), reference, { engine: always, onError: (e) => errors.push(e) }));
      expect(errors.map((e) => e.name)).toEqual(['BatchFailedError']);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.length).toBeLessThan(4000);
    } finally {
      await always.close();
    }
  });

  it('fails to start with a clear error when the worker script cannot run', async () => {
    const bad = join(tmp, 'missing-worker.mjs');
    await expect(createEngine({ workers: 1, workerUrl: pathToFileURL(bad) })).rejects.toThrow(EngineError);
    await expect(createEngine({ workers: 0 })).rejects.toThrow(/workers must be an integer >= 1/);
  });

  it('rejects work after close()', async () => {
    const engine = await createEngine({ workers: 1 });
    const ref = engine.data(REFERENCE, reference);
    await engine.close();
    const batch = { systems: [String.fromCharCode(0)], counts: Int32Array.of(1), eForm: Float64Array.of(0.1), fracs: Float64Array.of(1) };
    await expect(engine.run(STABILITY_BATCH, batch, { data: ref })).rejects.toThrow(/closed/);
    await expect(collect(screenStability(reference.slice(0, 10), reference, { engine }))).rejects.toThrow(/closed/);
  });

  it('defaults to the available cores, and runs a throwaway engine for { workers }', async () => {
    const engine = await createEngine();
    expect(engine.size).toBe(availableParallelism());
    expect(engine.platform).toBe('node');
    await engine.close();
    const options: ScreenOptions = { workers: 1 };
    expect(await collect(screenStability(reference.slice(0, 500), reference, options))).toEqual(sync.slice(0, 500));
  });
});

describe('engine: browser adapter (Web Worker API, emulated over worker_threads)', () => {
  it('spawns module workers, talks Comlink to them, and reports a dead one', async () => {
    const { browserPlatform } = await import('../src/engine/platform-browser.js');
    const { nodePlatform } = await import('../src/engine/platform-node.js');
    const { wrap } = await import('comlink');
    const node = await nodePlatform();
    const made: Array<{ url: string; type: string | undefined }> = [];
    // What the adapter needs of `Worker`: postMessage, message/error events, terminate().
    class FakeWorker {
      private readonly h;
      private readonly errors: Array<(ev: Event) => void> = [];
      constructor(url: URL, opts?: { type?: string }) {
        made.push({ url: url.href, type: opts?.type });
        this.h = node.spawn(url);
        this.h.onFailure(() => this.errors.forEach((l) => l(new Event('error'))));
      }
      postMessage(m: unknown, t?: Transferable[]): void {
        this.h.endpoint.postMessage(m, t);
      }
      addEventListener(type: string, l: (ev: Event) => void): void {
        if (type === 'message') this.h.endpoint.addEventListener('message', l as EventListener);
        else if (type === 'error') this.errors.push(l);
      }
      removeEventListener(type: string, l: (ev: Event) => void): void {
        if (type === 'message') this.h.endpoint.removeEventListener('message', l as EventListener);
      }
      terminate(): void {
        void this.h.terminate();
      }
    }
    const saved = (globalThis as { Worker?: unknown }).Worker;
    (globalThis as { Worker?: unknown }).Worker = FakeWorker;
    try {
      const url = crashingWorker('browser', false);
      const handle = browserPlatform.spawn(url);
      expect(made).toEqual([{ url: url.href, type: 'module' }]);
      const remote = wrap<import('../src/engine/service.js').EngineService>(handle.endpoint);
      expect(await remote.ready()).toBe('ready');
      const failed = new Promise<Error>((resolve) => handle.onFailure(resolve));
      // Its next message carries the mark: the worker dies, the adapter says so.
      void remote.hasData(MARK);
      expect((await failed).message).toBe('worker error');
      await handle.terminate();
      expect(browserPlatform.defaultWorkers()).toBeGreaterThanOrEqual(1);
      expect(browserPlatform.defaultWorkerUrl().pathname).toMatch(/\/engine-worker\.js$/);
    } finally {
      (globalThis as { Worker?: unknown }).Worker = saved;
    }
  });
});
