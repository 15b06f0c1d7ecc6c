#!/usr/bin/env node
// bench/react: interface reactions, interphase vs pymatgen, alternating in one run.
//   node bench/react.mjs [--rounds N] [--no-pymatgen] [--no-full] [--no-matrix]
//                        [--pmg-matrix-every K] [--pmg-matrix-timeout S]
// Needs `npm run build` (imports dist/). pymatgen runs as a persistent /usr/bin/python3
// bench/pmg_react.py server, so each case is timed by interphase and then by pymatgen, round
// after round, in the same run.
//
// Part 1, the reference cases: every `interfaces` case of /work/shared/reference/*.json (use_hull_energy
//   False) and mp-legacy-ssb-cases.json (True). "reaction" = the interface reaction given the
//   closed phase diagram (for open cases the grand-potential hull at that voltage is part of it:
//   pymatgen builds a GrandPotentialPhaseDiagram); "full" = the closed diagram built as well.
//   Per case: median over rounds; the summary gives the median and geometric mean of the
//   per-case ratios and the ratio of the summed medians.
// Part 2, the matrix: 17 electrolytes × 12 electrodes on the 85k-row MP table, closed and open to
//   Li at 0, 2 and 4 V (use_hull_energy True), total time: (a) per pair, the chemical system of
//   A + B + Li cut out of the table and its PhaseDiagram (as `interphase react` does); (b) one
//   SystemIndex of the whole table; (c) one SystemIndex of the entries inside the pairs' systems.
//   pymatgen: per pair, cut + PhaseDiagram (+ a GrandPotentialPhaseDiagram per voltage), on all
//   pairs by default (--pmg-matrix-every K / a timeout: a sample, extrapolated and said so).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const DATA = here('../../shared/data/');
const REF = here('../../shared/reference/');
const TABLE = `${DATA}mp-legacy-formation-energies.csv.gz`;
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? dflt : args[i + 1];
};
const rounds = Number(opt('rounds', 7));
const pmgEvery = Number(opt('pmg-matrix-every', 1));
const pmgTimeout = Number(opt('pmg-matrix-timeout', 3600));

const { loadEntries, PhaseDiagram, SystemIndex, interfaceReaction } = await import('../dist/index.js');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const geomean = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
const pad = (s, n, right = true) => (right ? String(s).padStart(n) : String(s).padEnd(n));

// ---- pymatgen server ----
function pymatgenAvailable() {
  if (args.includes('--no-pymatgen') || !existsSync('/usr/bin/python3')) return false;
  return spawnSync('/usr/bin/python3', ['-c', 'import pymatgen.analysis.interface_reactions'], { stdio: 'ignore' }).status === 0;
}
function startPymatgen() {
  const child = spawn('/usr/bin/python3', [here('./pmg_react.py'), 'serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async ask(msg) {
      child.stdin.write(`${JSON.stringify(msg)}\n`);
      const { value, done } = await lines.next();
      if (done) throw new Error('pymatgen server exited');
      const r = JSON.parse(value);
      if (r.error) throw new Error(`pymatgen: ${r.error}`);
      return r;
    },
    async close() {
      await this.ask({ cmd: 'quit' });
      child.stdin.end();
    },
  };
}

// ---- the reference cases ----
const cases = [];
for (const f of readdirSync(REF)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const ref = JSON.parse(readFileSync(`${REF}${f}`, 'utf8'));
  if (Array.isArray(ref)) {
    for (const sys of ref) for (const c of sys.interfaces) cases.push({ system: sys.system, c1: c.c1, c2: c.c2, open: c.open, use_hull_energy: true, want: c.minimum });
  } else {
    const dataset = `${DATA}${f.replace(/\.json$/, '.json.gz')}`;
    for (const c of ref.interfaces ?? []) cases.push({ dataset, c1: c.c1, c2: c.c2, open: c.open, use_hull_energy: false, want: c.minimum });
  }
}
cases.forEach((c, i) => (c.id = i));

const havePmg = pymatgenAvailable();
console.log(`bench/react — ${os.cpus()[0]?.model ?? 'cpu'} (${os.cpus().length} cores), Node ${process.version}, ${new Date().toISOString()}`);
console.log(`${cases.length} reference cases, ${rounds} rounds, interphase then pymatgen per case and round; times are medians (ms per reaction)`);
if (!havePmg) console.log('pymatgen: not available (/usr/bin/python3 with python3-pymatgen) — its columns are skipped');

