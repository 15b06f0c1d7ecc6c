import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { loadEntries, streamEntries, LoadError } from '../src/io/node-loaders.js';
import { CsvEntryReader, entriesFromCsv } from '../src/io/csv-reader.js';
import { DEFAULT_SKIP_KEYS, JsonArrayReader, type JsonElement } from '../src/io/json-reader.js';
import { detectRecordFormat, entriesFromRecords } from '../src/io/records.js';
import { Entry, EntryError } from '../src/core/entry.js';
import { FormulaError, Composition } from '../src/core/composition.js';

const DATA = fileURLToPath(new URL('../../shared/data/', import.meta.url));
const REFERENCE = fileURLToPath(new URL('../../shared/reference/', import.meta.url));
const data = (f: string) => join(DATA, f);

type Raw = Record<string, any>;
const rawCache = new Map<string, Raw[]>();
/** The raw file, parsed independently (JSON.parse of the gunzipped text). */
function raw(f: string): Raw[] {
  let r = rawCache.get(f);
  if (!r) {
    r = JSON.parse(gunzipSync(readFileSync(data(f))).toString('utf8')) as Raw[];
    rawCache.set(f, r);
  }
  return r;
}

const close = (a: number, b: number, tol = 1e-9) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

/** Counts from shared/data/README.md (Alexandria: one count per file, within its 124–567 range). */
const EXPECTED_COUNTS: Record<string, number> = {
  'mp-Li-Fe-P-O.json.gz': 859,
  'mp-Li-Co-Ni-O.json.gz': 775,
  'mp-Na-Fe-P-O.json.gz': 557,
  'mp2020-C-Cl-K-Li-Mn-Na-O-Y.json.gz': 1326,
  'mp-legacy-formation-energies.csv.gz': 85014,
};

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'interphase-loaders-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});
let fileNo = 0;
function tmpFile(name: string, content: string | Buffer): string {
  const p = join(tmp, `${fileNo++}-${name}`);
  writeFileSync(p, content);
  return p;
}

async function loadError(p: Promise<unknown>): Promise<LoadError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LoadError);
    expect(e).toBeInstanceOf(EntryError);
    return e as LoadError;
  }
  throw new Error('expected a LoadError');
}
function syncError(f: () => unknown): LoadError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LoadError);
    return e as LoadError;
  }
  throw new Error('expected a LoadError');
}

// ---------------------------------------------------------------------------------------------

