// The browser bundle and the demo page, end to end in two browsers — headless Chromium (Debian
// `chromium`, driven by playwright-core) and Firefox (Debian `firefox-esr`, puppeteer-core over
// WebDriver BiDi), the same assertions in each (test/helpers/browsers.ts): the page's numbers
// against the Node API's, the first-result time, main-thread long tasks during a ~10 s job in the
// workers, cancellation, a dropped file, the inline (Blob worker + base64 WASM) mode and the
// synchronous API on the page's main thread. Needs `npm run build` (npm test does it) for
// dist/browser*.js and out/web/demo.js. Writes out/web-e2e-<browser>.png and
// out/web-e2e-metrics.json (per browser, with the bench jobs' times in the page and in Node, which
// `npm run bench` reports; nothing here asserts on those times), and prints both browsers' timings.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultEntries, interfaceReaction, PhaseDiagram, stabilityWindow, type Entry } from '../src/index.js';
import { availableBrowsers, type BrowserName, launchBrowser, type TestBrowser, type TestPage } from './helpers/browsers.js';

const root = new URL('../', import.meta.url);
const out = new URL('out/', root);
const BROWSERS = availableBrowsers();
/** Metrics of every browser run, written once at the end. */
const allMetrics: Partial<Record<BrowserName, Record<string, unknown>>> = {};
afterAll(() => {
  // Only a whole run's (a run filtered with -t would leave npm run bench a file without its jobs).
  const runs = Object.values(allMetrics);
  if (runs.length && runs.every((m) => m?.benchJobs)) writeFileSync(new URL('web-e2e-metrics.json', out), `${JSON.stringify(allMetrics, null, 2)}\n`);
});

/** The demo state the page exposes as globalThis.interphaseDemo (see src/web/demo.ts). */
interface DemoState {
  firstResultMs?: number;
  workerReadyMs?: number;
  runs: number;
  busy: boolean;
  error?: string;
  data?: { name: string; entries: number; embedded: boolean };
  window?: { formula: string; reductionV: number; oxidationV: number | null; stable: boolean; steps: Array<{ fromV: number; evolution: number; products: string[] }> };
  interface?: { kinks: Array<{ x: number; energyPerAtom: number; reaction: string }>; minimum: { x: number; energyPerAtom: number } };
  hull?: { hullFormationEnergy: number; decomposition: Array<{ formula: string; fraction: number }>; rows: unknown[] };
  screen?: { count: number; cancelled: boolean; ms: number; workers: number };
}

function system(entries: readonly Entry[], els: Iterable<string>): PhaseDiagram {
  const set = new Set(els);
  return new PhaseDiagram(
    entries.filter((e) => e.composition.elements.every((el) => set.has(el))),
    { elements: [...set].sort() },
  );
}

function nodeWindow(entries: readonly Entry[], formula: string, els: string[]) {
  const w = stabilityWindow(system(entries, els), formula, { element: 'Li' });
  return { reductionV: w.reduction.voltage, oxidationV: Number.isFinite(w.oxidation.voltage) ? w.oxidation.voltage : null, stable: w.stable, steps: w.profile.steps };
}

function expectWindow(got: DemoState['window'], want: ReturnType<typeof nodeWindow>): void {
  expect(got).toBeDefined();
  expect(got!.reductionV).toBeCloseTo(want.reductionV, 10);
  expect(got!.oxidationV).toBeCloseTo(want.oxidationV!, 10);
  expect(got!.stable).toBe(want.stable);
  expect(got!.steps.map((s) => s.products.join('+'))).toEqual(want.steps.map((s) => s.products.join('+')));
  got!.steps.forEach((s, i) => {
    expect(s.fromV).toBeCloseTo(want.steps[i]!.voltage, 10);
    expect(s.evolution).toBeCloseTo(want.steps[i]!.evolution, 10);
  });
}

