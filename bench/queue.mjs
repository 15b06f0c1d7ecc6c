#!/usr/bin/env node
// bench/queue: the screens on the Redis queue (BullMQ) with 1 and 2 `interphase worker` processes
// (1 thread each) against the local pool (1 and 2 worker threads), all on this machine:
//   node bench/queue.mjs [--rows 1000000] [--chunks 65536,262144] [--pairs 60] [--only stability,interfaces,overhead]
// Needs `npm run build` (imports dist/, runs dist/cli.js) and /usr/bin/redis-server: a server of
// its own on a free loopback port, temp dir, AOF on with fsync every second (the recommended
// durable setting), maxmemory-policy noeviction. Each measurement runs its producer in a fresh
// process; worker processes start before it (their start-up is not timed). Columns:
//   stability   `screenStability(csvCandidates(file, { chunkChars }), embedded reference)` over ROWS
//               generated candidates, consumed to the end (no output formatting). `s` includes the
//               reference being stored in Redis and fetched and indexed by each worker (cold); `warm s`
//               is the same screen again in the same producer process (workers keep the data).
//   interfaces  `screenInterfacesOnEngine`: PAIRS Li compounds of the embedded data x the default
//               electrodes (one job per electrolyte), cold (each worker indexes the data) and warm.
//   overhead    the same 13,248 candidates in batches of 8 (1,656 jobs) and of 4,096 (4 jobs), warm:
//               (t8 - t4096) / (jobs8 - jobs4096) = the cost of one more job, all included (Redis
//               round trips, events, encoding; on the pool: messages between threads).
//   CPU s       CPU seconds of the whole measurement (cold and warm, or both batch sizes): the producer
//               process (for the pool: all its threads), the worker processes, redis-server — what
//               the work cost, whatever else ran on the machine.
// On 2 cores the producer, the workers and redis-server share the CPU: loadavg is printed with
// each line; wall times there measure contention as much as speed.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const BIN = here('../dist/cli.js');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? dflt : args[i + 1];
};

// --- children: one measurement each, one JSON line ------------------------------------------------
if (args.includes('--child')) {
  const m = await import('../dist/index.js');
  const what = opt('child');
  const engineKind = opt('engine');
  const n = Number(opt('n', '1'));
  const engine = engineKind === 'queue' ? await m.createEngine({ queue: { url: opt('url') } }) : await m.createEngine({ workers: n });
  const reference = await m.defaultEntries();
  const cpu0 = process.cpuUsage();
  const timed = async (fn) => {
    const t0 = performance.now();
    const r = await fn();
    return { s: (performance.now() - t0) / 1000, r };
  };
  const out = { what, engine: engineKind, [engineKind === 'queue' ? 'processes' : 'threads']: n };
  if (what === 'stability') {
    const chunkChars = Number(opt('chunk', '65536'));
    const screen = async () => {
      let rows = 0;
      for await (const _ of m.screenStability(m.csvCandidates(opt('file'), { chunkChars }), reference, { engine })) rows++;
      return rows;
    };
    const cold = await timed(screen);
    const jobs0 = engine.stats.batches;
    const warm = await timed(screen);
    Object.assign(out, { chunk_chars: chunkChars, rows: cold.r, jobs: engine.stats.batches - jobs0, s: cold.s, rows_per_s: cold.r / cold.s, warm_s: warm.s, warm_rows_per_s: warm.r / warm.s });
  } else if (what === 'interfaces') {
    const pairs = Number(opt('pairs', '60'));
    const seen = new Set();
    const electrolytes = [];
    for (const e of reference) {
      const f = e.composition.reducedFormula;
      if (e.composition.elements.includes('Li') && e.composition.elements.length >= 3 && !seen.has(f) && electrolytes.length < pairs) seen.add(f), electrolytes.push(f);
    }
    const screen = () => m.screenInterfacesOnEngine(engine, { electrolytes });
    const cold = await timed(screen);
    const warm = await timed(screen);
    if (JSON.stringify(warm.r.rows) !== JSON.stringify(cold.r.rows)) throw new Error('interfaces: the warm run differs');
    Object.assign(out, {
      electrolytes: electrolytes.length,
      rows: cold.r.rows.length,
      s: cold.s,
      rows_per_s: cold.r.rows.length / cold.s,
      warm_s: warm.s,
      warm_rows_per_s: warm.r.rows.length / warm.s,
    });
  } else if (what === 'overhead') {
    const screen = (batchSize) => async () => {
      let rows = 0;
      for await (const _ of m.screenStability(reference, reference, { engine, batchSize })) rows++;
      return rows;
    };
    await screen(4096)(); // warm: data stored, fetched, indexed; stabilities known
    const j0 = engine.stats.batches;
    const big = await timed(screen(4096));
    const j1 = engine.stats.batches;
    const small = await timed(screen(8));
    const j2 = engine.stats.batches;
    Object.assign(out, { jobs_small: j2 - j1, s_small: small.s, jobs_big: j1 - j0, s_big: big.s, ms_per_job: (1000 * (small.s - big.s)) / (j2 - j1 - (j1 - j0)) });
  }
  const cpu = process.cpuUsage(cpu0);
  await engine.close();
  console.log(JSON.stringify({ ...out, producer_cpu_s: (cpu.user + cpu.system) / 1e6, loadavg: os.loadavg()[0] }));
  process.exit(0);
}

