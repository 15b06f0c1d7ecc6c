#!/usr/bin/env node
// bench/screen: `screen stability` of the whole MP table (85,014 compositions, 84 elements) as
// candidates against itself (the reference), in this thread and on engines of 1 and 2 workers;
// then `screen coatings` over the embedded data's Li compounds, the same ways.
//   node bench/screen.mjs [--workers 0,1,2] [--paths csv,entries] [--rounds N] [--file CSV_GZ] [--batch N] [--stream ROWS] [--no-coatings] [--pymatgen]
// Two ways in: `csv` = csvCandidates(file) (the workers read the lines: what `interphase screen
// stability FILE.csv` does) and `entries` = streamEntries(file) (the main thread parses).
// Needs `npm run build` (imports dist/). Each measurement runs in a fresh process (peak RSS is
// the process's: main thread + workers). Columns:
//   load ref s   loadEntries(reference file) — not part of the screen
//   screen s     createEngine excluded; screenStability(csvCandidates or streamEntries, reference)
//                consumed to the end: reading and parsing the candidates, packing the reference
//                and sending it to the workers, the reference's stabilities, every candidate's
//                E_hull and decomposition, the result rows (no output formatting)
//   first row s  time to the first row (reference packed, first window screened)
//   rows/s       candidates / screen s (wall clock; rows/s/worker = that / workers)
//   warm s       the same screen again in the same process: engine and reference ready, the
//                reference's stabilities known (what a long screen against one reference runs at)
//   main CPU s, other CPU s   CPU time of the main thread, and of all other threads (workers,
//                GC helpers, libuv), from /proc/self/task (Linux)
//   worker CPU s the `workers` busiest non-main threads: the workers' own CPU time
//   rows/worker-CPU-s   candidates per CPU second of one worker (robust on a loaded machine)
//   worker busy s       wall time the workers spent inside batches (engine.stats.busyMs)
// The main thread reads, parses, packs and assembles; the workers solve. On a loaded or 2-core
// machine the wall-clock numbers mostly measure contention: read the CPU columns and load avg.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? dflt : args[i + 1];
};
const FILE = opt('file', here('../../shared/data/mp-legacy-formation-energies.csv.gz'));

// Streaming check: N candidate rows (the embedded table's rows, energies shifted, repeated) in a
// gzipped CSV in the temp directory, screened against the embedded data: rows/s and peak RSS
// stay flat however many rows stream through.
if (args.includes('--stream-child')) {
  const n = Number(opt('rows', '1000000'));
  const workers = Number(opt('workers', '2'));
  const { createEngine, csvCandidates, defaultEntries, screenStability, streamEntries } = await import('../dist/index.js');
  const reference = await defaultEntries();
  const file = opt('file', undefined) ?? streamFile(n);
  const engine = workers > 0 ? await createEngine({ workers }) : undefined;
  const t0 = performance.now();
  let rows = 0;
  let rssMax = 0;
  const source = opt('path', 'csv') === 'csv' ? csvCandidates(file) : streamEntries(file);
  for await (const r of screenStability(source, reference, engine ? { engine } : {})) {
    if (++rows % 50000 === 0) rssMax = Math.max(rssMax, process.memoryUsage.rss());
    if (r.e_above_hull < -1) throw new Error('unexpected');
  }
  const secs = (performance.now() - t0) / 1000;
  await engine?.close();
  console.log(JSON.stringify({ workers, path: opt('path', 'csv'), rows, screen_s: secs, rows_per_s: rows / secs, peak_rss_mb: process.resourceUsage().maxRSS / 1024, loadavg: os.loadavg()[0] }));
  process.exit(0);
}

// `screen coatings` over every Li compound of the embedded data within E_hull (the default
// criteria): in this thread (index built here) or on an engine of N workers (each indexes the data
// itself). Wall time from start to the ranked result; engine start-up reported apart.
if (args.includes('--coatings-child')) {
  const workers = Number(opt('workers', '0'));
  const { createEngine, screenCoatings, screenCoatingsOnEngine, screenData } = await import('../dist/index.js');
  const t0 = performance.now();
  const engine = workers > 0 ? await createEngine({ workers }) : undefined;
  const t1 = performance.now();
  const r = engine ? await screenCoatingsOnEngine(engine) : screenCoatings(await screenData());
  const t2 = performance.now();
  const again = engine ? await screenCoatingsOnEngine(engine) : screenCoatings(await screenData());
  const t3 = performance.now();
  if (JSON.stringify(again.rows) !== JSON.stringify(r.rows)) throw new Error('second coating screen differs');
  await engine?.close();
  const top = r.rows
    .slice(0, 3)
    .map((x) => x.formula)
    .join(' ');
  console.log(
    JSON.stringify({
      workers,
      candidates: r.candidates,
      passing: r.rows.filter((x) => x.pass_all).length,
      top,
      start_s: (t1 - t0) / 1000,
      screen_s: (t2 - t1) / 1000,
      warm_s: (t3 - t2) / 1000,
      peak_rss_mb: process.resourceUsage().maxRSS / 1024,
      loadavg: os.loadavg()[0],
    }),
  );
  process.exit(0);
}