describe.each(BROWSERS)('web: browser bundle and demo page in headless %s', (name) => {
  let server: Server;
  let base: string;
  let browser: TestBrowser;
  let entries: readonly Entry[];
  const foreign: string[] = [];
  const pageErrors: string[] = [];
  const metrics: Record<string, unknown> = {};
  allMetrics[name] = metrics;

  function newPage(): Promise<TestPage> {
    return browser.newPage(
      (u) => {
        if (!u.startsWith(base) && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
      },
      (e) => pageErrors.push(e),
    );
  }

  async function loadedPage(): Promise<TestPage> {
    const page = await newPage();
    await page.goto(base);
    await page.waitForFunction(() => {
      const s = (globalThis as unknown as { interphaseDemo?: DemoState }).interphaseDemo;
      return (s?.runs ?? 0) >= 1 || s?.error !== undefined;
    }, 30_000);
    return page;
  }

  const demo = (page: TestPage): Promise<DemoState> => page.evaluate(() => (globalThis as unknown as { interphaseDemo: DemoState }).interphaseDemo);

  beforeAll(async () => {
    for (const f of ['dist/browser.js', 'dist/browser-worker.js', 'dist/interphase.wasm', 'out/web/demo.js']) {
      if (!existsSync(new URL(f, root))) throw new Error(`${f} missing: run \`npm run build\` first`);
    }
    mkdirSync(out, { recursive: true });
    const { serve } = (await import(new URL('src/web/serve.mjs', root).href)) as { serve: (o: { port: number }) => Promise<{ server: Server; url: string }> };
    ({ server, url: base } = await serve({ port: 0 }));
    browser = await launchBrowser(name);
    metrics.browser = `${name} ${browser.version}`;
    entries = await defaultEntries();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  it('the bundle has no Node built-ins, and exports the Node API minus the file loaders', async () => {
    const files = readdirSync(new URL('dist/', root)).filter((f) => /^browser.*\.js$/.test(f));
    expect(files).toContain('browser.js');
    for (const f of files) {
      const src = readFileSync(new URL(`dist/${f}`, root), 'utf8');
      expect(src, f).not.toMatch(/\bfrom\s*['"]node:|import\(\s*['"]node:|\brequire\(/);
      expect(src, f).not.toMatch(/\bfrom\s*['"]comlink['"]/); // bundled: a static server resolves no bare specifiers
    }
    expect(readFileSync(new URL('dist/browser.js', root), 'utf8')).not.toContain('AGFzbQ'); // the WASM comes by URL
    // The embedded table is one asset (interphase-data.csv.gz), not gzip-as-base64 in each bundle;
    // the bundles are minified.
    expect(existsSync(new URL('dist/interphase-data.csv.gz', root))).toBe(true);
    for (const f of files) {
      const src = readFileSync(new URL(`dist/${f}`, root), 'utf8');
      expect(src, f).not.toContain('H4sI');
      // Minified: unminified the bundle is several times this. 290K: the facet walk of windows
      // (~10 KB) and the CSV screen's flat-row reader and formula cache (~5 KB) took it past 250K,
      // the systems' set-up moved into the kernel (+5 KB of WASM, base64 in the worker) past 280K.
      expect(src.length, f).toBeLessThan(290_000);
    }
    const node = await import('../src/index.js');
    const web = await import('../src/browser.js');
    const missing = Object.keys(node).filter((k) => !(k in web) && !['loadEntries', 'streamEntries', 'csvCandidates', 'candidatesOf'].includes(k));
    expect(missing).toEqual([]);
    for (const k of ['entriesFromFile', 'startWorker', 'createEngine', 'initWasm', 'wasmUrl']) expect(typeof (web as Record<string, unknown>)[k]).toBe('function');
  });

  it('first result within 1 s; Li3PS4 window, LiCoO2|Li3PS4 interface and hull equal Node’s; screenshot', async () => {
    const page = await loadedPage();
    const s = await demo(page);
    expect(s.error).toBeUndefined();
    metrics.firstResultMs = s.firstResultMs;
    metrics.workerReadyMs = s.workerReadyMs;
    console.log(`web-e2e [${name} ${browser.version}]: worker ready ${s.workerReadyMs?.toFixed(0)} ms, first result ${s.firstResultMs?.toFixed(0)} ms after navigation`);
    expect(s.firstResultMs).toBeLessThan(1000);
    expect(s.data).toMatchObject({ embedded: true, entries: entries.length });

    expectWindow(s.window, nodeWindow(entries, 'Li3PS4', ['Li', 'P', 'S']));
    const want = interfaceReaction('LiCoO2', 'Li3PS4', system(entries, ['Li', 'Co', 'O', 'P', 'S']));
    expect(s.interface!.kinks.length).toBe(want.kinks.length);
    s.interface!.kinks.forEach((k, i) => {
      expect(k.x).toBeCloseTo(want.kinks[i]!.x, 10);
      expect(k.energyPerAtom).toBeCloseTo(want.kinks[i]!.energyPerAtom, 10);
      expect(k.reaction).toBe(want.kinks[i]!.reaction);
    });
    expect(s.interface!.minimum.x).toBeCloseTo(want.minimum.x, 10);
    expect(s.interface!.minimum.energyPerAtom).toBeCloseTo(want.minimum.energyPerAtom, 10);
    const pd = system(entries, ['Li', 'P', 'S']);
    expect(s.hull!.hullFormationEnergy).toBeCloseTo(pd.hullFormationEnergyPerAtom('Li3PS4'), 10);
    expect(s.hull!.rows.length).toBe(pd.entries.length);

    // What the page shows (3 decimals), and the SVG plots are there.
    const w = nodeWindow(entries, 'Li3PS4', ['Li', 'P', 'S']);
    expect(await page.textContent('#window-range')).toBe(`${w.reductionV.toFixed(3)} – ${w.oxidationV!.toFixed(3)} V`);
    expect(await page.textContent('#iface-min')).toContain(`${want.minimum.energyPerAtom.toFixed(4)} eV/atom`);
    for (const id of ['#window-plot svg', '#iface-plot svg', '#hull-plot svg']) expect(await page.count(id)).toBe(1);
    await page.screenshot(new URL(`web-e2e-${name}.png`, out).pathname);

    // Keyboard: another formula, submitted with Enter.
    await page.focus('#formula');
    await page.fill('#formula', 'Li7P3S11');
    await page.press('Enter');
    await page.waitForFunction(() => (globalThis as unknown as { interphaseDemo: DemoState }).interphaseDemo.runs >= 2, 20_000);
    const s2 = await demo(page);
    expect(s2.window!.formula).toBe('Li7P3S11');
    expectWindow(s2.window, nodeWindow(entries, 'Li7P3S11', ['Li', 'P', 'S']));
    // aria-live regions announce the results.
    expect(await page.getAttribute('#window-summary', 'aria-live')).toBe('polite');
    await page.close();
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('a ~10 s screen in the workers leaves the main thread free (no long task > 100 ms), with progress', async () => {
    const page = await loadedPage();
    await page.evaluate(() => {
      const g = globalThis as unknown as { longTasks: number[]; gaps: number[]; progress: number[] };
      g.longTasks = [];
      g.gaps = [];
      g.progress = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) g.longTasks.push(e.duration);
      }).observe({ type: 'longtask' });
      // Heartbeat: the largest gap between 10 ms timers, and the progress bar's values.
      let last = performance.now();
      const tick = (): void => {
        const now = performance.now();
        g.gaps.push(now - last);
        last = now;
        const bar = document.getElementById('screen-progress') as HTMLProgressElement;
        if (g.progress[g.progress.length - 1] !== bar.value) g.progress.push(bar.value);
        if (!(globalThis as unknown as { interphaseDemo: DemoState }).interphaseDemo.screen) setTimeout(tick, 10);
      };
      setTimeout(tick, 10);
    });
    await page.fill('#count', '1500000');
    await page.fill('#workers', '2');
    const t0 = Date.now();
    await page.click('#screen-start');
    await page.waitForFunction(() => (globalThis as unknown as { interphaseDemo: DemoState }).interphaseDemo.screen !== undefined, 110_000);
    const wall = Date.now() - t0;
    const r = await page.evaluate(() => {
      const g = globalThis as unknown as { longTasks: number[]; gaps: number[]; progress: number[]; interphaseDemo: DemoState };
      return {
        longTasks: g.longTasks,
        longTaskApi: PerformanceObserver.supportedEntryTypes.includes('longtask'),
        maxGap: g.gaps.reduce((a, b) => Math.max(a, b), 0),
        progress: g.progress,
        screen: g.interphaseDemo.screen!,
        status: document.getElementById('screen-status')!.textContent,
      };
    });
    metrics.longJob = {
      candidates: r.screen.count,
      workers: r.screen.workers,
      jobMs: r.screen.ms,
      wallMs: wall,
      longTasks: r.longTaskApi ? r.longTasks : 'not measurable (no Long Tasks API in this browser)',
      maxLongTaskMs: r.longTaskApi ? r.longTasks.reduce((a, b) => Math.max(a, b), 0) : null,
      maxTimerGapMs: r.maxGap,
      progressUpdates: r.progress.length,
    };
    console.log(`web-e2e [${name}]: long job ${JSON.stringify(metrics.longJob)}`);
    expect(r.screen.cancelled).toBe(false);
    expect(r.screen.count).toBe(1_500_000);
    expect(r.status).toMatch(/^Screened 1,500,000 candidates/);
    expect(r.progress.length).toBeGreaterThan(3);
    expect(r.longTasks.filter((d) => d > 100)).toEqual([]);
    // Firefox has no Long Tasks API: there the page's 10 ms heartbeat stands in — its largest gap
    // is a blocked main thread plus timer slack (measured 22 ms in Firefox, 37 ms in Chromium).
    if (!r.longTaskApi) expect(r.maxGap).toBeLessThan(250);
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('a long job can be cancelled', async () => {
    const page = await loadedPage();
    await page.fill('#count', '5000000');
    await page.click('#screen-start');
    // Cancelled mid-run: once the first batch's progress shows (the job then has 5M rows to go).
    // Firefox once took over 30 s, 90 s and 120 s to get there: its nested engine workers had hung
    // the page's worker (now the page starts them; see the restart test below). Should the first
    // batch not come within 60 s, the job is cancelled anyway: cancelling works at any stage.
    const progressed = await page
      .waitForFunction(() => (document.getElementById('screen-progress') as HTMLProgressElement).value > 0, 60_000)
      .then(
        () => true,
        () => false,
      );
    if (!progressed) console.warn(`web-e2e [${name}]: no progress after 60 s (status ${JSON.stringify(await page.textContent('#screen-status'))}): cancelling before the first batch`);
    const t0 = Date.now();
    await page.click('#screen-cancel');
    await page.waitForFunction(() => (globalThis as unknown as { interphaseDemo: DemoState }).interphaseDemo.screen !== undefined, 10_000);
    metrics.cancelMs = Date.now() - t0;
    console.log(`web-e2e [${name}]: cancelled in ${metrics.cancelMs} ms${progressed ? '' : ' (before any progress)'}`);
    const s = await demo(page);
    expect(s.screen!.cancelled).toBe(true);
    expect(await page.textContent('#screen-status')).toMatch(/^Cancelled/);
    expect(await page.isDisabled('#screen-start')).toBe(false);
    await page.close();
  }, 180_000);

  it("the worker's engine restarted 30 times (1, 2, 1, … workers): every screen ends — its workers are the page's, not nested", async () => {
    // Firefox 153 blocked a worker's thread once it started workers of its own: with nested engine
    // workers this loop hung at job 3, 9, 10 and 18 in four runs (engine/worker-relay.ts).
    const page = await newPage();
    await page.goto(base);
    const r = (await page.evaluate(`(async () => {
      const m = await import('/dist/browser.js');
      const w = await m.startWorker();
      await w.api.useDefault();
      const counts = [];
      for (let i = 0; i < 30; i++) {
        const s = await Promise.race([w.api.screenJob(i, { count: 3000, workers: 1 + (i % 2), seed: i + 1 }), new Promise((r) => setTimeout(() => r(null), 20000))]);
        if (!s) return { counts, stalled: i };
        counts.push(s.count + '/' + s.workers);
      }
      w.terminate();
      return { counts, stalled: null };
    })()`)) as { counts: string[]; stalled: number | null };
    expect(r.stalled).toBeNull();
    expect(r.counts).toEqual(Array.from({ length: 30 }, (_, i) => `3000/${1 + (i % 2)}`));
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('a dropped (picked) gzipped CSV gives the same window as the embedded data', async () => {
    const page = await loadedPage();
    const set = new Set(['Li', 'P', 'S']);
    const rows = entries.filter((e) => e.composition.elements.every((el) => set.has(el))).map((e) => `${e.composition.formula.replace(/ /g, '')},${e.energyPerAtom},${e.id}`);
    const csv = gzipSync(`formula,e_form_per_atom,id\n${rows.join('\n')}\n`);
    await page.setInputFiles('#file', { name: 'li-p-s.csv.gz', buffer: csv });
    await page.waitForFunction(() => {
      const s = (globalThis as unknown as { interphaseDemo: DemoState }).interphaseDemo;
      return s.runs >= 2 && s.data?.embedded === false;
    }, 20_000);
    const s = await demo(page);
    expect(s.data).toMatchObject({ name: 'li-p-s.csv.gz', entries: rows.length, embedded: false });
    expectWindow(s.window, nodeWindow(entries, 'Li3PS4', ['Li', 'P', 'S']));
    // The electrode's elements are not in this file: the interface reports it, the rest stands.
    expect(await page.textContent('#calc-status')).toMatch(/interface: .*Co/);
    await page.close();
  });

  it("a dropped CSV of candidates is read by the engine's Web Workers: the same rows as from text", async () => {
    const page = await newPage();
    await page.goto(base);
    const r = (await page.evaluate(`(async () => {
      const m = await import('/dist/browser.js');
      await m.initWasm();
      const reference = await m.defaultEntries();
      const lines = ['formula,e_form_per_atom,id'];
      for (let i = 0; i < 6000; i++) {
        const e = reference[(i * 13) % reference.length];
        lines.push(e.id + ',' + (e.energyPerAtom + 0.01 * (i % 7)) + ',c' + i);
      }
      const text = lines.join('\\n') + '\\n';
      const gz = await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).blob();
      const file = new File([gz], 'cands.csv.gz');
      const engine = await m.createEngine({ workers: 2 });
      const collect = async (src) => { const out = []; for await (const row of m.screenStability(src, reference, { engine })) out.push(row); return out; };
      const fromFile = await collect(m.csvCandidatesFromFile(file));
      const fromText = m.screenStabilitySync(m.entriesFromCsv(text), reference);
      await engine.close();
      return { n: fromFile.length, same: JSON.stringify(fromFile) === JSON.stringify(fromText), below: fromFile.filter((x) => x.e_above_hull < -1e-9).length };
    })()`)) as { n: number; same: boolean; below: number };
    expect(r.n).toBe(6000);
    expect(r.same).toBe(true);
    expect(r.below).toBe(0);
    await page.close();
  });

  it('inline mode (Blob worker, base64 WASM) and the synchronous API on the main thread', async () => {
    const page = await newPage();
    await page.goto(base);
    // A string: vitest would rewrite an import() written in this file.
    const r = (await page.evaluate(`(async () => {
      const m = await import('/dist/browser.js');
      const w = await m.startWorker({ wasm: 'inline' });
      await w.api.useDefault();
      const inWorker = await w.api.window('Li3PS4', 'Li');
      const screened = await w.api.screenJob(1, { count: 2000, workers: 2, seed: 3 }); // the page starts the Blob worker twice more
      w.terminate();
      await m.initWasm();
      const all = await m.defaultEntries();
      const set = new Set(['Li', 'P', 'S']);
      const pd = new m.PhaseDiagram(all.filter((e) => e.composition.elements.every((el) => set.has(el))), { elements: ['Li', 'P', 'S'] });
      const sync = m.stabilityWindow(pd, 'Li3PS4', { element: 'Li' });
      return { worker: [inWorker.reductionV, inWorker.oxidationV], main: [sync.reduction.voltage, sync.oxidation.voltage], screened: [screened.count, screened.workers] };
    })()`)) as { worker: number[]; main: number[]; screened: number[] };
    expect(r.screened).toEqual([2000, 2]);
    const want = nodeWindow(entries, 'Li3PS4', ['Li', 'P', 'S']);
    for (const pair of [r.worker, r.main]) {
      expect(pair[0]).toBeCloseTo(want.reductionV, 10);
      expect(pair[1]).toBeCloseTo(want.oxidationV!, 10);
    }
    await page.close();
    expect(foreign).toEqual([]);
  });

  it('the bench jobs (bench/browser-jobs.mjs) in the page and in Node: same work, times recorded for npm run bench', async () => {
    const src = readFileSync(new URL('bench/browser-jobs.mjs', root), 'utf8').replace(/^export /m, '');
    type Jobs = { hull_entries: number; hull_ms: number; hull_warm_ms: number; windows: number; windows_ms: number };
    // Each pass in a fresh page with nothing else on it (a 404 document of the same origin, so that
    // /dist/ imports): as cold as Node's fresh process, and not competing with the demo's own run.
    const pageJobs = async (): Promise<Jobs> => {
      const page = await newPage();
      try {
        await page.goto(`${base}bench-blank`);
        // A string: vitest would rewrite an import() written in this file.
        return await page.evaluate<Jobs>(`(async () => { ${src}\n const m = await import('/dist/browser.js'); await m.initWasm(); return browserJobs(m, 21); })()`);
      } finally {
        await page.close();
      }
    };
    const nodeJobs = () =>
      JSON.parse(
        execFileSync(process.execPath, ['bench/jobs.mjs', 'hulljobs'], { cwd: fileURLToPath(root), encoding: 'utf8' })
          .trim()
          .split('\n')
          .pop()!,
      ) as Jobs;
    // Each side twice, alternating, the lower of its two times kept: the suite's other files load
    // the machine unevenly, and one pass each compared a busy moment with a quiet one.
    const lower = (a: Jobs, b: Jobs): Jobs => ({
      ...a,
      hull_ms: Math.min(a.hull_ms, b.hull_ms),
      hull_warm_ms: Math.min(a.hull_warm_ms, b.hull_warm_ms),
      windows_ms: Math.min(a.windows_ms, b.windows_ms),
    });
    const page1 = await pageJobs();
    const node1 = nodeJobs();
    const inPage = lower(page1, await pageJobs());
    const inNode = lower(node1, nodeJobs());
    expect(inPage.hull_entries).toBe(inNode.hull_entries);
    expect(inPage.windows).toBe(inNode.windows);
    expect(inPage.hull_warm_ms > 0 && inNode.hull_warm_ms > 0).toBe(true);
    metrics.benchJobs = { at: new Date().toISOString(), browser: inPage, node: inNode };
    console.log(
      `web-e2e [${name}]: bench jobs, browser vs Node: hull ${inPage.hull_ms.toFixed(2)} vs ${inNode.hull_ms.toFixed(2)} ms (warm ${inPage.hull_warm_ms.toFixed(2)} vs ${inNode.hull_warm_ms.toFixed(2)}), windows ${inPage.windows_ms.toFixed(0)} vs ${inNode.windows_ms.toFixed(0)} ms`,
    );
  }, 180_000);
});
