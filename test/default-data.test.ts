// The embedded default data: the shared MP table restricted to 32 elements, bit for bit.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_INFO, defaultDataCsv, defaultEntries } from '../src/io/default-data.js';
import { loadEntries } from '../src/io/node-loaders.js';
import { DATA, hasShared } from './helpers/shared.js';

const ELEMENTS = 'Li Na P S Cl Br I F O N B C Si Ge Sn Sb La Zr Ti Al Nb Ta Co Ni Mn Fe Y In Sc Ga Zn Hf'.split(' ');
const DATA_FILE = new URL('../src/data/mp-legacy-32.csv.gz', import.meta.url);

describe('embedded default data (mp-legacy-32)', () => {
  it('describes itself: source, licence, attribution, elements, rows', () => {
    expect(DEFAULT_DATA_INFO.rows).toBe(13248);
    expect(DEFAULT_DATA_INFO.elements).toEqual([...ELEMENTS].sort());
    expect(DEFAULT_DATA_INFO.licence).toMatch(/^CC BY 4\.0/);
    expect(DEFAULT_DATA_INFO.attribution).toMatch(/Materials Project/);
    expect(DEFAULT_DATA_INFO.attribution).toMatch(/Jain/);
    expect(DEFAULT_DATA_INFO.source).toMatch(/mp-legacy-formation-energies/);
  });

  it('has 13,248 formation-energy entries made of the 32 elements only', async () => {
    const entries = await defaultEntries();
    expect(entries.length).toBe(13248);
    const allowed = new Set(ELEMENTS);
    const seen = new Set<string>();
    for (const e of entries) {
      expect(e.kind).toBe('formation');
      for (const el of e.composition.elements) {
        expect(allowed.has(el), `${e.id}: ${el}`).toBe(true);
        seen.add(el);
      }
    }
    // Every listed element occurs (each gets its 0 eV/atom reference in a phase diagram).
    expect([...seen].sort()).toEqual([...ELEMENTS].sort());
    // One row per composition, as the source.
    expect(new Set(entries.map((e) => e.composition.key)).size).toBe(13248);
  });

  it('is parsed once and shared (a frozen array)', async () => {
    const [a, b] = await Promise.all([defaultEntries(), defaultEntries()]);
    expect(a).toBe(b);
    expect(a).toBe(await defaultEntries());
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('embeds src/data/mp-legacy-32.csv.gz exactly, with the attribution header', async () => {
    const file = gunzipSync(readFileSync(DATA_FILE)).toString('utf8');
    expect(await defaultDataCsv()).toBe(file);
    const header = file.split('\n').filter((l) => l.startsWith('#'));
    expect(header.join('\n')).toMatch(/CC BY 4\.0/);
    expect(header.join('\n')).toMatch(/Materials Project/);
    expect(header.join('\n')).toMatch(/Jain/);
    expect(file.split('\n')[header.length]).toBe('formula,e_form_per_atom');
    // numbers and formulas only
    for (const line of file.split('\n').slice(header.length + 1)) {
      if (line !== '') expect(line).toMatch(/^([A-Z][a-z]?[0-9.]+)+,-?[0-9.]+(e-?[0-9]+)?$/);
    }
  });

  it.skipIf(!hasShared())('equals the shared table restricted to the 32 elements: same rows, order, ids and energies (bit for bit)', async () => {
    const shared = await loadEntries(`${DATA}mp-legacy-formation-energies.csv.gz`);
    expect(shared.length).toBe(85014);
    const allowed = new Set(ELEMENTS);
    const expected = shared.filter((e) => e.composition.elements.every((el) => allowed.has(el)));
    expect(expected.length).toBe(13248);
    const entries = await defaultEntries();
    expect(entries.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    for (let i = 0; i < entries.length; i++) {
      const a = entries[i]!;
      const b = expected[i]!;
      expect(a.energyPerAtom, a.id).toBe(b.energyPerAtom);
      expect(a.composition.key).toBe(b.composition.key);
    }
  });

  it.skipIf(!hasShared())('keeps the source text of every row (full float precision)', () => {
    const src = gunzipSync(readFileSync(`${DATA}mp-legacy-formation-energies.csv.gz`))
      .toString('utf8')
      .split('\n')
      .slice(1);
    const mine = gunzipSync(readFileSync(DATA_FILE))
      .toString('utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .slice(1);
    const allowed = new Set(ELEMENTS);
    const expected = src.filter(
      (l) =>
        l &&
        l
          .split(',')[0]!
          .match(/[A-Z][a-z]?/g)!
          .every((el) => allowed.has(el)),
    );
    expect(mine).toEqual(expected);
  });
});
