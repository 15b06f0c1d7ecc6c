// CSV candidates read by the engine's workers (csvCandidates): the same rows, errors and messages
// as streaming the file as entries on the main thread.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvChunks } from '../src/io/csv-chunks.js';
import { defaultEntries } from '../src/io/default-data.js';
import { createEngine, type Engine } from '../src/engine/index.js';
import type { Entry } from '../src/core/entry.js';
import { candidatesOf, csvCandidates, streamEntries } from '../src/io/node-loaders.js';
import { LoadError } from '../src/io/load-error.js';
import { screenStability, ScreenError, type ScreenOptions, type ScreenRow } from '../src/screen/stability.js';
import { csvCandidatesFromText } from '../src/io/csv-chunks.js';

const WORKER = new URL('../src/engine-worker.ts', import.meta.url);
let reference: readonly Entry[];
let tmp: string;
let engine: Engine;

beforeAll(async () => {
  reference = await defaultEntries();
  tmp = mkdtempSync(join(tmpdir(), 'interphase-csv-'));
  engine = await createEngine({ workers: 2, workerUrl: WORKER });
});
afterAll(async () => {
  await engine.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function collect(it: AsyncIterable<ScreenRow>): Promise<ScreenRow[]> {
  const out: ScreenRow[] = [];
  for await (const r of it) out.push(r);
  return out;
}

/** Rows, or the error the screen ended with, and the errors handed to onError. */
async function outcome(it: AsyncIterable<ScreenRow>): Promise<{ rows: ScreenRow[]; error?: Error }> {
  const rows: ScreenRow[] = [];
  try {
    for await (const r of it) rows.push(r);
    return { rows };
  } catch (e) {
    return { rows, error: e as Error };
  }
}

function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(text) : text);
  return path;
}

/** Candidates: the embedded rows with shifted energies, some ids empty, some quoted. */
function candidateText(n: number): string {
  const lines = ['\ufeff', 'formula,e_form_per_atom,id'];
  for (let i = 0; i < n; i++) {
    const e = reference[(i * 7) % reference.length]!;
    const id = i % 11 === 0 ? '' : i % 13 === 0 ? `"c,${i}"` : `c${i}`;
    lines.push(`${e.composition.formula.replace(/1(?=[A-Z]|$)/g, '')},${e.energyPerAtom + 0.001 * (i % 50)},${id}`);
    if (i % 97 === 0) lines.push('');
  }
  return `${lines.join(i18nNewline(n))}\r\n`;
}
const i18nNewline = (n: number): string => (n % 2 ? '\r\n' : '\n');

describe('csvCandidates: the same rows as streamEntries', () => {
  for (const [label, workers] of [
    ['in this thread', 0],
    ['on 2 workers', 2],
  ] as const) {
    it(`a gzipped file of 5,001 rows with a BOM, blank and CRLF lines, quoted and empty ids, ${label}`, async () => {
      const path = file('cands.csv.gz', candidateText(5001));
      const options: ScreenOptions = workers ? { engine } : {};
      const viaEntries = await collect(screenStability(streamEntries(path), reference, options));
      const viaCsv = await collect(screenStability(csvCandidates(path), reference, options));
      expect(viaCsv.length).toBe(5001);
      expect(viaCsv).toEqual(viaEntries);
      expect(viaCsv.some((r) => r.id === 'c,13')).toBe(true);
      if (workers) {
        // Another chunk size (the queue's choice): more jobs, the same rows.
        const before = engine.stats.batches;
        expect(await collect(screenStability(csvCandidates(path, { chunkChars: 4096 }), reference, options))).toEqual(viaEntries);
        expect(engine.stats.batches - before).toBeGreaterThan(10);
        expect(() => csvCandidates(path, { chunkChars: 0 })).toThrow('chunkChars must be a whole number >= 1, got 0');
      }
    });
  }

  it('chunks of whole lines with their line numbers, however the text arrives', async () => {
    const text = 'formula,e_form_per_atom\nLi2O,-2\nLiCl,-1.8\n\nLi3PS4,-1.1\nNaCl,-2.1';
    for (const pieces of [[text], text.split(''), [text.slice(0, 20), text.slice(20)]]) {
      const chunks = [];
      for await (const c of csvChunks(pieces, 'x.csv', 12)) chunks.push(c);
      expect(chunks.map((c) => c.header)).toEqual(chunks.map(() => 'formula,e_form_per_atom'));
      const lines = chunks.flatMap((c) => c.text.split('\n').map((l, k) => `${c.firstLine + k}:${l}`));
      expect(lines).toEqual(['2:Li2O,-2', '3:LiCl,-1.8', '4:', '5:Li3PS4,-1.1', '6:NaCl,-2.1']);
      expect(chunks.length).toBeGreaterThan(1);
    }
  });

  it('candidatesOf picks the CSV path by name; text in memory works in any thread', async () => {
    const path = file('names.csv', 'formula,e_form_per_atom\nLi2O,-2\n');
    expect(candidatesOf(path)).toMatchObject({ kind: 'csv-chunks', source: path });
    const rows = await collect(screenStability(csvCandidatesFromText('formula,e_form_per_atom\nLi2O,-2\nLiCl,-1.8\n', 'pasted'), reference));
    expect(rows.map((r) => r.formula)).toEqual(['Li2O1', 'Li1Cl1']);
  });
});

