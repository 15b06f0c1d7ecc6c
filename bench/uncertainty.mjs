#!/usr/bin/env node
// bench/uncertainty: Monte Carlo over uncertain energies, side by side with the deterministic run.
//   node bench/uncertainty.mjs [--rounds N] [--samples N] [--workers N]
// Needs `npm run build` (imports dist/). Medians over the rounds, each in this process after one
// warm-up; "cold" pool numbers include starting the workers and sending them the data.
//
// 1. P(stable) of every entry of the MP2020 8-element set (its correction uncertainties, shared per
//    name, plus σ = 0.01 eV/atom): the deterministic hull of every entry (hullReport), the sampled
//    one in this thread and on a pool of workers (cold: a fresh pool per round; warm: the same
//    pool again). Cost per sample relative to one deterministic evaluation.
// 2. Li3PS4's window bands (σ = 0.01 eV/atom) on the embedded data, cut to Li-P-S as the CLI
//    does: stabilityWindow vs sampledWindow (set-up included, and again on the same diagram).
// 3. LiCoO2 | Li3PS4 on the embedded data: interfaceReaction vs sampledInterfaceReaction.
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const DATA = here('../../shared/data/');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(args[i + 1]);
};
const rounds = opt('rounds', 5);
const samples = opt('samples', 1000);
const workers = opt('workers', 2);

const {
  createEngine,
  defaultEntries,
  hullReport,
  interfaceReaction,
  loadEntries,
  PhaseDiagram,
  sampledInterfaceReaction,
  sampledStabilities,
  sampledStabilitiesOnEngine,
  sampledWindow,
  stabilityWindow,
} = await import('../dist/index.js');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const time = async (f) => {
  const t = performance.now();
  const c = process.cpuUsage();
  const r = await f();
  const cpu = process.cpuUsage(c);
  return [performance.now() - t, r, (cpu.user + cpu.system) / 1000];
};
// Median wall time, the result, and the median CPU time of this process (all its threads): on a
// shared machine wall time above CPU time is time the cores spent on other work.
async function med(f) {
  await f(); // warm-up
  const ts = [];
  const cs = [];
  let last;
  for (let i = 0; i < rounds; i++) {
    const [t, r, c] = await time(f);
    ts.push(t);
    cs.push(c);
    last = r;
  }
  return [median(ts), last, median(cs)];
}
const f1 = (x) => x.toFixed(1);
const g2 = (x) => x.toPrecision(2);

console.log(`bench/uncertainty: ${samples} samples, ${rounds} rounds, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), load ${os.loadavg()[0].toFixed(2)}, Node ${process.version}`);

// 1. MP2020 8-element set.
const mp = await loadEntries(`${DATA}mp2020-C-Cl-K-Li-Mn-Na-O-Y.json.gz`);
const opts = { sigma: 0.01, samples, seed: 1 };
const [det, , detCpu] = await med(() => hullReport(mp));
const [here1, u, here1Cpu] = await med(() => sampledStabilities(mp, opts));
const unsure = u.entries.filter((e) => e.pStable.p > 0 && e.pStable.p < 1).length;
const cold = [];
for (let i = 0; i < rounds; i++) {
  const [t] = await time(async () => {
    const engine = await createEngine({ workers });
    try {
      return await sampledStabilitiesOnEngine(engine, { ...opts, data: mp });
    } finally {
      await engine.close();
    }
  });
  cold.push(t);
}
const engine = await createEngine({ workers });
const [warm, onPool, warmCpu] = await med(() => sampledStabilitiesOnEngine(engine, { ...opts, data: mp }));
await engine.close();
const same = JSON.stringify(onPool.entries) === JSON.stringify(u.entries);
console.log(`\nMP2020 8-element set (${mp.length} entries, shared errors: ${u.sharedErrors.length}, σ = ${opts.sigma}): P(stable) of every entry`);
console.log(`  deterministic hullReport:              ${f1(det)} ms (CPU ${f1(detCpu)} ms)`);
console.log(
  `  sampled, this thread:                  ${f1(here1)} ms (CPU ${f1(here1Cpu)} ms) = ${g2(here1Cpu / samples)} ms CPU per sample, ${g2(here1Cpu / samples / detCpu)}× one deterministic evaluation`,
);
console.log(`  sampled, ${workers} workers, cold (pool started): ${f1(median(cold))} ms`);
console.log(`  sampled, ${workers} workers, warm:              ${f1(warm)} ms (CPU of all threads ${f1(warmCpu)} ms; same answer as this thread: ${same})`);
console.log(`  ${unsure} entries with 0 < P(stable) < 1`);