if (args.includes('--child')) {
  const workers = Number(opt('workers', '1'));
  const batch = opt('batch', undefined);
  const { createEngine, csvCandidates, loadEntries, screenStability, streamEntries } = await import('../dist/index.js');
  const t0 = performance.now();
  const reference = await loadEntries(FILE);
  const t1 = performance.now();
  const cpu0 = threadCpu();
  const engine = workers > 0 ? await createEngine({ workers }) : undefined;
  let rows = 0;
  let below = 0;
  let checksum = 0;
  let phases = 0;
  const options = { ...(engine ? { engine } : {}), ...(batch ? { batchSize: Number(batch) } : {}) };
  let first;
  for await (const r of screenStability(opt('path', 'csv') === 'csv' ? csvCandidates(FILE) : streamEntries(FILE), reference, options)) {
    first ??= performance.now();
    rows++;
    if (r.e_above_hull < 0) below++;
    checksum += r.e_above_hull;
    for (const _k in r.decomposition) phases++;
  }
  const t2 = performance.now();
  const cpu1 = threadCpu();
  const busy = engine ? engine.stats.busyMs / 1000 : undefined;
  // The same screen again on the warm engine (reference packed, sent, its stabilities known):
  // the throughput of a long screen against one reference, without its one-time preparation.
  let again = 0;
  const t3 = performance.now();
  for await (const r of screenStability(opt('path', 'csv') === 'csv' ? csvCandidates(FILE) : streamEntries(FILE), reference, options)) again += r.e_above_hull < -1 ? 0 : 1;
  const t4 = performance.now();
  if (again !== rows) throw new Error(`second screen: ${again} rows, first ${rows}`);
  await engine?.close();
  // The worker threads: the `workers` busiest threads besides the main one.
  const perThread =
    cpu0 && cpu1
      ? Object.entries(cpu1.threads)
          .filter(([t]) => Number(t) !== process.pid)
          .map(([t, v]) => v - (cpu0.threads[t] ?? 0))
          .sort((a, b) => b - a)
      : [];
  const cpu = cpu0 && cpu1 ? { main_cpu_s: cpu1.main - cpu0.main, other_cpu_s: cpu1.other - cpu0.other, workers_cpu_s: perThread.slice(0, workers).reduce((a, b) => a + b, 0) } : {};
  console.log(
    JSON.stringify({
      workers,
      rows,
      below,
      phases,
      checksum,
      load_ref_s: (t1 - t0) / 1000,
      screen_s: (t2 - t1) / 1000,
      first_row_s: (first - t1) / 1000,
      rows_per_s: rows / ((t2 - t1) / 1000),
      warm_screen_s: (t4 - t3) / 1000,
      worker_busy_s: busy,
      ...cpu,
      peak_rss_mb: process.resourceUsage().maxRSS / 1024,
      loadavg: os.loadavg()[0],
    }),
  );
  process.exit(0);
}

/**
 * CPU seconds of this process's main thread and of all its other threads (workers, GC helpers,
 * libuv), from /proc (Linux; undefined elsewhere). Threads that ended are not counted.
 */
function threadCpu() {
  try {
    const tick = 100; // USER_HZ
    let main = 0;
    let other = 0;
    const threads = {};
    for (const t of readdirSync('/proc/self/task')) {
      const st = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      const secs = (Number(f[11]) + Number(f[12])) / tick;
      if (Number(t) === process.pid) main += secs;
      else other += secs;
      threads[t] = secs;
    }
    return { main, other, threads };
  } catch {
    return undefined;
  }
}