describe('shared datasets', () => {
  const files = readdirSync(DATA).filter((f) => f.endsWith('.json.gz') || f.endsWith('.csv.gz') || f.endsWith('.csv') || f.endsWith('.json'));

  it('finds the datasets', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  for (const f of files) {
    it(`loads ${f} with the README's count`, async () => {
      const entries = await loadEntries(data(f));
      const expected = EXPECTED_COUNTS[f] ?? raw(f).length;
      expect(entries.length).toBe(expected);
      if (f.startsWith('alexandria-')) {
        expect(expected).toBeGreaterThanOrEqual(124);
        expect(expected).toBeLessThanOrEqual(567);
      }
      for (const e of entries) expect(e).toBeInstanceOf(Entry);
      const kinds = new Set(entries.map((e) => e.kind));
      expect([...kinds]).toEqual([f.startsWith('mp-legacy') || f.startsWith('alexandria') ? 'formation' : 'total']);
      // ids and order agree with pymatgen's reference tool (which appends `ref-El` for Alexandria)
      if (f.endsWith('.json.gz')) {
        const ref = JSON.parse(readFileSync(join(REFERENCE, f.replace(/\.gz$/, '')), 'utf8')) as { entries: { id: string }[] };
        expect(entries.map((e) => e.id)).toEqual(ref.entries.map((r) => r.id).filter((id) => !id.startsWith('ref-')));
      }
    });
  }

  it('pymatgen ComputedEntry energies, corrections and uncertainties match the raw file', async () => {
    for (const f of ['mp-Li-Fe-P-O.json.gz', 'mp2020-C-Cl-K-Li-Mn-Na-O-Y.json.gz', 'mp-Li-Co-Ni-O.json.gz']) {
      const entries = await loadEntries(data(f));
      const rs = raw(f);
      expect(entries.length).toBe(rs.length);
      let withAdjustments = 0;
      entries.forEach((e, i) => {
        const r = rs[i]!;
        expect(e.id).toBe(r.entry_id);
        expect(e.composition.toDict()).toEqual(r.composition);
        close(e.energy, r.energy + r.correction);
        close(e.correction, r.correction);
        // pymatgen: independent ufloats → uncertainties add in quadrature
        const adj = (r.energy_adjustments ?? []) as Raw[];
        const u = Math.sqrt(adj.reduce((s, a) => s + (a.uncertainty_per_atom * a.n_atoms) ** 2, 0));
        close(e.correctionUncertainty, u);
        if (adj.length) withAdjustments++;
        expect(e.kind).toBe('total');
        expect(e.volumePerAtom).toBeUndefined();
      });
      if (f !== 'mp-Li-Fe-P-O.json.gz') expect(withAdjustments).toBeGreaterThan(100);
    }
  });

  it('spot values by hand (mp2020: oxide + Mn mixing adjustments)', async () => {
    const entries = await loadEntries(data('mp2020-C-Cl-K-Li-Mn-Na-O-Y.json.gz'));
    const byId = new Map(entries.map((e) => [e.id, e]));
    const kmno2 = byId.get('mp-1002570')!; // K4Mn4O8: -0.687×8 oxide, -1.668×4 Mn
    expect(kmno2.composition.formula).toBeDefined();
    close(kmno2.correction, -0.687 * 8 - 1.668 * 4);
    close(kmno2.correctionUncertainty, Math.hypot(0.002 * 8, 0.0053 * 4));
    const co = byId.get('mp-1001594')!; // C48O36, one oxide adjustment
    close(co.energy, -672.02233076 - 24.732);
    close(co.correctionUncertainty, 0.002 * 36);
  });

  it('Alexandria records: e_form_per_atom, volume and band gap; their `energy` is ignored', async () => {
    for (const f of readdirSync(DATA).filter((x) => x.startsWith('alexandria-'))) {
      const entries = await loadEntries(data(f));
      const rs = raw(f);
      entries.forEach((e, i) => {
        const r = rs[i]!;
        expect(e.id).toBe(r.entry_id);
        expect(e.kind).toBe('formation');
        close(e.energyPerAtom, r.e_form_per_atom);
        close(e.energy, r.e_form_per_atom * e.composition.numAtoms);
        expect(e.volumePerAtom).toBe(r.volume_per_atom);
        expect(e.bandGap).toBe(r.data.band_gap);
        expect(e.correction).toBe(0);
      });
    }
  });

  it('the MP formation-energy CSV: 85,014 rows, ids are the formulas as written, values exact', async () => {
    const t0 = performance.now();
    const entries = await loadEntries(data('mp-legacy-formation-energies.csv.gz'));
    const ms = performance.now() - t0;
    expect(entries.length).toBe(85014);
    expect(ms).toBeLessThan(3000);
    const lines = gunzipSync(readFileSync(data('mp-legacy-formation-energies.csv.gz')))
      .toString('utf8')
      .trimEnd()
      .split('\n');
    expect(lines[0]).toBe('formula,e_form_per_atom');
    for (const i of [0, 1, 2, 1000, 42424, 85013]) {
      const [formula, value] = lines[i + 1]!.split(',');
      const e = entries[i]!;
      expect(e.id).toBe(formula);
      expect(e.kind).toBe('formation');
      close(e.energyPerAtom, Number(value), 1e-12);
    }
    const lpsc = entries.find((e) => e.id === 'Cl1Li6P1S5')!;
    expect(lpsc.composition.toDict()).toEqual({ Li: 6, P: 1, S: 5, Cl: 1 });
  });

  it('times the two reference loads', async () => {
    const times: Record<string, number> = {};
    for (const f of ['mp-legacy-formation-energies.csv.gz', 'mp-Li-Co-Ni-O.json.gz']) {
      await loadEntries(data(f)); // warm-up
      const t0 = performance.now();
      await loadEntries(data(f));
      times[f] = Math.round(performance.now() - t0);
    }
    console.log('load times (ms, warm):', times);
    expect(times['mp-legacy-formation-energies.csv.gz']).toBeLessThan(2000);
    expect(times['mp-Li-Co-Ni-O.json.gz']).toBeLessThan(2000);
  });

  it('streamEntries yields the same entries, reports progress, and can stop early', async () => {
    const f = data('mp-Na-Fe-P-O.json.gz');
    const progress: number[] = [];
    const ids: string[] = [];
    for await (const e of streamEntries(f, { onProgress: (n) => progress.push(n) })) ids.push(e.id);
    expect(ids).toEqual(raw('mp-Na-Fe-P-O.json.gz').map((r) => r.entry_id));
    expect(progress.at(-1)).toBe(557);
    let n = 0;
    for await (const _ of streamEntries(data('mp-legacy-formation-energies.csv.gz'))) if (++n === 10) break;
    expect(n).toBe(10);
    const p2: number[] = [];
    await loadEntries(data('mp-legacy-formation-energies.csv.gz'), { onProgress: (k) => p2.push(k) });
    expect(p2.length).toBeGreaterThan(40); // about every 1000 entries (reported per chunk)
    expect(p2).toEqual([...p2].sort((a, b) => a - b));
    expect(p2.at(-1)).toBe(85014);
  });
});

// ---------------------------------------------------------------------------------------------

/** Feeds `text` to a reader in chunks of `size` characters. */
function readAll(text: string, size: number, opts: ConstructorParameters<typeof JsonArrayReader>[0] = {}): JsonElement[] {
  const r = new JsonArrayReader(opts);
  const out: JsonElement[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...r.push(text.slice(i, i + size)));
  out.push(...r.end());
  return out;
}
const SIZES = [1, 2, 3, 7, 64, 1 << 20];
const values = (els: JsonElement[]) => els.map((e) => e.value);

function withoutKeys(v: unknown, keys: ReadonlySet<string>): unknown {
  if (Array.isArray(v)) return v.map((x) => withoutKeys(x, keys));
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (!keys.has(k)) o[k] = withoutKeys(x, keys);
    return o;
  }
  return v;
}