// 2. Li3PS4 window on the embedded data (the CLI's cut to Li-P-S).
const embedded = await defaultEntries();
const cut = (els) => embedded.filter((e) => e.composition.elements.every((el) => els.includes(el)));
const lps = new PhaseDiagram(cut(['Li', 'P', 'S']), { elements: ['Li', 'P', 'S'] });
const [wDet, , wDetCpu] = await med(() => stabilityWindow(lps, 'Li3PS4'));
const [wFresh, , wFreshCpu] = await med(() => sampledWindow(new PhaseDiagram(cut(['Li', 'P', 'S']), { elements: ['Li', 'P', 'S'] }), 'Li3PS4', { sigma: 0.01, samples, seed: 1 }));
const [wKept, w, wKeptCpu] = await med(() => sampledWindow(lps, 'Li3PS4', { sigma: 0.01, samples, seed: 1 }));
console.log(`\nLi3PS4 window bands, embedded data cut to Li-P-S (${lps.entries.length} entries), σ = 0.01:`);
console.log(`  deterministic stabilityWindow:         ${f1(wDet)} ms (CPU ${f1(wDetCpu)} ms)`);
console.log(`  sampled (diagram + scope built too):   ${f1(wFresh)} ms (CPU ${f1(wFreshCpu)} ms)`);
console.log(`  sampled (same diagram again):          ${f1(wKept)} ms (CPU ${f1(wKeptCpu)} ms): ${g2(wKeptCpu / samples / wDetCpu)}× one deterministic window per sample`);
console.log(
  `  reduction ${w.reduction.distribution.q50.toFixed(3)} [${w.reduction.distribution.q05.toFixed(3)}, ${w.reduction.distribution.q95.toFixed(3)}] V ` +
    `(linear ±${w.reduction.linearSigma.toFixed(3)}), oxidation ${w.oxidation.distribution.q50.toFixed(3)} [${w.oxidation.distribution.q05.toFixed(3)}, ${w.oxidation.distribution.q95.toFixed(3)}] V (linear ±${w.oxidation.linearSigma.toFixed(3)})`,
);

// 3. LiCoO2 | Li3PS4 on the embedded data.
const els = ['Co', 'Li', 'O', 'P', 'S'];
const lco = new PhaseDiagram(cut(els), { elements: els });
const [rDet, , rDetCpu] = await med(() => interfaceReaction('LiCoO2', 'Li3PS4', lco));
const [rSam, r, rSamCpu] = await med(() => sampledInterfaceReaction('LiCoO2', 'Li3PS4', lco, { sigma: 0.01, samples, seed: 1 }));
console.log(`\nLiCoO2 | Li3PS4, embedded data cut to ${els.join('-')} (${lco.entries.length} entries), σ = 0.01:`);
console.log(`  deterministic interfaceReaction:       ${f1(rDet)} ms (CPU ${f1(rDetCpu)} ms)`);
console.log(`  sampled:                               ${f1(rSam)} ms (CPU ${f1(rSamCpu)} ms): ${g2(rSamCpu / samples / rDetCpu)}× one deterministic reaction per sample`);
console.log(`  minimum ${(1000 * r.minimum.q50).toFixed(0)} [${(1000 * r.minimum.q05).toFixed(0)}, ${(1000 * r.minimum.q95).toFixed(0)}] meV/atom`);
