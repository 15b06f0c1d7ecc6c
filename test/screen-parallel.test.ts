// The screening workflows on an engine's workers (screen-parallel.ts): the same results as the
// synchronous functions, bad input reported at once, and band gaps carried from a dataset that
// has them (Alexandria) through to the coating and anode verdicts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../src/engine/index.js';
import type { Entry } from '../src/core/entry.js';
import { loadEntries } from '../src/io/node-loaders.js';
import { screenAnode } from '../src/screen/anode.js';
import { screenCoatings, XIAO_2019 } from '../src/screen/coatings.js';
import { prepareScreenData, screenData, ScreenWorkflowError, type ScreenData } from '../src/screen/common.js';
import { screenInterfaces } from '../src/screen/interfaces.js';
import { ANODE_ROWS, DATASET, WINDOWS_ROWS } from '../src/screen/jobs.js';
import { screenCoatingsOnEngine, screenInterfacesOnEngine } from '../src/screen/on-engine.js';
import { screenWindows } from '../src/screen/windows.js';
import { DATA, hasShared } from './helpers/shared.js';

const WORKER = new URL('../src/engine-worker.ts', import.meta.url);
let engine: Engine;
let embedded: ScreenData;

beforeAll(async () => {
  engine = await createEngine({ workers: 2, workerUrl: WORKER });
  embedded = await screenData();
});
afterAll(() => engine.close());

/** JSON equality: what a user would compare (and what crosses the thread boundary). */
const same = (a: unknown, b: unknown) => expect(JSON.parse(JSON.stringify(a))).toEqual(JSON.parse(JSON.stringify(b)));

