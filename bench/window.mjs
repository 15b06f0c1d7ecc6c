#!/usr/bin/env node
// bench/window: element profiles and stability windows, interphase vs pymatgen.
//   node bench/window.mjs [--rounds N] [--pmg-windows K] [--enumerate] [--no-pymatgen] [--no-profiles] [--no-windows] [--verbose]
// Needs `npm run build` (imports dist/). pymatgen runs as /usr/bin/python3 bench/pmg_window.py on
// the very same (composition, energy) pairs, sent on stdin.
//
// Part 1 — every element profile of the pymatgen references (/work/shared/reference): per round,
//   interphase (PhaseDiagram build, then elementProfile per composition) and pymatgen
//   (PhaseDiagram build, then get_element_profile) alternate; medians over the rounds.
// Part 2 — the stability window of every Li-containing composition of the 32-element subset of
//   the MP table: one SystemIndex over the subset (every chemical system's hull), then
//   stabilityWindow per composition. pymatgen on an evenly spaced sample of K compositions, each
//   on the PhaseDiagram of its chemical system (cut + build + get_element_profile), extrapolated.
//   --enumerate: also the second window method (complete reaction enumeration) on every one,
//   and the number of windows where the two methods differ by more than 1e-6 V.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const DATA = here('../../shared/data/');
const REF = here('../../shared/reference/');
const PMG = here('./pmg_window.py');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? dflt : args[i + 1];
};
const rounds = Number(opt('rounds', 5));
const pmgWindows = Number(opt('pmg-windows', 40));
const SUBSET = 'Li Na P S Cl Br I F O N B C Si Ge Sn Sb La Zr Ti Al Nb Ta Co Ni Mn Fe Y In Sc Ga Zn Hf'.split(' ');

const { loadEntries, PhaseDiagram, SystemIndex, elementProfile, stabilityWindow, enumerateDecompositionReactions } = await import('../dist/index.js');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (s) => (s * 1000).toFixed(2);