const t0 = performance.now();
const table = await loadEntries(TABLE);
const tableLoad = (performance.now() - t0) / 1000;
const sources = new Map();
const sourceOf = async (c) => {
  const key = c.dataset ?? c.system;
  if (!sources.has(key)) {
    let entries;
    if (c.dataset) entries = await loadEntries(c.dataset);
    else {
      const els = new Set(c.system.split('-'));
      entries = table.filter((e) => e.composition.elements.every((el) => els.has(el)));
    }
    sources.set(key, { entries, pd: new PhaseDiagram(entries) });
  }
  return sources.get(key);
};
const optionsOf = (c) => (c.open ? { useHullEnergy: c.use_hull_energy, open: { element: c.open[0], voltage: c.open[1] } } : { useHullEnergy: c.use_hull_energy });
for (const c of cases) {
  c.src = await sourceOf(c);
  const r = interfaceReaction(c.c1, c.c2, c.src.pd, optionsOf(c));
  if (Math.abs(r.minimum.energyPerAtom - c.want.energy_per_atom) > 1e-6) throw new Error(`case ${c.c1}|${c.c2}: minimum ${r.minimum.energyPerAtom} vs reference ${c.want.energy_per_atom}`);
  c.kinks = r.kinks.length;
}

/** Median-free timing of `reps` runs (ms per run). */
function timeJs(c, reps, full) {
  const o = optionsOf(c);
  const s = performance.now();
  for (let i = 0; i < reps; i++) interfaceReaction(c.c1, c.c2, full ? new PhaseDiagram(c.src.entries) : c.src.pd, o);
  return (performance.now() - s) / reps;
}
const repsFor = (msPerRun, budget = 40) => Math.max(1, Math.min(2000, Math.ceil(budget / Math.max(msPerRun, 1e-3))));

const pmg = havePmg ? startPymatgen() : undefined;
if (pmg) {
  const s = await pmg.ask({ cmd: 'setup', table: TABLE, cases: cases.map(({ id, dataset, system, c1, c2, open, use_hull_energy }) => ({ id, dataset, system, c1, c2, open, use_hull_energy })) });
  console.log(`pymatgen setup (load the datasets and the table, build ${sources.size} phase diagrams): ${s.setup_s.toFixed(1)} s; interphase: table load ${tableLoad.toFixed(2)} s`);
}

async function measure(full) {
  const nRounds = full ? Math.min(rounds, 3) : rounds;
  // Warm-up (V8 optimises the hot code after some calls; pymatgen has nothing comparable) and calibration.
  for (const c of cases) timeJs(c, full ? 2 : 20, full);
  for (const c of cases) {
    c.js = [];
    c.py = [];
    c.jsReps = repsFor(timeJs(c, 1, full));
    c.pyReps = undefined;
  }
  for (let r = 0; r < nRounds; r++) {
    for (const c of cases) {
      c.js.push(timeJs(c, c.jsReps, full));
      if (!pmg) continue;
      if (c.pyReps === undefined) {
        const first = await pmg.ask({ cmd: 'time', id: c.id, reps: 1, full });
        c.pyReps = repsFor(first.ms, full ? 1 : 100);
      }
      const p = await pmg.ask({ cmd: 'time', id: c.id, reps: c.pyReps, full });
      if (Math.abs(p.minimum[1] - c.want.energy_per_atom) > 1e-6) throw new Error(`pymatgen minimum ${p.minimum[1]} for ${c.c1}|${c.c2}`);
      c.py.push(p.ms);
    }
  }
  console.log(`\n${full ? 'full: closed PhaseDiagram + reaction' : 'reaction, given the closed phase diagram'} (${nRounds} rounds)`);
  console.log(`${pad('case', 44, false)} ${pad('kinks', 5)} ${pad('interphase', 11)} ${pad('pymatgen', 11)} ${pad('ratio', 8)}`);
  const ratios = [];
  let sumJs = 0;
  let sumPy = 0;
  for (const c of cases) {
    const js = median(c.js);
    const py = pmg ? median(c.py) : NaN;
    sumJs += js;
    sumPy += py;
    if (pmg) ratios.push(py / js);
    const name = `${c.c1}|${c.c2}${c.open ? ` ${c.open[0]}@${c.open[1]}V` : ''} [${(c.dataset ?? c.system).split('/').pop().replace('.json.gz', '')}]`;
    console.log(`${pad(name.slice(0, 44), 44, false)} ${pad(c.kinks, 5)} ${pad(js.toFixed(3), 11)} ${pad(pmg ? py.toFixed(2) : '-', 11)} ${pad(pmg ? `${(py / js).toFixed(0)}×` : '-', 8)}`);
  }
  if (pmg) {
    console.log(
      `summary ${full ? 'full' : 'reaction'}: per-case ratio median ${median(ratios).toFixed(0)}×, geometric mean ${geomean(ratios).toFixed(0)}×, min ${Math.min(...ratios).toFixed(0)}×; summed medians ${sumJs.toFixed(1)} ms vs ${sumPy.toFixed(1)} ms = ${(sumPy / sumJs).toFixed(0)}×`,
    );
  } else console.log(`summary: interphase summed medians ${sumJs.toFixed(1)} ms`);
}

