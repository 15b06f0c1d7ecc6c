#!/usr/bin/env node
// bench/hull: build + E_hull of every entry, interphase vs pymatgen, alternating in one run.
//   node bench/hull.mjs [--rounds N] [--only NAME] [--no-pymatgen] [--no-table]
// Needs `npm run build` (imports dist/). pymatgen runs as /usr/bin/python3 bench/pmg_hull.py;
// when it is absent its column is skipped and says so.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const DATA = here('../../shared/data/');
const PMG = here('./pmg_hull.py');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? dflt : args[i + 1];
};
const rounds = Number(opt('rounds', 5));
const only = opt('only', undefined);

const { loadEntries, PhaseDiagram, systemStabilities } = await import('../dist/index.js');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (s) => (s * 1000).toFixed(1);

// The table's child mode: one measurement of the whole 85k table in a fresh process, for peak RSS.
if (args.includes('--table-child')) {
  const t0 = performance.now();
  const entries = await loadEntries(`${DATA}mp-legacy-formation-energies.csv.gz`);
  const t1 = performance.now();
  let n = 0;
  let stable = 0;
  let checksum = 0;
  for (const r of systemStabilities(entries)) {
    n++;
    if (r.stable) stable++;
    checksum += r.signedHullDistance;
  }
  const t2 = performance.now();
  console.log(JSON.stringify({ rows: n, stable, load_s: (t1 - t0) / 1000, hull_s: (t2 - t1) / 1000, checksum, peak_rss_mb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

function pymatgenAvailable() {
  if (args.includes('--no-pymatgen') || !existsSync('/usr/bin/python3')) return false;
  const r = spawnSync('/usr/bin/python3', ['-c', 'import pymatgen.analysis.phase_diagram'], { stdio: 'ignore' });
  return r.status === 0;
}

function pymatgen(task, file, extra = []) {
  const out = execFileSync('/usr/bin/python3', [PMG, task, file, '--repeat', '1', ...extra], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split('\n').pop());
}

async function interphase(file) {
  const t0 = performance.now();
  const entries = await loadEntries(file);
  const t1 = performance.now();
  const pd = new PhaseDiagram(entries); // evaluates E_hull, decomposition, phase separation of every entry
  const rows = pd.analyze();
  const t2 = performance.now();
  const checksum = rows.reduce((s, r) => s + r.eAboveHull, 0);
  return { load: (t1 - t0) / 1000, hull: (t2 - t1) / 1000, n: rows.length, checksum };
}

const havePmg = pymatgenAvailable();
console.log(`bench/hull — ${os.cpus()[0]?.model ?? 'cpu'} (${os.cpus().length} cores), Node ${process.version}, ${new Date().toISOString()}`);
console.log(`rounds: ${rounds}, alternating interphase / pymatgen; times are medians; "hull" = build + E_hull of every entry (load excluded)`);
if (!havePmg) console.log('pymatgen: not available (/usr/bin/python3 with python3-pymatgen) — its columns are skipped');

const datasets = readdirSync(DATA)
  .filter((f) => f.endsWith('.json.gz') && (!only || f.includes(only)))
  .sort();
const header = ['dataset', 'entries', 'ip load', 'ip hull', 'pmg build', 'pmg e_hull', 'pmg hull', 'ratio'];
const rows = [];
for (const f of datasets) {
  const ip = [];
  const pm = [];
  await interphase(`${DATA}${f}`); // warm-up: WASM compile, JIT
  for (let r = 0; r < rounds; r++) {
    ip.push(await interphase(`${DATA}${f}`));
    if (havePmg) pm.push(pymatgen('hull', `${DATA}${f}`));
  }
  const ipHull = median(ip.map((x) => x.hull));
  const row = [f.replace('.json.gz', ''), String(ip[0].n), ms(median(ip.map((x) => x.load))), ms(ipHull)];
  if (havePmg) {
    const build = median(pm.map((x) => x.build_s[0]));
    const eh = median(pm.map((x) => x.ehull_s[0]));
    const tot = median(pm.map((x) => x.build_s[0] + x.ehull_s[0]));
    const dCheck = Math.abs(pm[0].checksum - ip[0].checksum);
    row.push(ms(build), ms(eh), ms(tot), `${(tot / ipHull).toFixed(0)}x${dCheck > 1e-4 * ip[0].n ? ' (checksum differs!)' : ''}`);
  } else row.push('-', '-', '-', '-');
  rows.push(row);
  console.log(row.join('\t'));
}
console.log(`\n${formatRows(header, rows)}(ms; ip = interphase, pmg = pymatgen; ratio = pmg hull / ip hull)`);

if (!args.includes('--no-table')) {
  console.log('\nWhole MP table (85,014 compositions, 89 elements): every signed hull distance in its own chemical system');
  const runs = [];
  for (let r = 0; r < Math.min(rounds, 3); r++) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--table-child'], { encoding: 'utf8' });
    runs.push(JSON.parse(out.trim().split('\n').pop()));
  }
  const hull = median(runs.map((x) => x.hull_s));
  const load = median(runs.map((x) => x.load_s));
  console.log(
    `interphase: ${runs[0].rows} rows (${runs[0].stable} stable), load ${load.toFixed(2)} s, hulls ${hull.toFixed(2)} s (median of ${runs.length} fresh processes), ${(runs[0].rows / hull).toFixed(0)} rows/s, peak RSS ${Math.max(...runs.map((x) => x.peak_rss_mb)).toFixed(0)} MB`,
  );
  if (havePmg) {
    const p = JSON.parse(
      execFileSync('/usr/bin/python3', [PMG, 'patched', `${DATA}mp-legacy-formation-energies.csv.gz`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26 })
        .trim()
        .split('\n')
        .pop(),
    );
    console.log(`pymatgen PatchedPhaseDiagram: ${JSON.stringify(p)}`);
    // pymatgen may have run on a subset (see bench/README.md): compare per row, and say so.
    const pmRows = p.n_rows ?? p.measured_rows;
    const pmTotal = p.extrapolated_total_s ?? null;
    if (pmTotal && pmRows) {
      const subset = pmRows < runs[0].rows ? ` on the first ${pmRows} rows of the table (build of their PatchedPhaseDiagram + every signed distance)` : '';
      console.log(`pymatgen: ${pmTotal.toFixed(1)} s${subset}, ${((1000 * pmTotal) / pmRows).toFixed(3)} ms/row, peak RSS ${p.peak_rss_mb.toFixed(0)} MB`);
      console.log(`interphase: ${((1000 * hull) / runs[0].rows).toFixed(4)} ms/row → per-row ratio ${(pmTotal / pmRows / (hull / runs[0].rows)).toFixed(0)}x`);
    }
  }
}

function formatRows(h, rs) {
  const w = h.map((x, i) => Math.max(x.length, ...rs.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return `${[line(h), line(w.map((x) => '-'.repeat(x))), ...rs.map(line)].join('\n')}\n`;
}
