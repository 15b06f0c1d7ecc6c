#!/usr/bin/env node
// Signed hull distances of the 85k MP table vs the published values
// (../shared/reference/mp-legacy-decomposition-energies.csv.gz, computed elsewhere: not pymatgen).
// Reports the distribution of differences; nothing is tuned to it. Needs `npm run build`.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { loadEntries, systemStabilities } from '../dist/index.js';

const shared = (p) => fileURLToPath(new URL(`../../shared/${p}`, import.meta.url));
const published = new Map();
for (const line of gunzipSync(readFileSync(shared('reference/mp-legacy-decomposition-energies.csv.gz')))
  .toString()
  .trim()
  .split(/\r?\n/)
  .slice(1)) {
  const [formula, value] = line.split(',');
  published.set(formula, Number(value));
}
const entries = await loadEntries(shared('data/mp-legacy-formation-energies.csv.gz'));
const diffs = [];
for (const r of systemStabilities(entries, { decompositions: false })) {
  const p = published.get(r.entry.id);
  if (p !== undefined) diffs.push(Math.abs(r.signedHullDistance - p));
}
diffs.sort((a, b) => a - b);
const q = (f) => diffs[Math.min(diffs.length - 1, Math.floor(f * diffs.length))];
const above = (t) => diffs.filter((d) => d > t).length;
console.log(`rows compared: ${diffs.length} of ${published.size} published`);
console.log(`|interphase − published| (eV/atom): median ${q(0.5).toExponential(2)}, p90 ${q(0.9).toExponential(2)}, p99 ${q(0.99).toExponential(2)}, max ${diffs[diffs.length - 1].toExponential(2)}`);
for (const t of [1e-9, 1e-6, 1e-4, 1e-3, 2e-3]) console.log(`  > ${t}: ${above(t)} rows (${((100 * above(t)) / diffs.length).toFixed(2)} %)`);
