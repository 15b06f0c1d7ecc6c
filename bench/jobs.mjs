#!/usr/bin/env node
// bench/jobs: the measured jobs of `npm run bench` (bench/all.mjs), each run in a fresh process and
// printing one JSON line: `node bench/jobs.mjs JOB [options]`. Kept apart from all.mjs so that every
// figure comes from a process that did nothing else (cold start, peak RSS).
//   cold               import, load alexandria-Li-P-S, then the first PhaseDiagram (build + E_hull)
//   windows [--rounds N]   SystemIndex of the embedded data + the Li window of each of its Li compositions
//   matrix [--rounds N]    17 electrolytes × 12 electrodes on the MP table, closed and open to Li at 0/2/4 V
//   hulljobs [--rounds N]  the browser comparison's jobs in Node (see test/web-e2e.test.ts)
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { browserJobs } from './browser-jobs.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const DATA = here('../../shared/data/');
const [job, ...args] = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? dflt : args[i + 1];
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const print = (o) => console.log(JSON.stringify({ ...o, peak_rss_mb: process.resourceUsage().maxRSS / 1024, loadavg: os.loadavg()[0] }));

if (job === 'cold') {
  const t0 = performance.now();
  const ip = await import('../dist/index.js');
  const t1 = performance.now();
  const entries = await ip.loadEntries(`${DATA}alexandria-Li-P-S.json.gz`);
  const t2 = performance.now();
  const rows = new ip.PhaseDiagram(entries).analyze();
  const t3 = performance.now();
  print({ job, import_ms: t1 - t0, load_ms: t2 - t1, first_hull_ms: t3 - t2, rows: rows.length });
} else if (job === 'windows') {
  const { defaultEntries, SystemIndex, stabilityWindow } = await import('../dist/index.js');
  const entries = await defaultEntries();
  const li = entries.filter((e) => e.composition.has('Li') && e.composition.elements.length > 1);
  const runs = [];
  let checksum = 0;
  for (let r = 0; r < Number(opt('rounds', 3)); r++) {
    const t0 = performance.now();
    const index = new SystemIndex(entries);
    for (const _ of index.evaluate({ decompositions: false })) void _;
    const t1 = performance.now();
    checksum = 0;
    for (const e of li) {
      const w = stabilityWindow(index, e.composition);
      checksum += w.reduction.voltage + (w.oxidation.voltage ?? 0);
    }
    runs.push({ index_s: (t1 - t0) / 1000, windows_s: (performance.now() - t1) / 1000 });
  }
  print({ job, windows: li.length, index_s: median(runs.map((x) => x.index_s)), windows_s: median(runs.map((x) => x.windows_s)), total_s: median(runs.map((x) => x.index_s + x.windows_s)), checksum });
} else if (job === 'matrix') {
  const { interfaceReaction, loadEntries, SystemIndex } = await import('../dist/index.js');
  const table = await loadEntries(`${DATA}mp-legacy-formation-energies.csv.gz`);
  const electrolytes = [
    'Li3PS4',
    'Li7P3S11',
    'Li6PS5Cl',
    'Li6PS5Br',
    'Li10GeP2S12',
    'Li7La3Zr2O12',
    'LiTi2(PO4)3',
    'Li1.3Al0.3Ti1.7(PO4)3',
    'Li0.33La0.56TiO3',
    'Li2PO2N',
    'Li3InCl6',
    'Li3N',
    'LiF',
    'LiCl',
    'Li2S',
    'Li3PO4',
    'Na3PS4',
  ];
  const electrodes = ['Li', 'LiCoO2', 'Li0.5CoO2', 'LiNiO2', 'LiNi0.8Co0.15Al0.05O2', 'LiNi1/3Mn1/3Co1/3O2', 'LiMn2O4', 'LiFePO4', 'Li4Ti5O12', 'Si', 'In', 'LiIn'];
  const pairs = electrolytes.flatMap((el) => electrodes.map((ed) => [ed, el]));
  const runs = [];
  let reactions = 0;
  let checksum = 0;
  for (let r = 0; r < Number(opt('rounds', 3)); r++) {
    // One SystemIndex over the entries of every chemical system a pair needs, then every reaction.
    const t0 = performance.now();
    const needed = new Set();
    for (const [ed, el] of pairs) {
      const els = [...new Set(['Li', ...[ed, el].flatMap((f) => [...f.matchAll(/[A-Z][a-z]?/g)].map((m) => m[0]))])].sort();
      for (let m = 1; m < 1 << els.length; m++) needed.add(els.filter((_, b) => m & (1 << b)).join('-'));
    }
    const index = new SystemIndex(table.filter((e) => needed.has(e.composition.chemicalSystem)));
    for (const _ of index.evaluate({ decompositions: false })) void _;
    const t1 = performance.now();
    reactions = 0;
    checksum = 0;
    for (const [ed, el] of pairs) {
      checksum += interfaceReaction(ed, el, index, { useHullEnergy: true }).minimum.energyPerAtom;
      reactions++;
      if (ed === 'Li') continue;
      for (const v of [0, 2, 4]) {
        checksum += interfaceReaction(ed, el, index, { useHullEnergy: true, open: { element: 'Li', voltage: v } }).minimum.energyPerAtom;
        reactions++;
      }
    }
    runs.push({ index_s: (t1 - t0) / 1000, reactions_s: (performance.now() - t1) / 1000 });
  }
  print({ job, reactions, index_s: median(runs.map((x) => x.index_s)), reactions_s: median(runs.map((x) => x.reactions_s)), total_s: median(runs.map((x) => x.index_s + x.reactions_s)), checksum });
} else if (job === 'hulljobs') {
  // The browser comparison (test/web-e2e.test.ts runs the same two jobs in Chromium).
  const ip = await import('../dist/index.js');
  print({ job, ...(await browserJobs(ip, Number(opt('rounds', 21)))) });
} else {
  console.error('usage: node bench/jobs.mjs cold|windows|matrix|hulljobs [--rounds N]');
  process.exit(2);
}
