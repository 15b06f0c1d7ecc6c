// The stability screen against pymatgen references and against the hull of the synchronous API,
// streaming, errors, and the `screen stability` command.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenStabilityCommand } from '../src/cli/screen-stability.js';
import { UsageError } from '../src/cli/args.js';
import { defaultEntries } from '../src/io/default-data.js';
import { Entry } from '../src/core/entry.js';
import { csvCandidates, loadEntries, streamEntries } from '../src/io/node-loaders.js';
import { progressBar } from '../src/cli/progress.js';
import { screenStability, screenStabilitySync, ScreenError, type ScreenRow } from '../src/screen/stability.js';
import { systemStabilities, type SystemStability } from '../src/thermo/system-hull.js';
import { DATA, hasShared, readReference, REFERENCE } from './helpers/shared.js';

const SHIFT = 0.05;
let reference: readonly Entry[];
let own: Map<string, SystemStability>;
let tmp: string;

beforeAll(async () => {
  reference = await defaultEntries();
  own = new Map([...systemStabilities(reference)].map((r) => [r.entry.id, r]));
  tmp = mkdtempSync(join(tmpdir(), 'interphase-screen-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function collect(it: AsyncIterable<ScreenRow>): Promise<ScreenRow[]> {
  const out: ScreenRow[] = [];
  for await (const r of it) out.push(r);
  return out;
}

/** The reference's rows as candidates, `shift` eV/atom higher, ids prefixed. */
function shifted(entries: readonly Entry[], shift: number): Entry[] {
  return entries.map((e) => new Entry({ id: `cand-${e.id}`, composition: e.composition, eFormPerAtom: e.energyPerAtom + shift }));
}

const SAMPLE_ELEMENTS = new Set('Li Na P S Cl Br I F O N B C Si Ge Sn Sb La Zr Ti Al Nb Ta Co Ni Mn Fe Y In Sc Ga Zn Hf'.split(' '));

/** pymatgen's rows of the MP sample made of the embedded data's elements. */
function pymatgenSample(): Array<{ formula: string; eForm: number; signed: number; stable: boolean; decomposition: string[] }> {
  const lines = readFileSync(`${REFERENCE}mp-legacy-sample-hull.csv`, 'utf8').trim().split(/\r?\n/).slice(1);
  return lines
    .map((l) => {
      const [formula, eForm, signed, stable, decomposition] = l.split(',');
      return { formula: formula!, eForm: Number(eForm), signed: Number(signed), stable: stable === 'True', decomposition: decomposition!.split(' ').sort() };
    })
    .filter((r) => r.formula.match(/[A-Z][a-z]?/g)!.every((el) => SAMPLE_ELEMENTS.has(el)));
}

describe('screenStability against the embedded data', () => {
  it(`every embedded row ${SHIFT} eV/atom higher is ${SHIFT} above its own hull (plus its E_hull), decomposing as the synchronous API says`, () => {
    const candidates = shifted(reference, SHIFT);
    const rows = screenStabilitySync(candidates, reference);
    expect(rows.length).toBe(reference.length);
    let stable = 0;
    rows.forEach((r, i) => {
      const s = own.get(reference[i]!.id)!;
      expect(r.id).toBe(`cand-${s.entry.id}`);
      expect(r.formula).toBe(s.entry.composition.formula);
      expect(r.e_form_per_atom).toBe(candidates[i]!.energyPerAtom);
      if (s.stable) {
        stable++;
        // Against itself (same composition): exactly the shift.
        expect(r.e_above_hull).toBeCloseTo(SHIFT, 14);
        expect({ ...r.decomposition }).toEqual({ [s.entry.id]: 1 });
      } else {
        expect(r.e_above_hull, r.id).toBeCloseTo(s.signedHullDistance + SHIFT, 12);
        const want = s.decomposition.map((p) => p.entry.id);
        expect(Object.keys(r.decomposition)).toEqual(want);
        s.decomposition.forEach((p) => expect(r.decomposition[p.entry.id]!).toBeCloseTo(p.fraction, 12));
      }
    });
    expect(stable).toBeGreaterThan(2000);
    expect(stable).toBeLessThan(reference.length - 5000);
  });

  it('a candidate judged against the reference without its composition: signed distance + shift, negative below the hull', () => {
    // Stable rows by more than SHIFT come out below the reference hull (e_above_hull < 0).
    const picks = [...own.values()].filter((s) => !s.entry.id.startsWith('ref-') && s.entry.composition.elements.length > 1);
    const deep = picks.filter((s) => s.stable && s.signedHullDistance < -SHIFT - 0.01).slice(0, 12);
    const shallow = picks.filter((s) => s.stable && s.signedHullDistance > -SHIFT + 0.01).slice(0, 6);
    const unstable = picks.filter((s) => !s.stable).slice(0, 6);
    expect(deep.length).toBe(12);
    for (const s of [...deep, ...shallow, ...unstable]) {
      const rest = reference.filter((e) => e !== s.entry);
      const [r] = screenStabilitySync(shifted([s.entry], SHIFT), rest);
      expect(r!.e_above_hull, s.entry.id).toBeCloseTo(s.signedHullDistance + SHIFT, 10);
      if (deep.includes(s)) expect(r!.e_above_hull).toBeLessThan(0);
      // The decomposition: the competing phases (never the candidate's own composition).
      expect(Object.keys(r!.decomposition)).not.toContain(s.entry.id);
      expect(Object.values(r!.decomposition).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it("candidates never enter each other's hulls", () => {
    // A very stable hypothetical Li2S2 would change Li4S3's hull if it were added to the reference.
    const li2s2 = new Entry({ id: 'hyp-LiS', composition: 'LiS', eFormPerAtom: -5 });
    const li4s3 = new Entry({ id: 'hyp-Li4S3', composition: 'Li4S3', eFormPerAtom: -1 });
    const together = screenStabilitySync([li2s2, li4s3], reference);
    const alone = screenStabilitySync([li4s3], reference);
    expect(together[1]).toEqual(alone[0]);
    expect(Object.keys(together[1]!.decomposition)).not.toContain('hyp-LiS');
    expect(together[0]!.e_above_hull).toBeLessThan(-3);
  });
});

describe('reference arrays', () => {
  it('a grown array is indexed again (the cache is per unchanged array)', () => {
    const ref = [...reference];
    const cand = [new Entry({ id: 'c', composition: 'Li2S', eFormPerAtom: -1.5 })];
    const before = screenStabilitySync(cand, ref)[0]!;
    ref.push(new Entry({ id: 'super-Li2S', composition: 'Li2S', eFormPerAtom: -3 }));
    const after = screenStabilitySync(cand, ref)[0]!;
    expect(after.e_above_hull).toBeCloseTo(1.5, 12);
    expect({ ...after.decomposition }).toEqual({ 'super-Li2S': 1 });
    expect(before.e_above_hull).toBeLessThan(1);
  });
});

describe.skipIf(!hasShared())('screenStability against pymatgen', () => {
  it('MP sample rows in the 32 elements: E_hull and decomposition as pymatgen', () => {
    const sample = pymatgenSample();
    expect(sample.length).toBe(226);
    const candidates = sample.map((s) => new Entry({ id: `s-${s.formula}`, composition: s.formula, eFormPerAtom: s.eForm }));
    const rows = screenStabilitySync(candidates, reference);
    rows.forEach((r, i) => {
      const s = sample[i]!;
      if (s.stable) {
        expect(r.e_above_hull, s.formula).toBe(0);
        expect(Object.keys(r.decomposition)).toEqual([s.formula]);
      } else {
        expect(r.e_above_hull, s.formula).toBeCloseTo(s.signed, 9);
        // The sample names elemental phases by symbol; the added references are `ref-El`.
        expect(
          Object.keys(r.decomposition)
            .map((id) => id.replace(/^ref-/, ''))
            .sort(),
          s.formula,
        ).toEqual(s.decomposition);
      }
    });
  });

  it('stable MP sample rows against the embedded data without them: minus their phase-separation energy (pymatgen)', () => {
    const stable = pymatgenSample().filter((s) => s.stable && s.formula.match(/[A-Z]/g)!.length > 1);
    expect(stable.length).toBeGreaterThan(40);
    const slsqpShort: string[] = [];
    for (const s of stable) {
      const rest = reference.filter((e) => e.id !== s.formula);
      expect(rest.length).toBe(reference.length - 1);
      const [r] = screenStabilitySync([new Entry({ composition: s.formula, eFormPerAtom: s.eForm })], rest);
      expect(r!.e_above_hull).toBeLessThan(0);
      // Exactly the (LP-exact) phase-separation energy of the synchronous API...
      expect(r!.e_above_hull, s.formula).toBeCloseTo(own.get(s.formula)!.signedHullDistance, 10);
      // ...which is pymatgen's, but where pymatgen's SLSQP optimiser stops short of the lowest
      // competing mixture (its hull too high, its energy too negative).
      if (Math.abs(r!.e_above_hull - s.signed) > 1e-6) {
        expect(r!.e_above_hull, s.formula).toBeGreaterThan(s.signed);
        slsqpShort.push(s.formula);
      }
    }
    expect(slsqpShort.length).toBeLessThanOrEqual(3);
  });

  it('total-energy data (mp-Li-Fe-P-O, pymatgen entries): every entry against the set, as pymatgen', async () => {
    const entries = await loadEntries(`${DATA}mp-Li-Fe-P-O.json.gz`);
    const ref = readReference<{ entries: Array<{ id: string; e_form_per_atom: number; e_above_hull: number; stable: boolean; decomposition: Record<string, number> }> }>('mp-Li-Fe-P-O.json');
    const byId = new Map(ref.entries.map((e) => [e.id, e]));
    const rows = screenStabilitySync(entries, entries);
    expect(rows.length).toBe(entries.length);
    for (const r of rows) {
      const p = byId.get(r.id)!;
      expect(r.e_form_per_atom, r.id).toBeCloseTo(p.e_form_per_atom, 9);
      expect(r.e_above_hull, r.id).toBeCloseTo(p.e_above_hull, 9);
      if (!p.stable) {
        expect(Object.keys(r.decomposition).sort(), r.id).toEqual(Object.keys(p.decomposition).sort());
        for (const [id, f] of Object.entries(p.decomposition)) expect(r.decomposition[id]!).toBeCloseTo(f, 9);
      }
    }
  });
});

describe('streaming', () => {
  it('reads a bounded window ahead of the rows it yields, rows in input order', async () => {
    const candidates = shifted(reference, SHIFT);
    let pulled = 0;
    async function* source(): AsyncGenerator<Entry> {
      for (const c of candidates) {
        pulled++;
        yield c;
      }
    }
    const window = 500;
    let yielded = 0;
    let maxAhead = 0;
    const expected = screenStabilitySync(candidates, reference);
    for await (const r of screenStability(source(), reference, { window, batchSize: 100 })) {
      expect(r).toEqual(expected[yielded]);
      yielded++;
      maxAhead = Math.max(maxAhead, pulled - yielded);
    }
    expect(yielded).toBe(candidates.length);
    expect(maxAhead).toBeLessThanOrEqual(2 * window);
  });

  it('after abort() not one more row: entries and CSV chunks (issue 14: up to ~8k rows of the window in hand)', async () => {
    const candidates = shifted(reference, SHIFT).slice(0, 6000);
    const csvFile = join(tmp, 'abort.csv');
    writeFileSync(csvFile, `id,formula,e_form_per_atom\n${candidates.map((e) => `${e.id},${e.composition.formula},${e.energyPerAtom}`).join('\n')}\n`);
    for (const [what, source] of [
      ['entries', () => candidates],
      ['csv', () => csvCandidates(csvFile)],
    ] as const) {
      const ac = new AbortController();
      let after = 0;
      const err = await (async () => {
        for await (const _ of screenStability(source(), reference, { signal: ac.signal, window: 4096 })) {
          if (ac.signal.aborted) after++;
          ac.abort();
        }
      })().catch((e: unknown) => e);
      expect(err, what).toMatchObject({ name: 'AbortError' });
      expect(after, what).toBe(0);
    }
  });

  it('streams a gzipped CSV file of candidates (streamEntries)', async () => {
    const file = join(tmp, 'candidates.csv.gz');
    const some = reference.slice(0, 2000);
    writeFileSync(file, gzipSync(`id,formula,e_form_per_atom\n${some.map((e) => `c${e.id},${e.id},${e.energyPerAtom + SHIFT}`).join('\n')}\n`));
    const rows = await collect(screenStability(streamEntries(file), reference, { window: 300 }));
    expect(rows.map((r) => r.id)).toEqual(some.map((e) => `c${e.id}`));
    const sync = screenStabilitySync(shifted(some, SHIFT), reference);
    rows.forEach((r, i) => expect(r.e_above_hull).toBeCloseTo(sync[i]!.e_above_hull, 12));
  });
});

describe('errors name the candidate', () => {
  const k = new Entry({ id: 'x-KCl', composition: 'KCl', eFormPerAtom: -2 });
  const ok = new Entry({ id: 'x-LiCl', composition: 'LiCl', eFormPerAtom: -1.8 });

  it('an element outside the reference', async () => {
    const err = await collect(screenStability([ok, k], reference)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScreenError);
    expect((err as ScreenError).message).toMatch(/candidate "x-KCl" \(K1Cl1\): K not in the reference dataset/);
    expect((err as ScreenError).entry).toBe(k);
    expect((err as ScreenError).index).toBe(1);
    expect(() => screenStabilitySync([k], reference)).toThrow(/x-KCl/);
  });

  it('skip, or report and go on', async () => {
    expect((await collect(screenStability([ok, k, ok], reference, { unknownElements: 'skip' }))).map((r) => r.id)).toEqual(['x-LiCl', 'x-LiCl']);
    const errors: Error[] = [];
    const rows = await collect(screenStability([k, ok], reference, { onError: (e) => errors.push(e) }));
    expect(rows.map((r) => r.id)).toEqual(['x-LiCl']);
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/x-KCl/)]);
  });

  it('energies of another kind than the reference', () => {
    const total = new Entry({ id: 'x-total', composition: 'Li2O', energy: -14.3 });
    expect(() => screenStabilitySync([total], reference)).toThrow(/"x-total" \(Li2O1\) has a total energy, but the reference dataset has formation energies/);
  });

  it('an element below 1e-8 of the atoms is refused, naming the candidate; above, tiny shares stay in the decomposition (issue 14)', () => {
    const tiny = new Entry({ id: 'x-tiny', composition: { Li: 8, S: 1e-8 }, eFormPerAtom: -0.1 });
    expect(() => screenStabilitySync([tiny], reference)).toThrow(/candidate "x-tiny" \(Li8S1e-08\): S is 1\.25e-9 of its atoms, below 1e-8/);
    // S at 2.5e-7: its S-bearing phase has a share below 1e-8, kept — the decomposition adds up, as in the PhaseDiagram.
    const small = new Entry({ id: 'x-small', composition: { Li: 8, S: 2e-6 }, eFormPerAtom: 0.01 });
    const [row] = screenStabilitySync([small], reference);
    const sOf = (id: string) => (id.startsWith('ref-') ? (id === 'ref-S' ? 1 : 0) : reference.find((e) => e.id === id)!.composition.atomicFraction('S'));
    const s = Object.entries(row!.decomposition).reduce((acc, [id, f]) => acc + f * sOf(id), 0);
    expect(s / small.composition.atomicFraction('S')).toBeCloseTo(1, 9);
    const ref = new Entry({ id: 'x-ref', composition: { Li: 8, S: 1e-8 }, eFormPerAtom: -0.1 });
    expect(() => screenStabilitySync([ok], [...reference, ref])).toThrow(/reference entry "x-ref" \(Li8S1e-08\): S is 1\.25e-9 of its atoms/);
  });
});

describe('progress bar', () => {
  it('draws count, bar, rate and ETA, throttled', () => {
    let t = 0;
    let out = '';
    const bar = progressBar((s) => (out += s), { now: () => t, unit: 'rows' });
    t = 1000;
    bar.update(500, 2000);
    expect(out).toContain('[######..................]  25%');
    expect(out).toContain('500/2,000 rows');
    expect(out).toContain('500 rows/s');
    expect(out).toContain('ETA 0:03');
    const len = out.length;
    t = 1050;
    bar.update(600, 2000); // within 100 ms: not redrawn
    expect(out.length).toBe(len);
    t = 2000;
    bar.finish();
    expect(out.endsWith('\n')).toBe(true);
    expect(out).toContain('600/2,000 rows');
    // No writer (stderr piped): a no-op bar.
    const quiet = progressBar(undefined);
    expect(() => (quiet.update(1, 2), quiet.finish(), quiet.clear())).not.toThrow();
  });
});

describe('interphase screen stability', () => {
  const run = async (args: string[], isTTY = false) => {
    let out = '';
    let err = '';
    const code = await screenStabilityCommand(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY });
    return { code, out, err };
  };
  let file: string;
  let expected: ScreenRow[];
  beforeAll(() => {
    file = join(tmp, 'cands.csv');
    const some = [...reference.slice(0, 300), ...reference.slice(9000, 9300)];
    writeFileSync(file, `formula,e_form_per_atom\n${some.map((e) => `${e.id},${e.energyPerAtom + SHIFT}`).join('\n')}\n`);
    expected = screenStabilitySync(
      some.map((e) => new Entry({ id: e.id, composition: e.composition, eFormPerAtom: e.energyPerAtom + SHIFT })),
      reference,
    );
  });

  it('--csv: every row, full precision, embedded data announced on stderr', async () => {
    const { code, out, err } = await run([file, '--csv', '--workers', '1']);
    expect(code).toBe(0);
    expect(err).toMatch(/^interphase: no --data given: using the embedded data \(mp-legacy-32: Materials Project/);
    expect(err).toMatch(/CC BY 4\.0/);
    expect(err.split('\n').filter(Boolean).length).toBe(1); // piped: no progress bar
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('id,formula,e_form_per_atom,e_above_hull,decomposition');
    expect(lines.length).toBe(601);
    lines.slice(1).forEach((l, i) => {
      const [id, formula, ef, eh, dec] = l.split(',');
      const r = expected[i]!;
      expect([id, formula, Number(ef), Number(eh)]).toEqual([r.id, r.formula, r.e_form_per_atom, r.e_above_hull]);
      expect(Object.fromEntries(dec!.split(' ').map((p) => [p.split(':')[0], Number(p.split(':')[1])]))).toEqual({ ...r.decomposition });
    });
  });

  it('--json (in this thread) and --out FILE', async () => {
    const json = join(tmp, 'out.json');
    const { code, out } = await run([file, '--json', '--workers', '0', '--out', json]);
    expect(code).toBe(0);
    expect(out).toBe('');
    const doc = JSON.parse(readFileSync(json, 'utf8'));
    expect(doc.reference).toBe('mp-legacy-32');
    expect(doc.count).toBe(600);
    expect(doc.rows).toEqual(expected.map((r) => ({ ...r, decomposition: { ...r.decomposition } })));
    expect(doc.below_hull).toBe(0);
  });

  it('--data FILE, a text table, and a progress bar on a terminal', async () => {
    const data = join(tmp, 'ref.csv');
    writeFileSync(data, `formula,e_form_per_atom\n${reference.map((e) => `${e.id},${e.energyPerAtom}`).join('\n')}\n`);
    const { code, out, err } = await run([file, '--data', data], true);
    expect(code).toBe(0);
    expect(err).not.toMatch(/embedded/);
    expect(err).toMatch(/\r.*candidates\/s/);
    expect(err).toMatch(/600 candidates screened against .*ref\.csv/);
    expect(out.split('\n')[0]).toMatch(/^id\s+formula\s+E_form\s+E_hull\s+decomposition$/);
    expect(out).toContain(`${expected[0]!.id}`);
    expect(out).toMatch(/600 candidates against .*: 0 below the reference hull/);
  });

  it('usage errors, file errors, candidates the reference cannot judge', async () => {
    await expect(run([])).rejects.toThrow(UsageError);
    await expect(run([file, '--bogus'])).rejects.toThrow(/unknown option --bogus/);
    await expect(run([file, '--json', '--csv'])).rejects.toThrow(UsageError);
    await expect(run([file, '--workers', 'two'])).rejects.toThrow(/--workers/);
    await expect(run([join(tmp, 'nope.csv')])).rejects.toThrow(/cannot read .*nope\.csv: no such file/);
    const bad = join(tmp, 'bad.csv');
    writeFileSync(bad, 'formula,e_form_per_atom\nLiCl,-1.8\nKCl,-2.1\n');
    await expect(run([bad, '--csv', '--workers', '0'])).rejects.toThrow(/candidate "KCl" \(K1Cl1\): K not in the reference/);
    const skipped = await run([bad, '--csv', '--workers', '0', '--skip-errors']);
    expect(skipped.code).toBe(0);
    expect(skipped.out.trim().split('\n').length).toBe(2);
    expect(skipped.err).toMatch(/skipped: candidate "KCl"/);
    // A CSV file is read by the workers: a malformed line still names the file and the line.
    const malformed = join(tmp, 'malformed.csv');
    writeFileSync(malformed, 'formula,e_form_per_atom\nLiCl,-1.8\nLi2O,abc\n');
    await expect(run([malformed, '--csv', '--workers', '1'])).rejects.toThrow(/malformed\.csv \(line 3, id "Li2O"\): e_form_per_atom is not a number \("abc"\)/);
    await expect(run([bad, '--csv', '--workers', '1'])).rejects.toThrow(/candidate "KCl" \(K1Cl1\): K not in the reference/);
  });
});
