import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// README's ```js examples must run as written against the built package (npm test builds first).
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist', 'index.js');
const blocks = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('README examples', () => {
  it('has examples', () => expect(blocks.length).toBeGreaterThan(0));
  it.skipIf(!existsSync(DIST)).each(blocks.map((b, i) => [i + 1, b] as const))('example %i runs', (_, code) => {
    const dir = mkdtempSync(join(tmpdir(), 'interphase-readme-'));
    const file = join(dir, 'example.mjs');
    writeFileSync(file, code.replaceAll(`from 'interphase'`, `from ${JSON.stringify(DIST)}`));
    const out = execFileSync(process.execPath, [file], { cwd: ROOT, encoding: 'utf8' });
    expect(out.length).toBeGreaterThan(0);
  });
});