// --- the parent: redis-server, candidates, worker processes, children -----------------------------
const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const tmp = mkdtempSync(join(tmpdir(), 'interphase-bench-queue-'));
const port = await freePort();
const url = `redis://127.0.0.1:${port}`;
const redis = spawn(
  '/usr/bin/redis-server',
  ['--port', String(port), '--bind', '127.0.0.1', '--dir', tmp, '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction'],
  { stdio: 'ignore' },
);
await new Promise((r) => setTimeout(r, 500));

const rows = Number(opt('rows', '1000000'));
const { defaultEntries } = await import('../dist/index.js');
const reference = await defaultEntries();
const file = join(tmp, 'candidates.csv.gz');
{
  const lines = ['formula,e_form_per_atom,id'];
  for (let i = 0; i < rows; i++) {
    const e = reference[i % reference.length];
    lines.push(`${e.composition.formula.replace(/ /g, '')},${(e.energyPerAtom + 0.004 * ((Math.floor(i / reference.length) % 7) - 3)).toFixed(6)},c${i}`);
  }
  writeFileSync(file, gzipSync(`${lines.join('\n')}\n`));
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuOf(pid) {
  try {
    const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

async function startWorkers(count) {
  const procs = [];
  for (let i = 0; i < count; i++) {
    const p = spawn(process.execPath, [BIN, 'worker', '--queue', url, '--concurrency', '1', '--name', `bench-${i}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.setEncoding('utf8');
    await new Promise((resolve, reject) => {
      p.stderr.on('data', (s) => {
        err += s;
        if (err.includes('serving queue')) resolve();
      });
      p.once('exit', (code) => reject(new Error(`worker exited ${code}: ${err}`)));
    });
    procs.push(p);
  }
  return {
    pids: procs.map((p) => p.pid),
    stop: () => Promise.all(procs.map((p) => new Promise((r) => (p.once('exit', r), p.kill('SIGTERM'))))),
  };
}

/** A measurement in a fresh process; with the CPU the worker processes and redis-server spent meanwhile. */
async function child(extra, workers) {
  const pids = [...(workers?.pids ?? []), redis.pid];
  const before = pids.map(cpuOf);
  const r = await childProcess(extra);
  const used = pids.map((p, i) => cpuOf(p) - before[i]);
  r.workers_cpu_s = used.slice(0, -1).reduce((a, b) => a + b, 0);
  r.redis_cpu_s = used.at(-1);
  r.total_cpu_s = r.producer_cpu_s + r.workers_cpu_s + r.redis_cpu_s;
  return r;
}

function childProcess(extra) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.setEncoding('utf8');
    p.stdout.on('data', (s) => (out += s));
    p.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1))) : reject(new Error(`child ${extra.join(' ')} exited ${code}`))));
  });
}

const only = opt('only', 'stability,interfaces,overhead').split(',');
const chunks = opt('chunks', '65536,262144').split(',').map(Number);
const pairs = opt('pairs', '60');
console.log(
  `bench/queue — ${os.cpus()[0]?.model ?? 'cpu'} (${os.cpus().length} cores), Node ${process.version}, ${new Date().toISOString()}; ${rows.toLocaleString('en-US')} candidates; redis-server AOF everysec`,
);
const results = [];
const record = (r) => (results.push(r), console.log(JSON.stringify(r)));
try {
  for (const n of [1, 2]) {
    if (only.includes('stability')) for (const c of chunks) record(await child(['stability', '--engine', 'pool', '--n', String(n), '--file', file, '--chunk', String(c)]));
    if (only.includes('interfaces')) record(await child(['interfaces', '--engine', 'pool', '--n', String(n), '--pairs', pairs]));
    if (only.includes('overhead')) record(await child(['overhead', '--engine', 'pool', '--n', String(n)]));
    const w = await startWorkers(n);
    try {
      if (only.includes('stability')) for (const c of chunks) record(await child(['stability', '--engine', 'queue', '--n', String(n), '--url', url, '--file', file, '--chunk', String(c)], w));
      if (only.includes('interfaces')) record(await child(['interfaces', '--engine', 'queue', '--n', String(n), '--url', url, '--pairs', pairs], w));
      if (only.includes('overhead')) record(await child(['overhead', '--engine', 'queue', '--n', String(n), '--url', url], w));
    } finally {
      await w.stop();
    }
  }
} finally {
  redis.kill('SIGTERM');
  await new Promise((r) => redis.once('exit', r));
  rmSync(tmp, { recursive: true, force: true });
}
const f = (v, d = 2) => (v === undefined ? '' : Number(v).toFixed(d));
console.log('\nwhat        engine  n  chunk    s       rows/s    warm s  warm rows/s  ms/job  CPU s (producer+workers+redis)  load');
for (const r of results) {
  const n = r.processes ?? r.threads;
  const rps = r.rows_per_s === undefined ? '' : Math.round(r.rows_per_s).toLocaleString('en-US');
  const wrps = r.warm_rows_per_s === undefined ? '' : Math.round(r.warm_rows_per_s).toLocaleString('en-US');
  console.log(
    `${r.what.padEnd(11)} ${r.engine.padEnd(6)} ${String(n).padStart(2)}  ${String(r.chunk_chars ?? '').padStart(6)}  ${f(r.s ?? r.s_small).padStart(6)}  ${rps.padStart(10)}  ${f(r.warm_s).padStart(7)}  ${wrps.padStart(11)}  ${f(r.ms_per_job, 3).padStart(6)}  ${`${f(r.total_cpu_s, 1)} (${f(r.producer_cpu_s, 1)}+${f(r.workers_cpu_s, 1)}+${f(r.redis_cpu_s, 1)})`.padEnd(30)}  ${f(r.loadavg)}`,
  );
}
