// The jobs `npm run bench` compares between Node (bench/jobs.mjs hulljobs) and headless Chromium and
// Firefox (test/web-e2e.test.ts evaluates this file's text in the page): self-contained, no imports.
/**
 * The jobs compared between Node and the browsers, on the embedded data (which all have): the
 * PhaseDiagram of its Li-Fe-P-O system (median of `rounds` samples, each the mean of BLOCK builds;
 * and once warm) and the windows of its 3,422 Li compositions with the index (median of 3). The
 * same source text is evaluated in the page.
 */
export async function browserJobs(m, rounds) {
  // A build takes about 1 ms, and a page's clock is coarse (Chromium 0.1 ms, Firefox 1 ms without
  // cross-origin isolation): one build per sample read Firefox's clock ticks, not the build.
  const BLOCK = 5;
  const all = await m.defaultEntries();
  const set = new Set(['Li', 'Fe', 'P', 'O']);
  const sys = all.filter((e) => e.composition.elements.every((el) => set.has(el)));
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const hull = [];
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    for (let b = 0; b < BLOCK; b++) new m.PhaseDiagram(sys).analyze();
    hull.push((performance.now() - t) / BLOCK);
  }
  // The same builds once warm (the engines' tiers take their time: Chromium's first ~150 builds
  // vary most): 20 samples of 10 more, the median of the last 10.
  const warm = [];
  for (let r = 0; r < 20; r++) {
    const t = performance.now();
    for (let b = 0; b < 10; b++) new m.PhaseDiagram(sys).analyze();
    warm.push((performance.now() - t) / 10);
  }
  const li = all.filter((e) => e.composition.has('Li') && e.composition.elements.length > 1);
  const win = [];
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    const index = new m.SystemIndex(all);
    for (const _ of index.evaluate({ decompositions: false })) void _;
    for (const e of li) m.stabilityWindow(index, e.composition);
    win.push(performance.now() - t);
  }
  return { hull_entries: sys.length, hull_ms: med(hull), hull_warm_ms: med(warm.slice(10)), windows: li.length, windows_ms: med(win) };
}