function pymatgenAvailable() {
  if (args.includes('--no-pymatgen') || !existsSync('/usr/bin/python3')) return false;
  return spawnSync('/usr/bin/python3', ['-c', 'import pymatgen.analysis.phase_diagram'], { stdio: 'ignore' }).status === 0;
}
const pymatgen = (task, input) =>
  JSON.parse(
    execFileSync('/usr/bin/python3', [PMG, task], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'], maxBuffer: 1 << 28 })
      .trim()
      .split('\n')
      .pop(),
  );

const havePmg = pymatgenAvailable();
console.log(`bench/window — ${os.cpus()[0]?.model ?? 'cpu'} (${os.cpus().length} cores), Node ${process.version}, ${new Date().toISOString()}`);
if (!havePmg) console.log('pymatgen: not available (/usr/bin/python3 with python3-pymatgen) — its columns are skipped');

// ---------------------------------------------------------------- the reference profiles
const t0 = performance.now();
const mp = await loadEntries(`${DATA}mp-legacy-formation-energies.csv.gz`);
console.log(`MP table loaded: ${mp.length} entries in ${((performance.now() - t0) / 1000).toFixed(2)} s (not timed below)`);
const cut = (els) => mp.filter((e) => e.composition.elements.every((el) => els.has(el)));

const groups = [];
for (const f of readdirSync(REF)
  .filter((x) => x.endsWith('.json'))
  .sort()) {
  const ref = JSON.parse(readFileSync(`${REF}${f}`, 'utf8'));
  if (Array.isArray(ref)) {
    for (const c of ref) {
      if (!c.profiles.length) continue;
      const els = new Set(c.system.split('-'));
      // The MP table has no elemental rows: the 0-eV references are added by PhaseDiagram; give
      // them to pymatgen too (as pmg_reference_chemsys.py does).
      const pd = new PhaseDiagram(cut(els), { elements: [...els] });
      groups.push({ name: `MP ${c.system}`, entries: pd.entries, profiles: c.profiles.map((p) => [p.composition, p.open_element]) });
    }
  } else if (ref.profiles?.length) {
    const entries = await loadEntries(`${DATA}${f.replace('.json', '.json.gz')}`);
    const pd = new PhaseDiagram(entries);
    groups.push({ name: f.replace('.json', ''), entries: pd.entries, profiles: ref.profiles.map((p) => [p.composition, p.open_element]) });
  }
}
const pmgInput = JSON.stringify({ groups: groups.map((g) => ({ name: g.name, entries: g.entries.map((e) => [e.composition.toDict(), e.energy]), profiles: g.profiles })) });

function interphaseRound() {
  const out = [];
  for (const g of groups) {
    const a = performance.now();
    const pd = new PhaseDiagram(g.entries);
    const build = (performance.now() - a) / 1000;
    for (const [formula, el] of g.profiles) {
      const b = performance.now();
      const prof = elementProfile(pd, formula, el);
      const dt = (performance.now() - b) / 1000;
      const checksum = prof.steps.reduce((s, p) => s + p.mu + p.evolution, 0);
      out.push({ group: g.name, composition: formula, element: el, build_s: build, profile_s: dt, steps: prof.steps.length, checksum });
    }
  }
  return out;
}

if (!args.includes('--no-profiles')) {
  console.log(
    `\nPart 1: the ${groups.reduce((s, g) => s + g.profiles.length, 0)} element profiles of the pymatgen references (${groups.length} diagrams), ${rounds} rounds alternating interphase / pymatgen, medians`,
  );
  interphaseRound(); // warm-up: WASM compile, JIT
  const ip = [];
  const pm = [];
  for (let r = 0; r < rounds; r++) {
    ip.push(interphaseRound());
    if (havePmg) pm.push(pymatgen('profiles', pmgInput).cases);
  }
  const header = ['diagram', 'composition', 'steps', 'ip build', 'ip profile', 'pmg build', 'pmg profile', 'ratio profile', 'ratio build+profile'];
  const rows = [];
  const tot = { ipb: 0, ipp: 0, pmb: 0, pmp: 0 };
  const seenBuild = new Set();
  ip[0].forEach((c, i) => {
    const ipb = median(ip.map((r) => r[i].build_s));
    const ipp = median(ip.map((r) => r[i].profile_s));
    const row = [c.group, `${c.composition} (${c.element})`, String(c.steps), ms(ipb), ms(ipp)];
    tot.ipp += ipp;
    if (!seenBuild.has(c.group)) tot.ipb += ipb;
    if (havePmg) {
      const pmb = median(pm.map((r) => r[i].build_s));
      const pmp = median(pm.map((r) => r[i].profile_s));
      tot.pmp += pmp;
      if (!seenBuild.has(c.group)) tot.pmb += pmb;
      const same = pm[0][i].steps === c.steps && Math.abs(pm[0][i].checksum - c.checksum) < 1e-6 * c.steps;
      row.push(ms(pmb), ms(pmp), `${(pmp / ipp).toFixed(1)}x`, `${((pmb + pmp) / (ipb + ipp)).toFixed(1)}x${same ? '' : ' (results differ!)'}`);
    } else row.push('-', '-', '-', '-');
    seenBuild.add(c.group);
    rows.push(row);
  });
  const totRow = ['total', `(each diagram built once)`, '', ms(tot.ipb), ms(tot.ipp)];
  if (havePmg) totRow.push(ms(tot.pmb), ms(tot.pmp), `${(tot.pmp / tot.ipp).toFixed(1)}x`, `${((tot.pmb + tot.pmp) / (tot.ipb + tot.ipp)).toFixed(1)}x`);
  else totRow.push('-', '-', '-', '-');
  rows.push(totRow);
  console.log(`${formatRows(header, rows)}(ms; ip = interphase, pmg = pymatgen; ratio = pymatgen time / interphase time; build = PhaseDiagram of the whole dataset / cut system)`);
}

// ---------------------------------------------------------------- windows over the MP subset
if (!args.includes('--no-windows')) {
  const subset = new Set(SUBSET);
  const sub = mp.filter((e) => e.composition.elements.every((el) => subset.has(el)));
  const li = sub.filter((e) => e.composition.has('Li') && e.composition.elements.length > 1);
  console.log(`\nPart 2: stability window vs Li of every Li-containing composition of the ${SUBSET.length}-element subset of the MP table (${sub.length} rows, ${li.length} with Li)`);
  const a = performance.now();
  const index = new SystemIndex(sub);
  for (const _ of index.evaluate({ decompositions: false }));
  const tIndex = (performance.now() - a) / 1000;
  const b = performance.now();
  const windows = li.map((e) => stabilityWindow(index, e.composition));
  const tWin = (performance.now() - b) / 1000;
  const stable = windows.filter((w) => w.stable).length;
  const byN = {};
  li.forEach((e) => (byN[e.composition.elements.length] = (byN[e.composition.elements.length] ?? 0) + 1));
  console.log(
    `interphase: index (hulls of every chemical system) ${tIndex.toFixed(2)} s; ${li.length} windows ${tWin.toFixed(2)} s = ${((tWin / li.length) * 1000).toFixed(3)} ms per window; total ${(tIndex + tWin).toFixed(2)} s = ${(((tIndex + tWin) / li.length) * 1000).toFixed(3)} ms per window (${stable} stable compositions; elements per composition: ${JSON.stringify(byN)})`,
  );
  if (args.includes('--enumerate')) {
    const c = performance.now();
    let differ = 0;
    let skipped = 0;
    let reactions = 0;
    li.forEach((e, i) => {
      try {
        const en = enumerateDecompositionReactions(index, e.composition, { maxReactions: 0, maxSubsets: 2e7 });
        reactions += en.reactionCount;
        const w = windows[i];
        const d = (x, y) => (x === y ? 0 : Math.abs(x - y));
        if (Math.max(d(w.reduction.voltage, en.reductionV), d(w.oxidation.voltage, en.oxidationV)) > 1e-6) differ++;
      } catch (err) {
        if (/maxSubsets/.test(String(err))) skipped++;
        else throw err;
      }
    });
    const tEn = (performance.now() - c) / 1000;
    console.log(
      `complete reaction enumeration (second method): ${li.length - skipped} windows in ${tEn.toFixed(2)} s (${reactions} reactions; ${skipped} skipped above 2e7 phase subsets); windows differing from the profile method by > 1e-6 V: ${differ}`,
    );
  }
  if (havePmg && pmgWindows > 0) {
    const k = Math.min(pmgWindows, li.length);
    const sample = Array.from({ length: k }, (_, i) => li[Math.floor((i * li.length) / k)]);
    const input = JSON.stringify({ table: sub.map((e) => [e.composition.toDict(), e.energy / e.composition.numAtoms]), compositions: sample.map((e) => e.composition.formula) });
    const p = pymatgen('windows', input);
    const per = p.total_s / p.n;
    let agree = 0;
    p.windows.forEach(([f, red, ox], i) => {
      const w = windows[li.indexOf(sample[i])];
      const okOx = ox === null ? w.oxidation.voltage === Infinity : Math.abs(ox - w.oxidation.voltage) < 1e-6;
      if (red !== null && Math.abs(red - w.reduction.voltage) < 1e-6 && okOx) agree++;
      else if (args.includes('--verbose')) console.log(`  differs: ${f}: pymatgen ${red}–${ox} V, interphase ${w.reduction.voltage}–${w.oxidation.voltage} V`);
    });
    console.log(
      `pymatgen: ${p.n} sampled windows (cut + PhaseDiagram + get_element_profile each) ${p.total_s.toFixed(2)} s = ${(per * 1000).toFixed(1)} ms per window (median ${(median(p.times_s) * 1000).toFixed(1)} ms); extrapolated to all ${li.length}: ${(per * li.length).toFixed(0)} s; windows equal to interphase's: ${agree}/${p.n}`,
    );
    console.log(`ratio per window (pymatgen sample mean / interphase amortised total): ${(per / ((tIndex + tWin) / li.length)).toFixed(0)}x`);
  }
}

function formatRows(h, rs) {
  const w = h.map((x, i) => Math.max(x.length, ...rs.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i <= 1 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return `${[line(h), line(w.map((x) => '-'.repeat(x))), ...rs.map(line)].join('\n')}\n`;
}
