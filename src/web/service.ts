/**
 * What the browser worker (dist/browser-worker.js) does, exposed over Comlink: the same
 * computations as the Node API (phase diagrams, stability windows, interface reactions, screens),
 * answering with plain data and the SVG plots the CLI draws, so the page's main thread only
 * inserts results. The worker also speaks the engine's protocol (ready / setReference / screen),
 * so `createEngine()` in browsers starts its pool on the same script.
 */
import { proxy, type ProxyMarked, type Remote } from 'comlink';
import { Composition, Entry } from '../core/index.js';
import { defaultEntries, DEFAULT_DATA_INFO } from '../io/index.js';
import { PhaseDiagram, stabilityWindow, windowPlotData } from '../thermo/index.js';
import { type UncertainResult, uncertain, type WebSamplingOptions } from './uncertainty.js';
import { createEngine, createPool, EngineService, relayedPlatform, type Engine, type JobProgress, type WorkerRelay, type WorkerRunResult } from '../engine/index.js';
import { SCREEN_JOBS } from '../screen/index.js';
import { interfaceReaction, parseReactant } from '../interface/index.js';
import { binaryHullSvg, reactionCurveSvg, ternaryHullSvg, voltageStaircaseSvg } from '../plot/index.js';
import { screenStability } from '../screen/index.js';
import { entriesFromFile } from '../io/index.js';

export type { DataInfo, HullResult, HullRow, InterfaceResult, ScreenJobOptions, ScreenSummary, WindowResult } from './results.js';
import type { DataInfo, HullResult, HullRow, InterfaceResult, ScreenJobOptions, ScreenSummary, WindowResult } from './results.js';

export type Progress = ((done: number, total: number | undefined) => void) & ProxyMarked;

/** A job cancelled through `cancel()`. */
export class CancelledError extends Error {
  override name = 'AbortError';
}

const MAX_DIAGRAMS = 8;

export class WebService {
  private readonly engineService = new EngineService(SCREEN_JOBS);
  private entries: readonly Entry[] | undefined;
  private info: DataInfo | undefined;
  private readonly diagrams = new Map<string, PhaseDiagram>();
  private readonly jobs = new Map<number, AbortController>();
  private engine: Promise<Engine> | undefined;
  private engineWorkers = 0;
  private relay: Remote<WorkerRelay> | undefined;

  constructor(private readonly wasmReady: Promise<void>) {}

  // --- the engine's worker protocol (see engine/service.ts) --------------------------------

  /** The page starts this worker's engine workers (`startWorker` sets it; see engine/worker-relay.ts). */
  useWorkerRelay(relay: WorkerRelay & ProxyMarked): void {
    this.relay = relay as unknown as Remote<WorkerRelay>; // what a proxy arrives as
  }

  async ready(): Promise<string> {
    await this.wasmReady;
    return this.engineService.ready();
  }
  setData(id: number, kind: string, wire: unknown): Promise<number> {
    return this.engineService.setData(id, kind, wire);
  }
  dropData(id: number): void {
    this.engineService.dropData(id);
  }
  hasData(id: number): boolean {
    return this.engineService.hasData(id);
  }
  run(name: string, dataId: number | null, args: unknown, known?: unknown, progress?: JobProgress): Promise<WorkerRunResult> {
    return this.engineService.run(name, dataId, args, known, progress);
  }

  // --- data ----------------------------------------------------------------------------------

  /** Uses the embedded Materials Project data. */
  async useDefault(): Promise<DataInfo> {
    await this.wasmReady;
    const t0 = performance.now();
    const entries = await defaultEntries();
    return this.useEntries(entries, DEFAULT_DATA_INFO.name, true, performance.now() - t0);
  }