describe('csvCandidates: errors as streamEntries gives them', () => {
  const good = (n: number): string[] => reference.slice(0, n).map((e) => `${e.id},${e.energyPerAtom}`);

  for (const [label, workers] of [
    ['in this thread', 0],
    ['on 2 workers', 2],
  ] as const) {
    it(`a malformed line ends the screen with its file and line; the rows before it come out (${label})`, async () => {
      const lines = ['formula,e_form_per_atom', ...good(3000)];
      lines.splice(2500, 0, 'Li2O,abc');
      const path = file('bad.csv', lines.join('\n'));
      const options: ScreenOptions = workers ? { engine } : {};
      const viaEntries = await outcome(screenStability(streamEntries(path), reference, options));
      const viaCsv = await outcome(screenStability(csvCandidates(path), reference, options));
      expect(viaCsv.error).toBeInstanceOf(LoadError);
      expect(viaCsv.error!.message).toBe(viaEntries.error!.message);
      expect(viaCsv.error!.message).toBe(`${path} (line 2501, id "Li2O"): e_form_per_atom is not a number ("abc")`);
      expect((viaCsv.error as LoadError).line).toBe(2501);
      expect(viaCsv.rows.length).toBe(2499);
      expect(viaCsv.rows).toEqual((await collect(screenStability(reference.slice(0, 2499), reference))).map((r, i) => ({ ...r, id: reference[i]!.id })));
    });

    it(`an element outside the reference: ScreenError with the entry and its index; skip; onError (${label})`, async () => {
      const path = file('k.csv', ['formula,e_form_per_atom,id', 'LiCl,-1.8,a', 'KCl,-2,x-KCl', 'Li2O,-2,b'].join('\n'));
      const options: ScreenOptions = workers ? { engine } : {};
      const viaEntries = await outcome(screenStability(streamEntries(path), reference, options));
      const viaCsv = await outcome(screenStability(csvCandidates(path), reference, options));
      expect(viaCsv.error).toBeInstanceOf(ScreenError);
      expect(viaCsv.error!.message).toBe(viaEntries.error!.message);
      expect(viaCsv.error!.message).toMatch(/candidate "x-KCl" \(K1Cl1\): K not in the reference dataset/);
      expect((viaCsv.error as ScreenError).index).toBe(1);
      expect((viaCsv.error as ScreenError).entry).toMatchObject({ id: 'x-KCl', energyPerAtom: -2 });
      expect((await collect(screenStability(csvCandidates(path), reference, { ...options, unknownElements: 'skip' }))).map((r) => r.id)).toEqual(['a', 'b']);
      const errors: Error[] = [];
      const rows = await collect(screenStability(csvCandidates(path), reference, { ...options, onError: (e) => errors.push(e) }));
      expect(rows.map((r) => r.id)).toEqual(['a', 'b']);
      expect(errors.map((e) => e.message)).toEqual([viaEntries.error!.message]);
    });
  }

  // The workers' fast path (plain lines, formulas parsed once) and the reader (every other line)
  // against streamEntries, row by row and error by error.
  it('odd rows among plain ones: padded cells, repeated formulas, errors kept going (onError)', async () => {
    const lines = ['formula,e_form_per_atom,id'];
    for (let i = 0; i < 400; i++) {
      const e = reference[i % 37]!;
      const odd = i % 41;
      if (odd === 1) lines.push(` ${e.id} ,${e.energyPerAtom},p${i}`);
      else if (odd === 2) lines.push(`${e.id}, ${e.energyPerAtom} ,p${i}`);
      else if (odd === 5) lines.push(`KCl,-1,k${i}`);
      else if (odd === 6) lines.push(`Li1000000000O,-1,tiny${i}`);
      else if (odd === 7) lines.push('   ');
      else if (odd === 8) lines.push(`${e.id},-0,z${i}`);
      else if (odd === 9) lines.push(`${e.id},${e.energyPerAtom},`);
      else lines.push(`${e.id},${e.energyPerAtom + 0.001 * i},"q,${i}"`);
    }
    const path = file('odd.csv', lines.join('\n'));
    for (const options of [{}, { engine }] as ScreenOptions[]) {
      const run = async (source: Parameters<typeof screenStability>[0]) => {
        const errors: string[] = [];
        const rows = await collect(screenStability(source, reference, { ...options, onError: (e) => errors.push(`${(e as ScreenError).index}: ${e.message}`) }));
        return { rows, errors };
      };
      const viaEntries = await run(streamEntries(path));
      const viaCsv = await run(csvCandidates(path, { chunkChars: 2048 }));
      expect(viaCsv.rows.length).toBeGreaterThan(300);
      expect(viaCsv).toEqual(viaEntries);
      expect(viaCsv.errors.some((m) => m.includes('K not in the reference'))).toBe(true);
    }
    // A bad line ends the screen, named, after the rows before it.
    for (const [bad, message] of [
      ['LiCl,NaN', /line 3.*not a number \("NaN"\)/],
      ['Xx2O,-1', /line 3.*unparsable formula "Xx2O": unknown element 'Xx'/],
      ['Li2O((,-1', /line 3.*unparsable formula "Li2O\(\("/],
      ['LiCl,1e999', /line 3.*not a finite number/],
    ] as const) {
      const path = file('bad-line.csv', `formula,e_form_per_atom\nLi2O,-2\n${bad}\nLiCl,-1\n`);
      const e1 = await outcome(screenStability(streamEntries(path), reference));
      const e2 = await outcome(screenStability(csvCandidates(path), reference, { engine }));
      expect(e2.error).toBeInstanceOf(LoadError);
      expect(e2.error!.message).toBe(e1.error!.message);
      expect(e2.error!.message).toMatch(message);
      expect(e2.rows.map((r) => r.id)).toEqual(['Li2O']);
    }
  });

  it('total energies and an uncertainty column: the same rows as streamEntries', async () => {
    const total = file('total.csv', ['formula,energy,id', ...reference.slice(0, 500).map((e, i) => `${e.id},${e.energyPerAtom * e.composition.numAtoms - 3},t${i}`)].join('\n'));
    const std = file('std.csv', ['formula,e_form_per_atom,e_form_per_atom_std', ...reference.slice(0, 500).map((e) => `${e.id},${e.energyPerAtom},0.01`)].join('\n'));
    for (const path of [total, std]) {
      const viaEntries = await outcome(screenStability(streamEntries(path), reference, { engine }));
      const viaCsv = await outcome(screenStability(csvCandidates(path), reference, { engine }));
      expect(viaCsv).toEqual(viaEntries);
    }
  });

  it('a bad header, an empty file, a missing file', async () => {
    const bad = file('header.csv', 'formula,e_form_per_atom,colour\nLi2O,-2,red\n');
    const e1 = await outcome(screenStability(streamEntries(bad), reference));
    const e2 = await outcome(screenStability(csvCandidates(bad), reference, { engine }));
    expect(e2.error!.message).toBe(e1.error!.message);
    expect(e2.error!.message).toMatch(/unexpected CSV column "colour"/);
    const empty = file('empty.csv.gz', 'formula,e_form_per_atom\n\n');
    const e3 = await outcome(screenStability(csvCandidates(empty), reference, { engine }));
    expect(e3.error).toBeInstanceOf(LoadError);
    expect(e3.error!.message).toBe(`no entries in ${empty}`);
    const e4 = await outcome(screenStability(csvCandidates(join(tmp, 'nope.csv')), reference, { engine }));
    expect(e4.error!.message).toMatch(/ENOENT/);
  });

  it('cancellation: an aborted signal stops the screen, and the engine goes on serving', async () => {
    const path = file('many.csv', ['formula,e_form_per_atom', ...good(13000)].join('\n'));
    const ac = new AbortController();
    let seen = 0;
    const r = await outcome(screenStability(csvCandidates(path), reference, { engine, signal: ac.signal, onProgress: (d) => ((seen = d), ac.abort()) }));
    expect(r.error).toMatchObject({ name: 'AbortError' });
    expect(seen).toBeLessThan(13000);
    expect((await collect(screenStability(csvCandidates(path), reference, { engine }))).length).toBe(13000);
  });
});
