// Issue 14 #4: decompositions name phases by id, so two entries of different compositions sharing
// an id merged (Li3O2 reported as one phase at 0.4, the other 0.6 lost). Refused: by the loaders
// naming both lines or records, and by every dataset-level hull naming both entries. Entries of one
// composition may share an id (polymorphs in a CSV without an id column are named by their formula).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Entry } from '../src/core/entry.js';
import { entriesFromCsv } from '../src/io/csv-reader.js';
import { entriesFromFile } from '../src/io/blob-entries.js';
import { loadEntries, streamEntries } from '../src/io/node-loaders.js';
import { entriesFromRecords } from '../src/io/records.js';
import { screenStabilitySync } from '../src/screen/stability.js';
import { HullError } from '../src/thermo/hull.js';
import { PhaseDiagram } from '../src/thermo/phase-diagram.js';
import { systemStabilities } from '../src/thermo/system-hull.js';

const tmp = mkdtempSync(join(tmpdir(), 'interphase-ids-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const e = (id: string, composition: string, eFormPerAtom: number) => new Entry({ id, composition, eFormPerAtom });

describe('duplicate ids', () => {
  const shared = [e('Li', 'Li', 0), e('O', 'O', 0), e('x', 'Li2O', -2), e('x', 'Li2O2', -1.7)];

  it('the issue: Li3O2 against a reference whose Li2O and Li2O2 share an id — refused, not one phase at 0.4', () => {
    expect(() => screenStabilitySync([e('c', 'Li3O2', -1.5)], shared)).toThrow(HullError);
    expect(() => screenStabilitySync([e('c', 'Li3O2', -1.5)], shared)).toThrow(/entries 2 and 3 \(0-based\) share the id "x" but are different compositions \(Li2O1 and Li2O2\)/);
    expect(() => new PhaseDiagram(shared)).toThrow(/share the id "x"/);
    expect(() => [...systemStabilities(shared)]).toThrow(/share the id "x"/);
    // With their own ids the mixture is both phases.
    const ok = [...shared.slice(0, 2), e('x1', 'Li2O', -2), e('x2', 'Li2O2', -1.7)];
    const [row] = screenStabilitySync([e('c', 'Li3O2', -1.5)], ok);
    expect(row!.decomposition).toEqual({ x1: expect.closeTo(0.6, 12), x2: expect.closeTo(0.4, 12) });
  });

  it('entries of one composition may share an id (polymorphs named by their formula)', () => {
    const pd = new PhaseDiagram([e('Li', 'Li', 0), e('O', 'O', 0), e('Li2O', 'Li2O', -2), e('Li2O', 'Li4O2', -1.9)]);
    expect(pd.stableEntries.map((x) => x.id)).toContain('Li2O');
    expect(entriesFromCsv('formula,e_form_per_atom\nLi2O,-2\nLi2O,-1.9\n')).toHaveLength(2);
  });

  it('a CSV file: refused at the second line, naming both (loadEntries, a dropped file, entriesFromCsv)', async () => {
    const csv = 'formula,e_form_per_atom,id\nLi,0,a\nLi2O,-2,x\nO,0,b\n\nLi2O2,-1.7,x\n';
    const file = join(tmp, 'dup.csv');
    writeFileSync(file, csv);
    const msg = /dup\.csv line 6 \(id "x"\): the id of line 3 too, a different composition \(Li2O1, here Li2O2\); ids must be unique in a dataset/;
    await expect(loadEntries(file)).rejects.toThrow(msg);
    await expect(entriesFromFile(new File([csv], 'dup.csv'))).rejects.toThrow(msg);
    expect(() => entriesFromCsv(csv, { source: 'dup.csv' })).toThrow(msg);
    // Streamed candidates are not held, so not checked: each row is its own.
    const ids: string[] = [];
    for await (const x of streamEntries(file)) ids.push(x.id);
    expect(ids).toEqual(['a', 'x', 'b', 'x']);
  });

  it('JSON records: refused naming both records and their lines', async () => {
    const records = [
      { composition: { Li: 2, O: 1 }, e_form_per_atom: -2, entry_id: 'mp-1' },
      { composition: { Li: 2, O: 2 }, e_form_per_atom: -1.7, entry_id: 'mp-1' },
    ];
    const file = join(tmp, 'dup.json');
    writeFileSync(file, `[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
    await expect(loadEntries(file)).rejects.toThrow(/dup\.json record 1 \(line 3\) \(id "mp-1"\): the id of record 0 \(line 2\) too, a different composition \(Li2O1, here Li2O2\)/);
    expect(() => entriesFromRecords(records)).toThrow(/records record 1 \(id "mp-1"\): the id of record 0 too/);
  });
});
