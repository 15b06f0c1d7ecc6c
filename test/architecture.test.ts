// The structure of src/ as ARCHITECTURE.md states it: folders by layer, imports only downward and
// only through a folder's surface (index.ts, node.ts), no import cycles, no file past 400 lines
// without a reason. The rule is run on the real tree and on small trees made to break it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkArchitecture, EXCEPTIONS, LAYERS, LONG_FILES } from './helpers/architecture.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.m?ts$/.test(f)) out.set(relative(ROOT, p).split('\\').join('/'), readFileSync(p, 'utf8'));
    }
  };
  walk(join(ROOT, dir));
  return out;
}

describe('architecture', () => {
  const files = tree('src');

  it('src/ keeps the layers: downward imports through surfaces, no cycles, short files', () => {
    const violations = checkArchitecture(files);
    expect(violations.map((v) => v.message)).toEqual([]);
  });

  it('every folder of src/ is a layer with a surface (tools, data and build output aside)', () => {
    const folders = readdirSync(join(ROOT, 'src')).filter((f) => statSync(join(ROOT, 'src', f)).isDirectory() && !['tools', 'data', 'generated'].includes(f));
    expect(folders.sort()).toEqual(LAYERS.flat().sort());
    for (const f of folders) expect(files.has(`src/${f}/index.ts`), `src/${f}/index.ts`).toBe(true);
  });

  it('each exception and long file still exists and says why', () => {
    for (const [key, why] of Object.entries({ ...EXCEPTIONS, ...LONG_FILES })) {
      expect(why.length, key).toBeGreaterThan(20);
      for (const f of key.split(' -> ')) expect(files.has(f), f).toBe(true);
    }
  });

  // The rule must be able to fail: each kind of breach, planted in a copy of the tree.
  const planted = (file: string, line: string): string[] => {
    const copy = new Map(files);
    copy.set(file, `${line}\n${copy.get(file) ?? ''}`);
    return checkArchitecture(copy).map((v) => v.kind);
  };

  it('fails on an upward import', () => {
    expect(planted('src/core/entry.ts', "import { PhaseDiagram } from '../thermo/index.js';")).toContain('upward');
    expect(planted('src/thermo/hull.ts', "import type { Engine } from '../engine/index.js';")).toContain('upward');
  });

  it('fails on a sideways import, on reaching into internals, and on importing an entry', () => {
    expect(planted('src/cli/table.ts', "import { WebService } from '../web/index.js';")).toContain('sideways');
    expect(planted('src/screen/common.ts', "import { SystemIndex } from '../thermo/system-hull.js';")).toContain('internals');
    expect(planted('src/screen/common.ts', "import { initWasm } from '../index.js';")).toContain('entry');
    expect(planted('src/thermo/hull.ts', "import { PhaseDiagram } from './index.js';")).toContain('own-surface');
  });

  it('fails on an import cycle', () => {
    expect(planted('src/core/elements.ts', "import { Composition } from './composition.js';")).toContain('cycle');
  });

  it('fails on a long file without a reason', () => {
    const copy = new Map(files);
    copy.set('src/core/long.ts', 'export const x = 1;\n'.repeat(450));
    expect(checkArchitecture(copy).map((v) => v.kind)).toContain('too-long');
  });
});