describe('JsonArrayReader (streaming)', () => {
  const tricky = [
    {
      entry_id: 'a"b\\c',
      composition: { Li: 2.0, O: 1 },
      s: 'quote " backslash \\\\ slash \\/ unicode \u00e9 \ud83d\ude00 newline \n tab \t',
      nested: [[1, [2, [3, []]]], {}, [{}], [[[]]]],
      nums: [0, -0, 1e-5, 1.5e10, -2.5e-7, 123456789.125, 1e300],
      flags: [true, false, null],
      structure: { lattice: [[1, 0, 0]], sites: [{ label: 'x]}"{[' }], note: 'a\\"]}' },
      data: { structure: 'skipped at depth too', keep: 1 },
    },
    { entry_id: 'b', structure: null, composition: { Na: 1 }, energy: -1.25 },
    { entry_id: 'c', structure: 12.5e-3, energy: 1e-5, composition: {} },
    [1, 2, { structure: 'inside an array element object' }],
    'plain string element',
    42,
  ];

  for (const [name, text] of [
    ['compact', JSON.stringify(tricky)],
    ['pretty', JSON.stringify(tricky, null, 2)],
    ['pretty with tabs and CRLF', JSON.stringify(tricky, null, '\t').replace(/\n/g, '\r\n')],
  ] as const) {
    it(`${name}: equals JSON.parse minus skipped keys, at every chunk size`, () => {
      const expected = withoutKeys(JSON.parse(text), new Set(['structure'])) as unknown[];
      for (const size of SIZES) {
        const els = readAll(text, size);
        expect(values(els)).toEqual(expected);
        expect(els.map((e) => e.index)).toEqual(expected.map((_, i) => i));
      }
    });
  }

  it('numbers like 1e-05, escapes split across chunks, NaN/Infinity (Python json)', () => {
    const text = '[{"e": 1e-05, "f": -2E+3, "g": 0.5, "s": "x\\\\\\"y\\u0041", "n": NaN, "i": Infinity, "j": -Infinity}]';
    for (const size of SIZES) {
      const [el] = readAll(text, size);
      const v = el!.value as Record<string, unknown>;
      expect(v.e).toBe(1e-5);
      expect(v.f).toBe(-2000);
      expect(v.s).toBe('x\\"yA');
      expect(v.n).toBeNaN();
      expect(v.i).toBe(Infinity);
      expect(v.j).toBe(-Infinity);
    }
  });

  it('reports the line each record starts on', () => {
    const text = '[\n  {"a": 1},\n\n  {"b": [\n 2]},\n  3\n]\n';
    for (const size of SIZES) expect(readAll(text, size).map((e) => e.line)).toEqual([2, 4, 6]);
  });

  it('reads the {"data": [...], "meta": ...} envelope of the MP API', () => {
    const text = JSON.stringify({ meta: { total: 2, x: [1, { data: 3 }] }, data: [{ a: 1 }, { b: 2 }], more: 'x' });
    for (const size of SIZES) expect(values(readAll(text, size))).toEqual([{ a: 1 }, { b: 2 }]);
    expect(readAll('{"data": []}', 3)).toEqual([]);
    expect(readAll('', 3)).toEqual([]);
    expect(readAll('  []  ', 1)).toEqual([]);
    expect(values(readAll('\ufeff[1]', 1))).toEqual([1]);
  });

  it('skips structure values without building them (bounded buffer for a huge structure)', () => {
    const big = JSON.stringify({ sites: Array.from({ length: 40000 }, (_, i) => ({ xyz: [i, i / 3, -i], label: `Li${i}"]` })) });
    const text = `[{"entry_id": "x", "structure": ${big}, "energy": -1}]`;
    expect(text.length).toBeGreaterThan(2_000_000);
    const r = new JsonArrayReader();
    const out: JsonElement[] = [];
    let maxBuf = 0;
    for (let i = 0; i < text.length; i += 65536) {
      out.push(...r.push(text.slice(i, i + 65536)));
      maxBuf = Math.max(maxBuf, (r as unknown as { buf: string }).buf.length - (r as unknown as { pos: number }).pos);
    }
    out.push(...r.end());
    expect(values(out)).toEqual([{ entry_id: 'x', energy: -1 }]);
    expect(maxBuf).toBeLessThan(100); // only a partial token may be carried over
    expect(DEFAULT_SKIP_KEYS).toContain('structure');
  });

  it('custom skip keys; a key named __proto__ stays an own property', () => {
    const text = '[{"parameters": {"x": [1,2]}, "a": 1, "__proto__": {"polluted": true}}]';
    const [el] = readAll(text, 5, { skipKeys: ['parameters'] });
    const v = el!.value as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['a', '__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
  });

  it('real ComputedStructureEntry file: records equal JSON.parse without structures', () => {
    const text = gunzipSync(readFileSync(data('mp-Li-Co-Ni-O.json.gz'))).toString('utf8');
    const expected = raw('mp-Li-Co-Ni-O.json.gz').map((r) => withoutKeys(r, new Set(['structure'])));
    for (const size of [65536, 999]) expect(values(readAll(text, size))).toEqual(expected);
  });

  it('rejects invalid JSON with the line and record', () => {
    const bad: [string, RegExp][] = [
      ['[{"a": 1,}]', /record 0 \(line 1\): invalid JSON: expected a string key/],
      ['[{"a": 1}\n,\n{"a" 2}]', /record 1 \(line 3\): invalid JSON: expected ':'/],
      ['[1, 2', /unexpected end of input/],
      ['[{"a": "abc', /unterminated string|unexpected end/],
      ['[{"a": tru}]', /bad token "tru"/],
      ['[{"a": 01}]', /bad token "01"/],
      ['[{"a": "\\x"}]', /bad string/],
      ['[1] [2]', /after the end of the JSON document/],
      ['[1,]', /unexpected "\]"/],
      ['{"meta": 1}', /without a "data" array/],
      ['{"data": 5}', /"data" is not an array/],
      ['"just a string"', /unknown format: expected a JSON array/],
      ['[{"structure": ], "a": 1}]', /expected a value/],
    ];
    for (const [text, re] of bad) {
      for (const size of [1, 4, 1000]) expect(() => readAll(text, size, { source: 'bad.json' }), `${text} @${size}`).toThrow(re);
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('format detection and overrides', () => {
  it('detectRecordFormat', () => {
    expect(detectRecordFormat(raw('mp-Li-Fe-P-O.json.gz')[0])).toBe('pymatgen');
    expect(detectRecordFormat(raw('mp-Li-Co-Ni-O.json.gz')[0])).toBe('pymatgen'); // has e_form_per_atom too
    expect(detectRecordFormat(raw('alexandria-Li-P-S.json.gz')[0])).toBe('formation');
    expect(detectRecordFormat({ '@class': 'PDEntry', composition: { Li: 1 }, energy: -1.9, name: 'Li' })).toBe('pymatgen');
    expect(detectRecordFormat({ composition: { Li: 1 }, energy: -1.9 })).toBe('pymatgen');
    expect(detectRecordFormat({ material_id: 'mp-1', formula_pretty: 'Li', energy_per_atom: -1.9 })).toBe('mp-api');
    expect(detectRecordFormat({ formula_pretty: 'Li', formation_energy_per_atom: 0 })).toBe('mp-api');
    expect(() => detectRecordFormat({ foo: 1 }, 'x.json')).toThrow(/x\.json record 0: unknown format: keys \["foo"\]/);
    expect(() => detectRecordFormat(5)).toThrow(/unknown format: records must be JSON objects/);
  });

  it('PDEntry dicts: energy as total, id #index when entry_id is absent', () => {
    const es = entriesFromRecords([
      { '@module': 'pymatgen.analysis.phase_diagram', '@class': 'PDEntry', composition: { Li: 2, O: 1 }, energy: -14.3, name: 'Li2O', attribute: null },
      { '@class': 'PDEntry', composition: { Li: 1 }, energy: -1.9, entry_id: 'li' },
    ]);
    expect(es.map((e) => e.id)).toEqual(['#0', 'li']);
    expect(es[0]!.kind).toBe('total');
    close(es[0]!.energy, -14.3);
  });

  it('pymatgen adjustments of every shape; `correction` ignored when adjustments exist (as pymatgen)', () => {
    const [e] = entriesFromRecords([
      {
        '@class': 'ComputedEntry',
        composition: { Fe: 2, O: 3 },
        energy: -30,
        correction: 999, // pymatgen recomputes from the adjustments
        energy_adjustments: [
          { '@class': 'CompositionEnergyAdjustment', adj_per_atom: -0.687, n_atoms: 3, uncertainty_per_atom: 0.002 },
          { '@class': 'ConstantEnergyAdjustment', value: -0.5, uncertainty: 0.03 },
          { '@class': 'ManualEnergyAdjustment', value: 0.1, uncertainty: null },
          { '@class': 'TemperatureEnergyAdjustment', adj_per_deg: -1e-4, temp: 300, n_atoms: 5, uncertainty_per_deg: 1e-6 },
          { '@class': 'ConstantEnergyAdjustment', value: 0, uncertainty: 5 }, // zero value: no uncertainty (pymatgen)
        ],
      },
    ]);
    const corr = -0.687 * 3 - 0.5 + 0.1 - 1e-4 * 300 * 5;
    close(e!.correction, corr);
    close(e!.energy, -30 + corr);
    close(e!.correctionUncertainty, Math.hypot(0.006, 0.03, 1e-6 * 300 * 5));
  });

  it('format option overrides detection (file and records)', async () => {
    const f = await loadEntries(data('mp-Li-Co-Ni-O.json.gz'), { format: 'formation' });
    expect(f.length).toBe(775);
    expect(f.every((e) => e.kind === 'formation')).toBe(true);
    close(f[5]!.energyPerAtom, raw('mp-Li-Co-Ni-O.json.gz')[5]!.e_form_per_atom);
    // content sniffing for other extensions, and a forced CSV
    const csvTxt = tmpFile('table.txt', 'formula,energy\nLi2O,-14.25\n');
    const es = await loadEntries(csvTxt);
    expect(es[0]!.kind).toBe('total');
    const jsonDat = tmpFile('x.dat', '[{"composition": {"Li": 1}, "e_form_per_atom": 0}]');
    expect((await loadEntries(jsonDat))[0]!.kind).toBe('formation');
    const forced = tmpFile('y.json', 'formula,e_form_per_atom\nLiCl,-1.8\n');
    expect((await loadEntries(forced, { format: 'csv' }))[0]!.id).toBe('LiCl');
    // gzip is recognised by its magic bytes, whatever the name
    const gz = tmpFile('z.csv', gzipSync('formula,e_form_per_atom\nNaCl,-2.1\n'));
    expect((await loadEntries(gz))[0]!.id).toBe('NaCl');
  });
});

// ---------------------------------------------------------------------------------------------

describe('CSV', () => {
  it('formation and total-energy headers, id column, quotes, CRLF, BOM, blank lines', () => {
    const f = entriesFromCsv('\ufeffformula,e_form_per_atom\r\nLi2O,-2.07\r\n\r\nLi6PS5Cl,-1.1\r\n');
    expect(f.map((e) => [e.id, e.kind])).toEqual([
      ['Li2O', 'formation'],
      ['Li6PS5Cl', 'formation'],
    ]);
    close(f[1]!.energy, -1.1 * 13);
    const t = entriesFromCsv('id,energy,formula\nmp-1,-14.25,Li2O\n"odd, id",-3.5e-1,"Li"\n,-4,Na\n');
    expect(t.map((e) => e.id)).toEqual(['mp-1', 'odd, id', 'Na']);
    expect(t.every((e) => e.kind === 'total')).toBe(true);
    close(t[0]!.energy, -14.25);
    close(t[1]!.energy, -0.35);
    // id = the formula exactly as written
    expect(entriesFromCsv('formula,e_form_per_atom\nO2Li4,-2')[0]!.id).toBe('O2Li4');
  });

  it('CsvEntryReader is incremental', () => {
    const r = new CsvEntryReader({ source: 't.csv' });
    expect(r.line('formula,energy', 1)).toBeUndefined();
    expect(r.line('Li,-1.9', 2)!.id).toBe('Li');
    expect(r.entries).toBe(1);
  });

  it('errors name the file, line and id', async () => {
    const cases: [string, RegExp[]][] = [
      ['formula,e_form_per_atom\nLi2O,-2\nXy3O,-1\n', [/line 3/, /id "Xy3O"/, /unparsable formula "Xy3O"/]],
      ['formula,e_form_per_atom\nLi2O,NaN\n', [/line 2/, /e_form_per_atom is not a number \("NaN"\)/]],
      ['formula,e_form_per_atom\nLi2O,\n', [/line 2/, /missing e_form_per_atom/]],
      ['formula,e_form_per_atom\nLi2O,abc\n', [/not a number \("abc"\)/]],
      ['formula,e_form_per_atom\nLi2O,0x10\n', [/not a number \("0x10"\)/]],
      ['formula,e_form_per_atom\nLi2O,1e999\n', [/not a finite number/]],
      ['formula,e_form_per_atom\nLi2O,-2,extra\n', [/line 2/, /expected 2 columns \(formula,e_form_per_atom\), got 3/]],
      ['formula,e_form_per_atom,id\nLi2O,-2\n', [/line 2/, /expected 3 columns/]],
      ['formula,e_form_per_atom\n,-2\n', [/line 2/, /empty formula/]],
      ['formula,energy\n"Li2O,-2\n', [/line 2/, /unterminated quoted field/]],
      ['name,value\nLi2O,-2\n', [/line 1/, /unknown format: unexpected CSV column "name"/]],
      ['formula,id\nLi2O,x\n', [/unknown format: CSV header/]],
      ['formula,energy,e_form_per_atom\nLi2O,-2,-1\n', [/two energy columns/]],
      ['Li2O,-2.07\nLiCl,-1.8\n', [/unknown format/]],
    ];
    for (const [text, res] of cases) {
      const p = tmpFile('bad.csv', text);
      const err = await loadError(loadEntries(p));
      expect(err.message).toContain(p);
      for (const re of res) expect(err.message, text).toMatch(re);
      // the same from text
      const err2 = syncError(() => entriesFromCsv(text, { source: 'inline.csv' }));
      expect(err2.message.replace('inline.csv', p)).toBe(err.message);
    }
    const err = await loadError(loadEntries(tmpFile('bad.csv', 'formula,e_form_per_atom\nXy3O,-1\n')));
    expect(err.cause).toBeInstanceOf(FormulaError);
    expect(err.message).toContain((err.cause as Error).message);
    expect(err.line).toBe(2);
    expect(err.id).toBe('Xy3O');
  });
});

// ---------------------------------------------------------------------------------------------

describe('JSON record errors', () => {
  const rec = (o: Record<string, unknown>) => ({ '@class': 'ComputedEntry', composition: { Li: 1 }, energy: -1.9, correction: 0, entry_id: 'ok', ...o });
  const cases: [string, string, RegExp[]][] = [
    ['unparsable composition', JSON.stringify([rec({}), rec({ entry_id: 'mp-9', composition: { Xx: 1 } })]), [/record 1 \(line 1, id "mp-9"\)/, /unparsable composition/, /unknown element 'Xx'/]],
    [
      'NaN energy (Python json)',
      `[${JSON.stringify(rec({}))},\n${JSON.stringify(rec({ entry_id: 'n' })).replace('-1.9', 'NaN')}]`,
      [/record 1 \(line 2, id "n"\)/, /energy is not a finite number \(NaN\)/],
    ],
    ['missing energy', JSON.stringify([rec({ entry_id: 'm', energy: undefined })]), [/record 0/, /id "m"/, /missing energy/]],
    ['null energy', JSON.stringify([rec({ entry_id: 'm', energy: null })]), [/missing energy/]],
    ['non-numeric energy', JSON.stringify([rec({ entry_id: 's', energy: '-1.9' })]), [/id "s"/, /energy is not a number \(string "-1.9"\)/]],
    ['non-numeric correction', JSON.stringify([rec({ correction: 'x' })]), [/correction is not a number/]],
    ['bad adjustment', JSON.stringify([rec({ energy_adjustments: [{ foo: 1 }] })]), [/energy_adjustments\[0\]: unrecognised adjustment/]],
    ['no id → #index', JSON.stringify([rec({}), rec({ entry_id: undefined, energy: 'x' })]), [/record 1 \(line 1, id "#1"\)/]],
    ['unknown format', JSON.stringify([{ foo: 1, bar: 2 }]), [/record 0/, /unknown format: keys \["foo","bar"\]/]],
    ['record not an object', JSON.stringify([rec({}), 5]), [/record 1/, /expected a JSON object, got number 5/]],
    [
      'Alexandria: missing e_form_per_atom',
      JSON.stringify([
        { entry_id: 'agm1', composition: { Li: 1 }, e_form_per_atom: 0 },
        { entry_id: 'agm2', composition: { Li: 1 } },
      ]),
      [/record 1/, /id "agm2"/, /missing e_form_per_atom/],
    ],
    ['Alexandria: bad band gap', JSON.stringify([{ entry_id: 'agm1', composition: { Li: 1 }, e_form_per_atom: 0, data: { band_gap: 'big' } }]), [/data\.band_gap is not a finite number/]],
    ['truncated', '[{"composition": {"Li": 1}, "energy": -1.9, "correction": 0}, {"compo', [/record 1 \(line 1\): invalid JSON/]],
  ];
  for (const [name, text, res] of cases) {
    it(name, async () => {
      for (const file of [tmpFile('bad.json', text), tmpFile('bad.json.gz', gzipSync(text))]) {
        const err = await loadError(loadEntries(file));
        expect(err.message).toContain(file);
        for (const re of res) expect(err.message).toMatch(re);
      }
    });
  }

  it('entriesFromRecords names the record and id too', () => {
    const err = syncError(() =>
      entriesFromRecords([
        { composition: { Li: 1 }, e_form_per_atom: 0 },
        { entry_id: 'q', composition: 'Li2Oo', e_form_per_atom: 0 },
      ]),
    );
    expect(err.message).toMatch(/^records record 1 \(id "q"\): unparsable composition "Li2Oo"/);
    expect(err.record).toBe(1);
    expect(err.cause).toBeInstanceOf(FormulaError);
  });

  it('empty files and empty lists: "no entries in <file>"', async () => {
    for (const [name, content] of [
      ['empty.json', ''],
      ['empty.json.gz', gzipSync('')],
      ['ws.json', '  \n '],
      ['arr.json', '[]'],
      ['env.json', '{"data": [], "meta": {}}'],
      ['empty.csv', ''],
      ['header.csv', 'formula,e_form_per_atom\n'],
      ['blank.csv.gz', gzipSync('formula,energy\n\n\n')],
    ] as const) {
      const p = tmpFile(name, content);
      const err = await loadError(loadEntries(p));
      expect(err.message).toBe(`no entries in ${p}`);
      // streaming too, once exhausted
      const err2 = await loadError(
        (async () => {
          for await (const _ of streamEntries(p));
        })(),
      );
      expect(err2.message).toBe(`no entries in ${p}`);
    }
    expect(() => entriesFromRecords([])).toThrow('no entries in records');
    expect(() => entriesFromCsv('formula,energy\n', { source: 's.csv' })).toThrow('no entries in s.csv');
  });

  it('corrupt gzip and missing file', async () => {
    const good = gzipSync(JSON.stringify([{ composition: { Li: 1 }, e_form_per_atom: 0 }]));
    const p = tmpFile('cut.json.gz', good.subarray(0, good.length - 12));
    const err = await loadError(loadEntries(p));
    expect(err.message).toMatch(/cut\.json\.gz: cannot decompress|unexpected end/);
    await expect(loadEntries(join(tmp, 'nope.json'))).rejects.toThrow(/ENOENT.*nope\.json/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('Materials Project API documents', () => {
  // Li2O (cell Li8O4) as the summary/thermo endpoints return it
  const li2o = {
    material_id: 'mp-1960',
    formula_pretty: 'Li2O',
    composition: { Li: 8.0, O: 4.0 },
    composition_reduced: { Li: 2.0, O: 1.0 },
    nsites: 12,
    volume: 99.0,
    band_gap: 5.0,
    uncorrected_energy_per_atom: -4.7,
    energy_per_atom: -4.929, // corrected: -0.687 eV per O atom / 3 atoms = -0.229 eV/atom
    energy_uncertainy_per_atom: 0.000667,
    formation_energy_per_atom: -2.07,
    energy_above_hull: 0,
  };
  const li = {
    material_id: 'mp-135',
    formula_pretty: 'Li',
    composition: { Li: 2.0 },
    nsites: 2,
    uncorrected_energy_per_atom: -1.909,
    energy_per_atom: -1.909,
    formation_energy_per_atom: 0,
  };

  it('total-energy convention: energy_per_atom is corrected; correction = (E − E_uncorrected) × atoms', () => {
    const [e, l] = entriesFromRecords({ data: [li2o, li] });
    expect(e!.id).toBe('mp-1960');
    expect(e!.kind).toBe('total');
    expect(e!.composition.toDict()).toEqual({ Li: 8, O: 4 });
    close(e!.energy, -4.929 * 12);
    close(e!.energyPerAtom, -4.929);
    close(e!.correction, (-4.929 + 4.7) * 12);
    close(e!.correctionUncertainty, 0.000667 * 12);
    expect(e!.bandGap).toBe(5);
    close(e!.volumePerAtom!, 99 / 12);
    close(l!.energy, -1.909 * 2);
  });

  it('formation convention: chosen when there is no total energy, or forced', async () => {
    const form = { material_id: 'mp-1960', formula_pretty: 'Li2O', formation_energy_per_atom: -2.07 };
    const [e] = entriesFromRecords([form]);
    expect(e!.kind).toBe('formation');
    expect(e!.composition.toDict()).toEqual({ Li: 2, O: 1 });
    close(e!.energyPerAtom, -2.07);
    const [f] = entriesFromRecords([li2o], { mpEnergy: 'formation' });
    expect(f!.kind).toBe('formation');
    close(f!.energy, -2.07 * 12);
    // a file in the API's envelope, gzipped
    const p = tmpFile('mp.json.gz', gzipSync(JSON.stringify({ data: [li2o, li], meta: { total_doc: 2 } })));
    const es = await loadEntries(p, { mpEnergy: 'formation' });
    expect(es.map((x) => [x.id, x.kind])).toEqual([
      ['mp-1960', 'formation'],
      ['mp-135', 'formation'],
    ]);
    const tot = await loadEntries(p);
    close(tot[0]!.energy, -4.929 * 12);
  });

  it('other shapes: only composition_reduced / formula_pretty, entry_id, correction given per atom or as a total', () => {
    const es = entriesFromRecords([
      { entry_id: 'e1', composition_reduced: { Li: 2, O: 1 }, energy_per_atom: -4.929 },
      { material_id: 'm2', formula_pretty: 'Li2O', uncorrected_energy_per_atom: -4.7, correction_per_atom: -0.229 },
      { material_id: 'm3', composition: { Li: 4, O: 2 }, uncorrected_energy_per_atom: -4.7, correction: -0.229 * 6 },
      { material_id: 'm4', composition: { Li: 4, O: 2 }, energy_per_atom: -4.929, correction: -0.229 * 6 },
      { material_id: 'm5', composition: { Li: 4, O: 2 }, energy_per_atom: -4.929, uncorrected_energy_per_atom: -4.7, correction_per_atom: -0.229 },
    ]);
    expect(es.map((e) => e.id)).toEqual(['e1', 'm2', 'm3', 'm4', 'm5']);
    for (const e of es) close(e.energyPerAtom, -4.929, 1e-12);
    close(es[0]!.energy, -4.929 * 3);
    expect(es[0]!.correction).toBe(0);
    close(es[1]!.correction, -0.229 * 3);
    close(es[2]!.correction, -0.229 * 6);
    close(es[3]!.correction, -0.229 * 6);
    close(es[4]!.correction, -0.229 * 6);
  });

  it('errors: missing/NaN energies, inconsistent corrections, missing composition', () => {
    const cases: [unknown[], RegExp][] = [
      [[li2o, { material_id: 'mp-x', formula_pretty: 'Li' }], /record 1 \(id "mp-x"\): missing energy_per_atom or uncorrected_energy_per_atom/],
      [[li2o, { ...li, energy_per_atom: NaN }], /record 1 \(id "mp-135"\): energy_per_atom is not a finite number \(NaN\)/],
      [
        [
          { material_id: 'f', formula_pretty: 'Li', formation_energy_per_atom: 0 },
          { material_id: 'g', formula_pretty: 'Li', energy_per_atom: -1 },
        ],
        /record 1 \(id "g"\): missing formation_energy_per_atom/,
      ],
      [[{ ...li2o, correction_per_atom: -0.5 }], /disagrees with the given correction/],
      [[{ ...li2o, correction: -0.229 }], /disagrees with the given correction \(correction -0\.229, taken as a total for 12 atoms\)/],
      [[{ material_id: 'c', energy_per_atom: -1 }], /id "c"\): missing composition/],
      [[{ material_id: 'c', formula_pretty: 'Qq2', energy_per_atom: -1 }], /unparsable formula_pretty "Qq2"/],
    ];
    for (const [recs, re] of cases) expect(() => entriesFromRecords(recs, { source: 'mp.json' })).toThrow(re);
  });
});

describe('entriesFromRecords on raw dataset records', () => {
  it('matches loadEntries for a pymatgen file and an Alexandria file', async () => {
    for (const f of ['mp-Li-Fe-P-O.json.gz', 'alexandria-Cu-Zn-O.json.gz']) {
      const a = entriesFromRecords(raw(f), { source: f });
      const b = await loadEntries(data(f));
      expect(a.map((e) => [e.id, e.energy, e.correctionUncertainty])).toEqual(b.map((e) => [e.id, e.energy, e.correctionUncertainty]));
    }
  });

  it('accepts a Composition-compatible string composition', () => {
    const [e] = entriesFromRecords([{ composition: 'Li2O', energy: -14.3, correction: -0.687 }]);
    expect(e!.composition).toBeInstanceOf(Composition);
    close(e!.energy, -14.987);
  });
});