const list = opt('workers', '0,1,2').split(',').map(Number);
const paths = opt('paths', 'csv,entries').split(',');
const rounds = Number(opt('rounds', 3));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
console.log(`bench/screen — ${os.cpus()[0]?.model ?? 'cpu'} (${os.cpus().length} cores, availableParallelism ${os.availableParallelism()}), Node ${process.version}, ${new Date().toISOString()}`);
console.log(`candidates = reference = ${FILE}; ${rounds} fresh processes per configuration, medians (peak RSS: max)`);
const results = [];
for (const path of paths)
  for (const w of list) {
    const runs = [];
    for (let r = 0; r < rounds; r++) {
      const out = execFileSync(
        process.execPath,
        [fileURLToPath(import.meta.url), '--child', '--workers', String(w), '--path', path, '--file', FILE, ...(opt('batch') ? ['--batch', opt('batch')] : [])],
        { encoding: 'utf8', maxBuffer: 1 << 24 },
      );
      runs.push(JSON.parse(out.trim().split('\n').pop()));
    }
    const screen = median(runs.map((x) => x.screen_s));
    const res = {
      path,
      workers: w === 0 ? 'in-thread' : w,
      rows: runs[0].rows,
      'below hull': runs[0].below,
      'load ref s': median(runs.map((x) => x.load_ref_s)).toFixed(2),
      'screen s': screen.toFixed(2),
      'first row s': median(runs.map((x) => x.first_row_s)).toFixed(2),
      'rows/s': Math.round(runs[0].rows / screen),
      'rows/s/worker': w === 0 ? '-' : Math.round(runs[0].rows / screen / w),
      'warm s': median(runs.map((x) => x.warm_screen_s)).toFixed(2),
      'warm rows/s/worker': Math.round(runs[0].rows / median(runs.map((x) => x.warm_screen_s)) / Math.max(1, w)),
      'main CPU s': runs[0].main_cpu_s === undefined ? '-' : median(runs.map((x) => x.main_cpu_s)).toFixed(2),
      'other CPU s': runs[0].other_cpu_s === undefined ? '-' : median(runs.map((x) => x.other_cpu_s)).toFixed(2),
      'worker CPU s': w === 0 || runs[0].workers_cpu_s === undefined ? '-' : median(runs.map((x) => x.workers_cpu_s)).toFixed(2),
      'rows/worker-CPU-s': w === 0 || runs[0].workers_cpu_s === undefined ? '-' : Math.round(runs[0].rows / (median(runs.map((x) => x.workers_cpu_s)) / w)),
      'worker busy s': w === 0 ? '-' : median(runs.map((x) => x.worker_busy_s)).toFixed(2),
      'peak RSS MB': Math.max(...runs.map((x) => x.peak_rss_mb)).toFixed(0),
      'load avg': median(runs.map((x) => x.loadavg)).toFixed(1),
      checksum: runs[0].checksum.toFixed(6),
    };
    results.push(res);
    console.log(JSON.stringify({ ...res, runs: runs.map((x) => +x.screen_s.toFixed(3)) }));
  }
const cols = Object.keys(results[0]);
const w = cols.map((c) => Math.max(c.length, ...results.map((r) => String(r[c]).length)));
const line = (cells) => cells.map((c, i) => String(c).padStart(w[i])).join('  ');
console.log(`\n${line(cols)}\n${line(w.map((x) => '-'.repeat(x)))}\n${results.map((r) => line(cols.map((c) => r[c]))).join('\n')}`);

/** The streaming check's candidates file (made once, in the temp directory). */
function streamFile(n) {
  return join(tmpdir(), `interphase-bench-stream-${n}.csv.gz`);
}

if (!args.includes('--no-coatings')) {
  console.log('\nscreen coatings: every Li compound of the embedded data with E_hull <= 0.05 eV/atom, default criteria (fresh process each; medians)');
  for (const w of list) {
    const runs = [];
    for (let r = 0; r < rounds; r++) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--coatings-child', '--workers', String(w)], { encoding: 'utf8', maxBuffer: 1 << 24 });
      runs.push(JSON.parse(out.trim().split('\n').pop()));
    }
    const m = (k) => median(runs.map((x) => x[k])).toFixed(2);
    const r = runs[0];
    console.log(
      `  ${w === 0 ? 'this thread' : `${w} worker${w > 1 ? 's' : ''}`}: ${r.candidates} candidates, ${r.passing} pass all; ` +
        `${m('screen_s')} s (index included${w ? `; engine start ${m('start_s')} s apart` : ''}), again in the same process ${m('warm_s')} s; ` +
        `peak RSS ${Math.max(...runs.map((x) => x.peak_rss_mb)).toFixed(0)} MB; top: ${r.top} (load avg ${m('loadavg')})`,
    );
  }
}