  /** Uses a dropped or picked file (any format the Node loaders read, gzipped or not). */
  async useFile(file: Blob, name?: string, onProgress?: Progress): Promise<DataInfo> {
    await this.wasmReady;
    const t0 = performance.now();
    const source = name ?? ((file as Partial<File>).name || 'file');
    const entries = await entriesFromFile(file, { source, ...(onProgress ? { onProgress: (n: number) => onProgress(n, undefined) } : {}) });
    return this.useEntries(entries, source, false, performance.now() - t0);
  }

  dataInfo(): DataInfo | undefined {
    return this.info;
  }

  private useEntries(entries: readonly Entry[], name: string, embedded: boolean, loadMs: number): DataInfo {
    this.entries = entries;
    this.diagrams.clear();
    const els = new Set<string>();
    for (const e of entries) for (const el of e.composition.elements) els.add(el);
    this.info = { name, embedded, entries: entries.length, elements: [...els].sort(), loadMs };
    return this.info;
  }

  /** The phase diagram of a chemical system cut out of the data (cached). */
  private diagram(elements: Iterable<string>): PhaseDiagram {
    const entries = this.entries;
    if (!entries) throw new Error('no data loaded: call useDefault() or useFile() first');
    const els = [...new Set(elements)].sort();
    const key = els.join('-');
    let pd = this.diagrams.get(key);
    if (pd) {
      this.diagrams.delete(key);
      this.diagrams.set(key, pd);
      return pd;
    }
    const have = new Set(this.info!.elements);
    const missing = els.filter((el) => !have.has(el));
    if (missing.length) throw new Error(`${missing.join(', ')} ${missing.length > 1 ? 'do' : 'does'} not occur in ${this.info!.name}`);
    const set = new Set(els);
    const cut = entries.filter((e) => e.composition.elements.every((el) => set.has(el)));
    pd = new PhaseDiagram(cut, { elements: els });
    this.diagrams.set(key, pd);
    while (this.diagrams.size > MAX_DIAGRAMS) this.diagrams.delete(this.diagrams.keys().next().value!);
    return pd;
  }

  // --- computations --------------------------------------------------------------------------

  /** The hull of the formula's chemical system, its decomposition and the table of every entry. */
  hull(formula: string): HullResult {
    const t0 = performance.now();
    const comp = Composition.parse(formula.trim());
    const pd = this.diagram(comp.elements);
    const rows = pd.analyze().map(
      (r): HullRow => ({
        id: r.entry.id,
        formula: r.entry.composition.reducedFormula,
        eFormPerAtom: r.eFormPerAtom,
        eAboveHull: r.eAboveHull,
        stable: r.stable,
        decomposition: r.decomposition.map((p) => `${p.fraction.toFixed(3)} ${p.entry.composition.reducedFormula}`).join(' + '),
      }),
    );
    rows.sort((a, b) => a.eAboveHull - b.eAboveHull || a.eFormPerAtom - b.eFormPerAtom || a.formula.localeCompare(b.formula));
    const same = pd
      .analyze()
      .filter((r) => r.entry.composition.reducedFormula === comp.reducedFormula)
      .sort((a, b) => a.eFormPerAtom - b.eFormPerAtom)[0];
    const dec = pd.decomposition(comp);
    let svg: string | null = null;
    const title = `${pd.elements.join('–')} hull (${this.info!.name})`;
    if (pd.elements.length === 2) svg = binaryHullSvg(pd, { title, theme: 'light', id: 'hull-plot' });
    else if (pd.elements.length === 3) svg = ternaryHullSvg(pd, { title, theme: 'light', id: 'hull-plot' });
    return {
      formula: comp.reducedFormula,
      elements: [...pd.elements],
      hullFormationEnergy: pd.hullFormationEnergyPerAtom(comp),
      eAboveHull: same ? same.eAboveHull : null,
      stable: same?.stable ?? false,
      decomposition: dec.map((p) => ({ id: p.entry.id, formula: p.entry.composition.reducedFormula, fraction: p.fraction })),
      rows,
      svg,
      ms: performance.now() - t0,
    };
  }