await measure(false);
if (!args.includes('--no-full')) await measure(true);

// ---- the matrix ----
if (!args.includes('--no-matrix')) {
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
  const voltages = [0, 2, 4];
  const pairs = electrolytes.flatMap((el) => electrodes.map((ed) => [ed, el]));
  const pmgName = (f) =>
    f
      .replace('1/3', String(1 / 3))
      .replace('1/3', String(1 / 3))
      .replace('1/3', String(1 / 3));
  console.log(
    `\nmatrix: ${electrolytes.length} electrolytes × ${electrodes.length} electrodes = ${pairs.length} pairs on the MP table (${table.length} rows), closed + open to Li at ${voltages.join(', ')} V, use_hull_energy=True`,
  );

  const runPair = (pd, ed, el) => {
    const row = [interfaceReaction(ed, el, pd, { useHullEnergy: true }).minimum.energyPerAtom];
    for (const v of voltages) row.push(ed === 'Li' ? null : interfaceReaction(ed, el, pd, { useHullEnergy: true, open: { element: 'Li', voltage: v } }).minimum.energyPerAtom);
    return row;
  };
  // (a) per pair: cut the system out of the table, PhaseDiagram, the reactions (as `interphase react`).
  const ta = performance.now();
  const minima = new Map();
  let reactions = 0;
  for (const [ed, el] of pairs) {
    const els = new Set(['Li']);
    for (const f of [ed, el]) for (const m of f.matchAll(/[A-Z][a-z]?/g)) els.add(m[0]);
    const pd = new PhaseDiagram(table.filter((e) => e.composition.elements.every((x) => els.has(x))));
    const row = runPair(pd, ed, el);
    reactions += row.filter((v) => v !== null).length;
    minima.set(`${ed}|${el}`, row);
  }
  const tA = (performance.now() - ta) / 1000;
  // (b) one SystemIndex of the whole table, evaluated once, then every reaction on it.
  const tb = performance.now();
  const index = new SystemIndex(table);
  for (const _ of index.evaluate({ decompositions: false })) void _;
  const tIndex = (performance.now() - tb) / 1000;
  const tb2 = performance.now();
  let worst = 0;
  for (const [ed, el] of pairs) {
    const row = runPair(index, ed, el);
    row.forEach((v, i) => v !== null && (worst = Math.max(worst, Math.abs(v - minima.get(`${ed}|${el}`)[i]))));
  }
  const tB = (performance.now() - tb2) / 1000;
  // (c) one SystemIndex over the entries of every chemical system some pair needs, then the reactions.
  const tc = performance.now();
  const needed = new Set();
  for (const [ed, el] of pairs) {
    const els = [...new Set(['Li', ...[ed, el].flatMap((f) => [...f.matchAll(/[A-Z][a-z]?/g)].map((m) => m[0]))])].sort();
    for (let m = 1; m < 1 << els.length; m++) needed.add(els.filter((_, b) => m & (1 << b)).join('-'));
  }
  const union = table.filter((e) => needed.has(e.composition.chemicalSystem));
  const unionIndex = new SystemIndex(union);
  for (const _ of unionIndex.evaluate({ decompositions: false })) void _;
  const tUnion = (performance.now() - tc) / 1000;
  const tc2 = performance.now();
  for (const [ed, el] of pairs) {
    const row = runPair(unionIndex, ed, el);
    row.forEach((v, i) => v !== null && (worst = Math.max(worst, Math.abs(v - minima.get(`${ed}|${el}`)[i]))));
  }
  const tC = tUnion + (performance.now() - tc2) / 1000;
  console.log(
    `interphase (a) per pair: cut the system + PhaseDiagram + its reactions (as \`interphase react\`): ${tA.toFixed(2)} s for ${reactions} reactions (${((tA / pairs.length) * 1000).toFixed(1)} ms per pair)`,
  );
  console.log(`interphase (b) one SystemIndex of the whole table: evaluate ${tIndex.toFixed(2)} s + reactions ${tB.toFixed(2)} s = ${(tIndex + tB).toFixed(2)} s`);
  console.log(
    `interphase (c) one SystemIndex of the ${union.length} entries inside the pairs' systems: select + evaluate ${tUnion.toFixed(2)} s + reactions ${(tC - tUnion).toFixed(2)} s = ${tC.toFixed(2)} s`,
  );
  console.log(`(a), (b), (c) give the same minima within ${worst.toExponential(1)} eV/atom; table load (${tableLoad.toFixed(2)} s) excluded`);
  const short = (e) => e.replace('LiNi0.8Co0.15Al0.05O2', 'NCA').replace('LiNi1/3Mn1/3Co1/3O2', 'NMC111').replace('Li0.5CoO2', 'Li.5CoO2');
  ['closed', ...voltages.map((v) => `open to Li at ${v} V (per non-Li atom)`)].forEach((label, k) => {
    console.log(`\nminimum reaction energy, meV/atom — ${label}; rows electrolytes, columns electrodes`);
    console.log(`${pad('', 22, false)}${electrodes.map((e) => pad(short(e), 10)).join('')}`);
    for (const el of electrolytes) {
      const cells = electrodes.map((ed) => {
        const v = minima.get(`${ed}|${el}`)[k];
        return pad(v === null ? '–' : Math.round(v * 1000), 10);
      });
      console.log(`${pad(el, 22, false)}${cells.join('')}`);
    }
  });
  console.log('(– : the Li electrode is the reservoir itself when Li is open)');

  if (pmg) {
    const sample = pairs.filter((_, i) => i % pmgEvery === 0);
    console.log(`\npymatgen on ${pmgEvery === 1 ? 'every pair' : `every ${pmgEvery}th pair`} (${sample.length} pairs, timeout ${pmgTimeout} s), the same work per pair as (a):`);
    const r = await pmg.ask({ cmd: 'matrix', table: TABLE, pairs: sample.map(([a, b]) => [pmgName(a), pmgName(b)]), voltages, open: 'Li', timeout_s: pmgTimeout });
    let agree = 0;
    let compared = 0;
    r.minima.forEach((row, i) => {
      const mine = minima.get(`${sample[i][0]}|${sample[i][1]}`);
      row.forEach((v, k) => {
        if (v === null) return;
        compared++;
        if (Math.abs(v - mine[k]) <= 1e-6) agree++;
        else console.log(`  differs: ${sample[i][0]}|${sample[i][1]} #${k}: pymatgen ${v} vs ${mine[k]}`);
      });
    });
    const perPair = r.s / r.done;
    const ours = tA / pairs.length;
    console.log(
      `pymatgen: ${r.done} pairs in ${r.s.toFixed(1)} s (${perPair.toFixed(2)} s per pair, slowest ${Math.max(...r.per_pair_s).toFixed(1)} s); minima agree with interphase within 1e-6 eV/atom on ${agree}/${compared}`,
    );
    if (r.done === pairs.length) {
      console.log(
        `matrix total: pymatgen ${r.s.toFixed(1)} s vs interphase (c) ${tC.toFixed(2)} s = ${(r.s / tC).toFixed(0)}×, vs (a) ${tA.toFixed(2)} s = ${(r.s / tA).toFixed(0)}× (table loads excluded on both sides)`,
      );
    } else {
      console.log(
        `matrix total, pymatgen EXTRAPOLATED from ${r.done} of ${pairs.length} pairs: ~${((perPair * pairs.length) / 60).toFixed(0)} min vs interphase (c) ${tC.toFixed(2)} s, (a) ${tA.toFixed(2)} s measured (~${(perPair / ours).toFixed(0)}× per pair for (a))`,
      );
    }
  }
}
if (pmg) await pmg.close();