describe('workflows on the engine: the same results as in this thread', () => {
  it('coatings: every Li compound of the embedded data, ranked identically; progress up to the total', async () => {
    const sync = screenCoatings(embedded);
    const seen: number[] = [];
    const par = await screenCoatingsOnEngine(engine, { onProgress: (d) => seen.push(d) });
    same(par, sync);
    expect(par.rows.length).toBeGreaterThan(1000);
    expect(seen.at(-1)).toBe(sync.candidates);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('coatings: a given list, the xiao2019 gates, limit', async () => {
    const options = { candidates: ['LiNbO3', 'Li3PO4', 'LiTi2(PO4)3', 'LiPO3', 'Li2S', 'Li3N'], criteria: 'xiao2019' as const, limit: 4 };
    const sync = screenCoatings(embedded, options);
    same(await screenCoatingsOnEngine(engine, options), sync);
    expect(sync.rows.length).toBe(4);
    expect(sync.thresholds).toMatchObject({
      cathode_name: 'LiNi1/3Mn1/3Co1/3O2',
      electrolyte: 'Li3PS4',
      cathode_range_V: [2.7, 4.0],
      max_e_above_hull: XIAO_2019.maxEHull,
      min_band_gap: 0.5,
      open_reactions: false,
      criteria: 'xiao2019',
    });
    for (const r of sync.rows) expect(r.cathode_at_voltage).toBeNull();
  });

  it('windows and anode rows as jobs: the same rows on the pool as in this thread', async () => {
    const ds = engine.data(DATASET);
    const materials = ['Li3PS4', 'LGPS', 'Li7La3Zr2O12', 'Na3PS4'];
    same(await engine.run(WINDOWS_ROWS, { materials }, { data: ds }), screenWindows(embedded, materials).rows);
    same(await engine.run(ANODE_ROWS, { materials: materials.slice(0, 3) }, { data: ds }), screenAnode(embedded, { electrolytes: materials.slice(0, 3) }));
    await expect(engine.run(WINDOWS_ROWS, { materials: ['Xx2O'] }, { data: ds })).rejects.toThrow(ScreenWorkflowError);
  });

  it('interfaces: the default matrix, and a voltage for every electrode', async () => {
    same(await screenInterfacesOnEngine(engine), screenInterfaces(embedded));
    const options = { electrolytes: ['Li3PS4', 'LLZO'], electrodes: ['LiCoO2', 'Li'], voltage: 3.9 };
    const r = await screenInterfacesOnEngine(engine, options);
    same(r, screenInterfaces(embedded, options));
    expect(r.electrodes.map((e) => e.voltage)).toEqual([3.9, 3.9]);
  });

  it('bad input rejects at once with the workflow error, never retried', async () => {
    const before = { ...engine.stats };
    await expect(screenCoatingsOnEngine(engine, { candidates: ['Li9Zz'] })).rejects.toThrow(ScreenWorkflowError);
    await expect(screenCoatingsOnEngine(engine, { candidates: ['Li9Zz'] })).rejects.toThrow(/unknown formula "Li9Zz"/);
    await expect(screenInterfacesOnEngine(engine, { electrolytes: ['KCl'] })).rejects.toThrow(/K does not occur in the data/);
    await expect(screenCoatingsOnEngine(engine, { criteria: 'bogus' as never })).rejects.toThrow(/criteria must be 'default' or 'xiao2019'/);
    expect(engine.stats.retries).toBe(before.retries);
    expect(engine.stats.failures).toBe(before.failures);
  });

  it('stops when aborted', async () => {
    await expect(screenCoatingsOnEngine(engine, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    const ac = new AbortController();
    const p = screenCoatingsOnEngine(engine, { signal: ac.signal, onProgress: () => ac.abort() });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe.skipIf(!hasShared())('band gaps from the data (Alexandria PBE) drive the verdicts', () => {
  let entries: Entry[];
  let data: ScreenData;
  beforeAll(async () => {
    entries = [];
    for (const f of ['alexandria-Li-P-S', 'alexandria-Li-Co-O', 'alexandria-Li-Ti-O']) entries.push(...(await loadEntries(`${DATA}${f}.json.gz`)));
    data = prepareScreenData(entries, 'alexandria');
  });

  it('coatings: each candidate shows its own entry band gap and is judged by it, here and on the engine', async () => {
    const r = screenCoatings(data, { cathode: 'LiCoO2', electrolyte: 'Li3PS4', minBandGap: 1 });
    expect(r.thresholds.band_gaps_available).toBe(true);
    expect(r.candidates).toBeGreaterThan(5);
    for (const row of r.rows) {
      // The lowest entry of the composition is the one whose gap is reported.
      const own = entries.filter((e) => e.composition.reducedFormula === row.formula).sort((a, b) => a.energyPerAtom - b.energyPerAtom)[0]!;
      expect(row.band_gap).toBe(own.bandGap!);
      expect(row.criteria.band_gap).toBe(own.bandGap! >= 1);
      expect(row.judged).toBe(5);
    }
    const li2s = r.rows.find((x) => x.formula === 'Li2S')!;
    expect(li2s.band_gap).toBeCloseTo(3.5313, 4);
    expect(r.rows.some((x) => x.criteria.band_gap === false)).toBe(true);
    same(await screenCoatingsOnEngine(engine, { data: entries, dataName: 'alexandria', cathode: 'LiCoO2', electrolyte: 'Li3PS4', minBandGap: 1 }), r);
  });

  it('anode: Li3PS4 | Li gives Li2S + Li3P, classified by their gaps (not inferred); the threshold decides Li3P', () => {
    const [row] = screenAnode(data, { electrolytes: ['Li3PS4'] });
    expect(row!.products.map((p) => p.formula).sort()).toEqual(['Li2S', 'Li3P']);
    const li3p = row!.products.find((p) => p.formula === 'Li3P')!;
    expect(li3p).toMatchObject({ inferred: false, electronic: 'insulating' });
    expect(li3p.band_gap).toBeCloseTo(0.6978, 4);
    expect(row!.interphase).toBe('passivating');
    const [strict] = screenAnode(data, { electrolytes: ['Li3PS4'], minBandGap: 1 });
    expect(strict!.products.find((p) => p.formula === 'Li3P')).toMatchObject({ inferred: false, electronic: 'conducting' });
    expect(strict!.interphase).toBe('mixed-conducting');
  });
});