  /** The electrochemical stability window of `formula` against `element` (default Li). */
  window(formula: string, element = 'Li'): WindowResult {
    const t0 = performance.now();
    const comp = Composition.parse(formula.trim());
    const pd = this.diagram([...comp.elements, element]);
    const w = stabilityWindow(pd, comp, { element });
    const fin = (v: number): number | null => (Number.isFinite(v) ? v : null);
    const steps = w.profile.steps;
    const svg = voltageStaircaseSvg(windowPlotData(w), { title: `${comp.reducedFormula}: stability window vs ${element}`, theme: 'light', id: 'window-plot' });
    return {
      formula: comp.reducedFormula,
      element,
      reductionV: w.reduction.voltage,
      oxidationV: fin(w.oxidation.voltage),
      stable: w.stable,
      eAboveHull: w.eAboveHull,
      phaseEquilibrium: w.phaseEquilibrium.map((p) => p.entry.composition.reducedFormula),
      reductionReaction: w.reduction.beyond ? w.reduction.beyond.reaction.toString() : null,
      oxidationReaction: w.oxidation.beyond ? w.oxidation.beyond.reaction.toString() : null,
      atZeroVolts: w.atZeroVolts.reaction.toString(),
      steps: steps.map((s, i) => ({
        fromV: s.voltage,
        toV: i + 1 < steps.length ? steps[i + 1]!.voltage : null,
        mu: s.mu,
        evolution: s.evolution,
        products: [...s.products],
        reaction: s.reaction.toString(),
      })),
      warnings: [...w.warnings],
      svg,
      ms: performance.now() - t0,
    };
  }

  /** The interface reaction x·a + (1−x)·b (closed system). */
  interface(a: string, b: string): InterfaceResult {
    const t0 = performance.now();
    const c1 = parseReactant(a.trim(), 'electrode');
    const c2 = parseReactant(b.trim(), 'electrolyte');
    const pd = this.diagram([...c1.elements, ...c2.elements]);
    const r = interfaceReaction(c1, c2, pd, { names: ['electrode', 'electrolyte'] });
    const svg = reactionCurveSvg(
      {
        c1: a.trim(),
        c2: b.trim(),
        kinks: r.kinks.map((k) => ({ x: k.x, energy: k.energyPerAtom, products: k.products.map((p) => p.formula) })),
        curve: { x: [...r.curve.x], energy: [...r.curve.energyPerAtom] },
      },
      { title: `Interface reaction ${a.trim()} | ${b.trim()}`, theme: 'light', id: 'reaction-plot' },
    );
    return {
      a: c1.reducedFormula,
      b: c2.reducedFormula,
      kinks: r.kinks.map((k) => ({ index: k.index, x: k.x, energyPerAtom: k.energyPerAtom, reaction: k.reaction, products: k.products.map((p) => p.formula) })),
      minimum: { x: r.minimum.x, energyPerAtom: r.minimum.energyPerAtom, reaction: r.minimum.kink.reaction },
      svg,
      ms: performance.now() - t0,
    };
  }

  /** `hull`, `window` or `interface` under uncertainty (see web/uncertainty.ts): args as for those. */
  uncertain(kind: 'hull' | 'window' | 'interface', args: string[], options: WebSamplingOptions = {}): UncertainResult {
    return uncertain(kind, args, options, (els) => this.diagram(els));
  }