const streamRows = opt('stream', undefined);
if (streamRows) {
  const file = streamFile(Number(streamRows));
  if (!existsSync(file)) {
    const { defaultEntries } = await import('../dist/index.js');
    const reference = await defaultEntries();
    const lines = ['id,formula,e_form_per_atom'];
    for (let i = 0; i < Number(streamRows); i++) {
      const e = reference[i % reference.length];
      lines.push(`c${i},${e.id},${e.energyPerAtom + 0.001 * (i % 97)}`);
    }
    writeFileSync(file, gzipSync(`${lines.join('\n')}\n`));
  }
  console.log(`\nStreaming: ${streamRows} candidate rows (embedded rows, shifted energies, repeated) from a gzipped CSV against the embedded data`);
  for (const path of paths)
    for (const w of list.filter((x) => x > 0)) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--stream-child', '--rows', streamRows, '--workers', String(w), '--path', path], {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      });
      const r = JSON.parse(out.trim().split('\n').pop());
      console.log(
        `  ${path}, ${w} worker${w > 1 ? 's' : ''}: ${r.rows} rows in ${r.screen_s.toFixed(1)} s = ${Math.round(r.rows_per_s)} rows/s, peak RSS ${r.peak_rss_mb.toFixed(0)} MB (load avg ${r.loadavg.toFixed(1)})`,
      );
    }
}

// pymatgen, the speed peer, where it can run: one 6-element chemical system of the embedded data
// (Li-Co-Ni-Mn-O-P: a single PhaseDiagram; pymatgen has no stability screen over many systems
// short of a PatchedPhaseDiagram). Candidates = the system's rows 0.05 eV/atom higher, each through
// get_decomp_and_e_above_hull(allow_negative=True) vs screenStabilitySync (in this thread).
const PMG_SCREEN = `
import sys, json, time
from pymatgen.core import Composition
from pymatgen.analysis.phase_diagram import PhaseDiagram, PDEntry
rows = [l.split(',') for l in sys.stdin.read().split('\\n') if l][1:]
t0 = time.perf_counter()
ref = [PDEntry(Composition(f), float(e) * Composition(f).num_atoms, name=f) for f, e in rows]
els = sorted({el for r in ref for el in r.composition.elements})
ref += [PDEntry(Composition({el: 1}), 0.0, name='ref-' + str(el)) for el in els]
pd = PhaseDiagram(ref)
t1 = time.perf_counter()
s = 0.0
for f, e in rows:
    c = Composition(f)
    s += pd.get_decomp_and_e_above_hull(PDEntry(c, (float(e) + 0.05) * c.num_atoms), allow_negative=True)[1]
t2 = time.perf_counter()
print(json.dumps({'rows': len(rows), 'build_s': t1 - t0, 'screen_s': t2 - t1, 'checksum': s}))
`;
if (args.includes('--pymatgen')) {
  const { defaultEntries, Entry, screenStabilitySync } = await import('../dist/index.js');
  const system = new Set(['Li', 'Co', 'Ni', 'Mn', 'O', 'P']);
  const sub = (await defaultEntries()).filter((e) => e.composition.elements.every((el) => system.has(el)));
  const csv = `formula,e_form_per_atom\n${sub.map((e) => `${e.id},${e.energyPerAtom}`).join('\n')}\n`;
  const cands = sub.map((e) => new Entry({ id: `c-${e.id}`, composition: e.composition, eFormPerAtom: e.energyPerAtom + 0.05 }));
  const times = [];
  let checksum = 0;
  for (let r = 0; r < rounds; r++) {
    const ref = [...sub]; // a new array: packed and indexed again each round
    const t0 = performance.now();
    const rows = screenStabilitySync(cands, ref);
    times.push((performance.now() - t0) / 1000);
    checksum = rows.reduce((a, x) => a + x.e_above_hull, 0);
  }
  let pmg;
  try {
    pmg = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', PMG_SCREEN], { input: csv, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] })
        .trim()
        .split('\n')
        .pop(),
    );
  } catch (e) {
    console.log(`\npymatgen: not available (${e.message.split('\n')[0]})`);
  }
  console.log(`\nOne system, ${sub.length} candidates (Li-Co-Ni-Mn-O-P of the embedded data, +0.05 eV/atom) against its ${sub.length} rows:`);
  console.log(`  interphase screenStabilitySync (index + screen, in this thread): ${median(times).toFixed(3)} s (median of ${rounds}), checksum ${checksum.toFixed(6)}`);
  if (pmg)
    console.log(
      `  pymatgen 2022.11 PhaseDiagram ${pmg.build_s.toFixed(3)} s + get_decomp_and_e_above_hull ${pmg.screen_s.toFixed(3)} s, checksum ${pmg.checksum.toFixed(6)}; ratio ${((pmg.build_s + pmg.screen_s) / median(times)).toFixed(0)}x`,
    );
}
