// Readers at their edges (issue 14): invalid UTF-8 and CR-only line ends get one named error from
// every path (hull, screen stability, Node files, dropped files), and values or lines longer than a
// piece cost linear work.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { entriesFromFile } from '../src/io/blob-entries.js';
import { JsonArrayReader } from '../src/io/json-reader.js';
import { LineSplitter } from '../src/io/lines.js';
import { loadEntries } from '../src/io/node-loaders.js';
import { invalidUtf8At } from '../src/io/utf8.js';

const tmp = mkdtempSync(join(tmpdir(), 'interphase-io-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

const GOOD = 'formula,e_form_per_atom\nLi,0\nO,0\nLi2O,-2\n';

describe('invalid UTF-8: refused naming the file, line and byte (it became U+FFFD)', () => {
  // Line 5 holds Latin-1 "é" (0xE9) where UTF-8 needs two bytes.
  const bytes = Buffer.concat([Buffer.from(`${GOOD}Li2O2`), Buffer.from([0xe9]), Buffer.from(',-1.5\n')]);
  const at = Buffer.byteLength(`${GOOD}Li2O2`);
  const msg = (name: string) => new RegExp(`${name} line 5: not UTF-8 text: invalid byte 0xE9 at byte ${at}; interphase reads UTF-8`);

  it('the same message from hull, screen stability, loadEntries (plain and gzipped) and a dropped file', async () => {
    const file = join(tmp, 'latin1.csv');
    writeFileSync(file, bytes);
    writeFileSync(`${file}.gz`, gzipSync(bytes));
    const hull = await cli(['hull', file]);
    expect(hull.code).toBe(1);
    expect(hull.err).toMatch(msg('latin1\\.csv'));
    const screen = await cli(['screen', 'stability', file, '--workers', '0']);
    expect(screen.code).toBe(1);
    expect(screen.err).toMatch(msg('latin1\\.csv'));
    await expect(loadEntries(file)).rejects.toThrow(msg('latin1\\.csv'));
    await expect(loadEntries(`${file}.gz`)).rejects.toThrow(msg('latin1\\.csv\\.gz'));
    await expect(entriesFromFile(new File([bytes], 'dropped.csv'))).rejects.toThrow(msg('dropped\\.csv'));
  });

  it('a character cut between two pieces of the file is not an error; one cut by the end of the file is', async () => {
    const file = join(tmp, 'straddle.csv');
    // "é" (two bytes) in an id straddles byte 65536: the loaders read 64 KiB pieces.
    let head = 'formula,e_form_per_atom,id\n';
    for (let i = 0; head.length < 65400; i++) head += `Li2O,-2,r${i}\n`;
    const prefix = `${head}Li2O,-2,`;
    const text = `${prefix}${'a'.repeat(65535 - prefix.length)}é\n`;
    writeFileSync(file, text);
    expect(Buffer.from(text).indexOf(Buffer.from('é'))).toBe(65535);
    const entries = await loadEntries(file);
    expect(entries[entries.length - 1]!.id).toMatch(/^a+é$/);
    const cut = join(tmp, 'cut.csv');
    writeFileSync(cut, Buffer.concat([Buffer.from(`${GOOD}Li2O2,-1.5,`), Buffer.from([0xc3])]));
    await expect(loadEntries(cut)).rejects.toThrow(/cut\.csv: not UTF-8 text: the file ends inside a character/);
  });

  it('invalidUtf8At: overlong, surrogate and out-of-range sequences', () => {
    const at = (...b: number[]) => invalidUtf8At(Uint8Array.from(b));
    expect(at(0x41, 0xc3, 0xa9)).toBe(-1);
    expect(at(0x41, 0xc3)).toBe(-1); // cut: the next piece may complete it
    expect(at(0xc0, 0x80)).toBe(0); // overlong
    expect(at(0x41, 0xed, 0xa0, 0x80)).toBe(1); // surrogate
    expect(at(0xf4, 0x90, 0x80, 0x80)).toBe(0); // above U+10FFFF
    expect(at(0xe2, 0x82, 0xac, 0xff)).toBe(3);
  });
});

describe('CR-only line ends: one reader, one message', () => {
  it('hull and screen stability name the same cause (screen said "no entries")', async () => {
    const file = join(tmp, 'mac.csv');
    writeFileSync(file, GOOD.replace(/\n/g, '\r'));
    const want = /mac\.csv \(line 1\): lines end in a lone CR \(classic Mac OS line ends\), so the file reads as one line: convert it to LF or CRLF line ends/;
    const hull = await cli(['hull', file]);
    const screen = await cli(['screen', 'stability', file, '--workers', '0']);
    expect(hull.code).toBe(1);
    expect(screen.code).toBe(1);
    expect(hull.err).toMatch(want);
    expect(screen.err).toMatch(want);
    // CRLF is fine.
    writeFileSync(file, GOOD.replace(/\n/g, '\r\n'));
    expect(await loadEntries(file)).toHaveLength(3);
  });
});

describe('long values and lines cost linear work', () => {
  it('a 16 MB string the JSON reader does not skip is read once, not re-copied at every piece', () => {
    const big = 'x'.repeat(16 << 20);
    const doc = `[{"composition": {"Li": 2, "O": 1}, "e_form_per_atom": -2, "entry_id": "a", "note": "${big}"}, {"composition": "O", "e_form_per_atom": 0, "entry_id": "b", "note": "\\"${'\\\\'.repeat(3)}"}]`;
    const r = new JsonArrayReader({ source: 'big.json' });
    const out = [];
    for (let i = 0; i < doc.length; i += 1 << 16) out.push(...r.push(doc.slice(i, i + (1 << 16))));
    out.push(...r.end());
    expect(out.map((e) => (e.value as { entry_id: string }).entry_id)).toEqual(['a', 'b']);
    expect((out[0]!.value as { note: string }).note.length).toBe(big.length);
    expect((out[1]!.value as { note: string }).note).toBe('"\\\\\\');
    // Quadratic was ~ (16 MB)² / 64 KB / 2 = 2 GB of copies; linear is about one copy of the string.
    expect(r.recopied).toBeLessThan(2 * doc.length);
  });

  it('a number cut across many pieces, and escapes cut between pieces', () => {
    const doc = `[{"composition": "Li", "e_form_per_atom": -0.${'1'.repeat(5000)}, "entry_id": "a\\"\\\\b"}]`;
    for (const size of [1, 3, 64]) {
      const r = new JsonArrayReader();
      const out = [];
      for (let i = 0; i < doc.length; i += size) out.push(...r.push(doc.slice(i, i + size)));
      out.push(...r.end());
      expect(
        out.map((e) => (e.value as { entry_id: string }).entry_id),
        `pieces of ${size}`,
      ).toEqual(['a"\\b']);
      expect((out[0]!.value as { e_form_per_atom: number }).e_form_per_atom).toBeCloseTo(-0.111111, 6);
    }
  });

  it('a line longer than a piece (LineSplitter) comes out whole', () => {
    const s = new LineSplitter();
    const long = 'y'.repeat(1 << 20);
    for (let i = 0; i < long.length; i += 1000) s.push(long.slice(i, i + 1000));
    expect(s.next()).toBeUndefined();
    s.push('\nnext');
    expect(s.next()).toBe(long);
    expect(s.next()).toBeUndefined();
    expect(s.rest()).toBe('next');
  });
});