  /**
   * A long job: screens `count` hypothetical candidates (the data's compounds over and over, their
   * energies perturbed) against the data on the engine's workers (the page's, engine/worker-relay.ts), reporting
   * progress; `cancel(jobId)` stops it.
   */
  async screenJob(jobId: number, options: ScreenJobOptions, onProgress?: Progress): Promise<ScreenSummary> {
    const entries = this.entries;
    if (!entries) throw new Error('no data loaded: call useDefault() or useFile() first');
    const ctl = new AbortController();
    this.jobs.set(jobId, ctl);
    const t0 = performance.now();
    const count = Math.max(0, Math.floor(options.count));
    const spread = options.spread ?? 0.05;
    const want = Math.max(1, Math.floor(options.workers ?? Math.min(4, navigator.hardwareConcurrency || 2)));
    try {
      if (!this.engine || this.engineWorkers !== want) {
        if (this.engine) await (await this.engine).close();
        this.engineWorkers = want;
        const options = { workers: want, workerUrl: new URL(self.location.href) };
        this.engine = this.relay ? createPool(relayedPlatform(this.relay), options) : createEngine(options);
        this.engine.catch(() => (this.engine = undefined));
      }
      // Cancelling while the workers start (workers can be slow to come up on a busy
      // machine) stops the job at once; the engine stays for the next job.
      const engine = await untilAborted(this.engine, ctl.signal);
      const bases = entries.filter((e) => !e.isElement);
      if (bases.length === 0) throw new Error('the data has no compounds to perturb');
      let rng = (options.seed ?? 1) >>> 0 || 1;
      const random = (): number => {
        // xorshift32
        rng ^= rng << 13;
        rng >>>= 0;
        rng ^= rng >>> 17;
        rng ^= rng << 5;
        rng >>>= 0;
        return rng / 0x100000000;
      };
      function* candidates(): Generator<Entry> {
        for (let i = 0; i < count; i++) {
          const base = bases[i % bases.length]!;
          const e = base.energyPerAtom + (2 * random() - 1) * spread;
          yield base.kind === 'formation'
            ? new Entry({ id: `hyp-${i}`, composition: base.composition, eFormPerAtom: e })
            : new Entry({ id: `hyp-${i}`, composition: base.composition, energy: e * base.composition.numAtoms });
        }
      }
      let below = 0;
      let n = 0;
      const best: ScreenSummary['best'] = [];
      let lastReport = 0;
      for await (const row of screenStability(candidates(), entries, {
        engine,
        signal: ctl.signal,
        total: count,
        ...(options.batchSize ? { batchSize: options.batchSize } : {}),
        onProgress: (done, total) => {
          const now = performance.now();
          if (onProgress && (now - lastReport > 50 || done === total)) {
            lastReport = now;
            onProgress(done, total);
          }
        },
      })) {
        n++;
        if (row.e_above_hull < 0) below++;
        if (best.length < 10 || row.e_above_hull < best[best.length - 1]!.eAboveHull) {
          best.push({ id: row.id, formula: row.formula, eAboveHull: row.e_above_hull });
          best.sort((x, y) => x.eAboveHull - y.eAboveHull);
          if (best.length > 10) best.pop();
        }
      }
      return { count: n, belowHull: below, best, workers: engine.size, ms: performance.now() - t0, cancelled: false };
    } catch (e) {
      if (ctl.signal.aborted) return { count: 0, belowHull: 0, best: [], workers: this.engineWorkers, ms: performance.now() - t0, cancelled: true };
      throw e;
    } finally {
      this.jobs.delete(jobId);
    }
  }

  /** Cancels a running screen job (batches already running finish in their worker and are discarded). */
  cancel(jobId: number): boolean {
    const ctl = this.jobs.get(jobId);
    ctl?.abort(new CancelledError('cancelled'));
    return ctl !== undefined;
  }

  async close(): Promise<void> {
    for (const c of this.jobs.values()) c.abort(new CancelledError('closed'));
    if (this.engine) await (await this.engine.catch(() => undefined))?.close();
    this.engine = undefined;
  }
}

export { proxy };

// The engine's worker protocol must be forwarded whole: a method EngineService gains and this
// class lacks fails the build here.
type MissingFromWebService = Exclude<keyof EngineService, keyof WebService>;
const protocolComplete: [MissingFromWebService] extends [never] ? true : MissingFromWebService = true;
void protocolComplete;

/** `p`, or a rejection with the signal's reason as soon as it is aborted. */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}
