// SVG plots: well-formed XML (checked by the small parser below, itself tested on broken input),
// the expected elements and labels, tie-lines against an independent brute-force hull, nice
// ticks, escaping, finite coordinates, accessibility and option errors.
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Composition, type Entry, PhaseDiagram, loadEntries, type EntryInit } from '../src/index.js';
import {
  PlotError,
  binaryHullSvg,
  niceTicks,
  rankingSvg,
  reactionCurveSvg,
  ternaryHullSvg,
  tieLines,
  voltageStaircaseSvg,
  type RankingRow,
  type ReactionCurve,
  type VoltageProfile,
} from '../src/plot/index.js';
import { DATA } from './helpers/shared.js';

// ---------------------------------------------------------------------------------------------
// A tiny XML parser: balanced tags, quoted attributes without `<`, only known entities, no
// stray `<` or `&` in text, one root. Returns a tree to query.

interface XNode {
  name: string;
  attrs: Record<string, string>;
  children: XNode[];
  /** Text directly inside, entities decoded. */
  text: string;
  parent?: XNode;
}

const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;

function decode(s: string, where: string): string {
  for (let i = s.indexOf('&'); i >= 0; i = s.indexOf('&', i + 1)) {
    ENTITY.lastIndex = i;
    if (!ENTITY.test(s)) throw new Error(`unescaped & in ${where}: ${JSON.stringify(s.slice(i, i + 12))}`);
  }
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(s)) throw new Error(`control character in ${where}`);
  return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
    e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
  );
}

function parseXml(src: string): XNode {
  const NAME = /[A-Za-z_][\w:.-]*/y;
  let i = 0;
  let root: XNode | undefined;
  const stack: XNode[] = [];
  const addText = (t: string) => {
    if (t.includes('<')) throw new Error('stray <');
    const top = stack[stack.length - 1];
    if (!top) {
      if (t.trim()) throw new Error(`text outside the root: ${JSON.stringify(t.slice(0, 20))}`);
      return;
    }
    top.text += decode(t, `text of <${top.name}>`);
  };
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    if (lt < 0) {
      addText(src.slice(i));
      break;
    }
    addText(src.slice(i, lt));
    if (src.startsWith('<!--', lt)) {
      const end = src.indexOf('-->', lt);
      if (end < 0) throw new Error('unclosed comment');
      i = end + 3;
      continue;
    }
    if (src.startsWith('<?', lt)) {
      const end = src.indexOf('?>', lt);
      if (end < 0) throw new Error('unclosed processing instruction');
      i = end + 2;
      continue;
    }
    if (src[lt + 1] === '/') {
      NAME.lastIndex = lt + 2;
      const m = NAME.exec(src);
      if (!m) throw new Error(`bad closing tag at ${lt}`);
      let j = lt + 2 + m[0].length;
      while (/\s/.test(src[j] ?? '')) j++;
      if (src[j] !== '>') throw new Error(`bad closing tag </${m[0]} at ${lt}`);
      const top = stack.pop();
      if (!top || top.name !== m[0]) throw new Error(`</${m[0]}> closes <${top?.name ?? '(nothing)'}> at ${lt}`);
      i = j + 1;
      continue;
    }
    NAME.lastIndex = lt + 1;
    const m = NAME.exec(src);
    if (!m) throw new Error(`bad tag at ${lt}: ${JSON.stringify(src.slice(lt, lt + 10))}`);
    const node: XNode = { name: m[0], attrs: {}, children: [], text: '' };
    let j = lt + 1 + m[0].length;
    for (;;) {
      const ws = /\s*/y;
      ws.lastIndex = j;
      const hadSpace = ws.exec(src)![0].length > 0;
      j = ws.lastIndex;
      if (src.startsWith('/>', j) || src[j] === '>') break;
      if (!hadSpace) throw new Error(`no space before an attribute of <${node.name}> at ${j}`);
      const a = /([A-Za-z_][\w:.-]*)\s*=\s*"([^"]*)"/y;
      a.lastIndex = j;
      const am = a.exec(src);
      if (!am) throw new Error(`bad attribute in <${node.name}> at ${j}: ${JSON.stringify(src.slice(j, j + 20))}`);
      if (am[2]!.includes('<')) throw new Error(`< in attribute ${am[1]}`);
      if (am[1]! in node.attrs) throw new Error(`duplicate attribute ${am[1]} in <${node.name}>`);
      node.attrs[am[1]!] = decode(am[2]!, `attribute ${am[1]} of <${node.name}>`);
      j = a.lastIndex;
    }
    const parent = stack[stack.length - 1];
    if (parent) {
      node.parent = parent;
      parent.children.push(node);
    } else if (root) throw new Error(`second root element <${node.name}>`);
    else root = node;
    if (src.startsWith('/>', j)) i = j + 2;
    else {
      stack.push(node);
      i = j + 1;
    }
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (!root) throw new Error('no root element');
  return root;
}

function all(n: XNode, pred: (x: XNode) => boolean, out: XNode[] = []): XNode[] {
  if (pred(n)) out.push(n);
  for (const c of n.children) all(c, pred, out);
  return out;
}
const hasClass = (n: XNode, c: string) => (n.attrs.class ?? '').split(/\s+/).includes(c);
const byClass = (root: XNode, c: string) => all(root, (n) => hasClass(n, c));
/** Visible text of an element (tspans included, no-break spaces as spaces, `<title>` excluded). */
function textOf(n: XNode): string {
  return (
    n.text +
    n.children
      .filter((c) => c.name !== 'title')
      .map(textOf)
      .join('')
  ).replace(/\u00A0/g, ' ');
}
const titleOf = (n: XNode) => n.children.find((c) => c.name === 'title')?.text;
/** Data points (circles with an entry id; legend swatches have none). */
const points = (root: XNode, cls: 'stable' | 'unstable') => byClass(root, cls).filter((n) => n.name === 'circle' && n.attrs['data-id'] !== undefined);
/** Tie-lines (with the ids of both ends; the legend swatch has none). */
const tieLineEls = (root: XNode) => byClass(root, 'tie-line').filter((n) => n.name === 'line' && n.attrs['data-a'] !== undefined);

const NUMERIC = ['x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r', 'width', 'height', 'dy', 'font-size'];

/** Well-formed, accessible, every coordinate a finite number. Returns the tree. */
function checkSvg(svg: string): XNode {
  expect(svg).not.toMatch(/NaN|Infinity|undefined|\[object/);
  const root = parseXml(svg);
  expect(root.name).toBe('svg');
  expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
  expect(root.attrs.role).toBe('img');
  const labelledBy = root.attrs['aria-labelledby']!.split(' ');
  expect(labelledBy).toHaveLength(2);
  const title = all(root, (n) => n.attrs.id === labelledBy[0])[0]!;
  const desc = all(root, (n) => n.attrs.id === labelledBy[1])[0]!;
  expect(title.name).toBe('title');
  expect(desc.name).toBe('desc');
  expect(title.parent).toBe(root);
  expect(title.text.length).toBeGreaterThan(3);
  expect(desc.text.length).toBeGreaterThan(10);
  for (const n of all(root, () => true)) {
    for (const a of NUMERIC) {
      if (n.attrs[a] !== undefined && !(n.name === 'stop')) expect(Number.isFinite(Number(n.attrs[a])), `${n.name} ${a}=${n.attrs[a]}`).toBe(true);
    }
    if (n.attrs.points) for (const v of n.attrs.points.split(/[\s,]+/)) expect(Number.isFinite(Number(v)), `points ${v}`).toBe(true);
    if (n.attrs.viewBox) for (const v of n.attrs.viewBox.split(' ')) expect(Number.isFinite(Number(v))).toBe(true);
  }
  // References resolve; ids are unique; the stylesheet only reaches inside this <svg>.
  const ids = all(root, (n) => n.attrs.id !== undefined).map((n) => n.attrs.id!);
  expect(new Set(ids).size).toBe(ids.length);
  for (const m of svg.matchAll(/url\(#([^)]+)\)/g)) expect(ids, m[1]).toContain(m[1]);
  const css = all(root, (n) => n.name === 'style')[0]!.text.replace(/@media[^{]*\{/g, '');
  for (const rule of css.split('}').filter((r) => r.includes('{'))) {
    for (const sel of rule.slice(0, rule.indexOf('{')).split(',')) expect(sel.trim().startsWith(`#${root.attrs.id}`), sel).toBe(true);
  }
  return root;
}

/** Ticks of each axis are consecutive multiples of a 1/2/5 × 10^k step. */
function expectNiceTicks(values: number[]): void {
  expect(values.length).toBeGreaterThanOrEqual(2);
  const step = values[1]! - values[0]!;
  const mag = 10 ** Math.floor(Math.log10(step) + 1e-9);
  const m = Math.round(step / mag);
  expect([1, 2, 5, 10]).toContain(m);
  expect(Math.abs(step / mag - m)).toBeLessThan(1e-9);
  values.forEach((v, k) => {
    expect(Math.abs(v - values[0]! - k * step)).toBeLessThan(step * 1e-9);
    expect(Math.abs(v / step - Math.round(v / step))).toBeLessThan(1e-6);
    // Printed as the shortest decimal (no 0.30000000000000004).
    expect(String(v).length).toBeLessThanOrEqual(12);
  });
}

function axisTicks(root: XNode, cls: 'x-tick' | 'y-tick'): number[] {
  return byClass(root, cls).map((n) => Number(n.attrs['data-value']));
}

// ---------------------------------------------------------------------------------------------

describe('the XML checker', () => {
  it('accepts well-formed markup and rejects broken markup', () => {
    expect(parseXml('<a x="1"><b>t &amp; &lt;u&gt; &#39;</b><c/></a>').children).toHaveLength(2);
    for (const bad of ['<a><b></a>', '<a>', '<a>x & y</a>', '<a x="<"/>', '<a x=1/>', '<a/><b/>', '<a x="1" x="2"/>', '<a>&foo;</a>', 'text<a/>', '<a></b>']) {
      expect(() => parseXml(bad), bad).toThrow();
    }
  });
});

describe('niceTicks', () => {
  it('covers the range with 1/2/5 × 10^k steps printed exactly', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let k = 0; k < 500; k++) {
      const scale = 10 ** Math.floor(rnd() * 10 - 5);
      const a = (rnd() - 0.5) * 10 * scale;
      const b = a + rnd() * 10 * scale + 1e-12;
      const t = niceTicks(a, b, 5);
      expect(t.start).toBeLessThanOrEqual(a);
      expect(t.stop).toBeGreaterThanOrEqual(b);
      expect(t.values.length).toBeGreaterThanOrEqual(3);
      expect(t.values.length).toBeLessThanOrEqual(12);
      expectNiceTicks([...t.values]);
      for (const v of t.values) expect(v.toFixed(t.decimals)).toBe(Number(v.toFixed(t.decimals)).toFixed(t.decimals));
    }
    expect(niceTicks(0, 1, 5).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-1.557, 0, 6).values).toEqual([-1.6, -1.4, -1.2, -1, -0.8, -0.6, -0.4, -0.2, 0]);
    expect(niceTicks(3, 3).values.length).toBeGreaterThan(1);
  });
});

const LPS = `${DATA}alexandria-Li-P-S.json.gz`;
const LFPO = `${DATA}mp-Li-Fe-P-O.json.gz`;

describe.skipIf(!existsSync(LPS))('hull diagrams of Li-P-S (Alexandria)', () => {
  let pd: PhaseDiagram;
  beforeAll(async () => {
    pd = new PhaseDiagram(await loadEntries(LPS));
  });

  const inside = (e: Entry, els: string[]) => e.composition.elements.every((x) => els.includes(x));

  it.each([
    ['Li', 'S'],
    ['P', 'S'],
    ['Li', 'P'],
  ])('binary %s-%s sub-system: every stable phase labelled once, every point with a tooltip', (A, B) => {
    const svg = binaryHullSvg(pd, { elements: [A, B] });
    const root = checkSvg(svg);
    const rows = pd.analyze().filter((r) => inside(r.entry, [A, B]));
    const stable = rows.filter((r) => r.stable);
    expect(stable.length).toBeGreaterThanOrEqual(3);
    for (const r of stable) {
      const f = r.entry.composition.reducedFormula;
      const labels = all(root, (n) => n.attrs['data-label'] === f);
      expect(labels, f).toHaveLength(1);
      expect(textOf(labels[0]!).replace(/\s+/g, ''), f).toMatch(new RegExp(`^(${f}|\\d+)$|^…`));
    }
    expect(all(root, (n) => n.attrs['data-label'] !== undefined)).toHaveLength(stable.length);
    // Points: stable ones, and unstable ones within the default 0.2 eV/atom cutoff.
    const sp = points(root, 'stable');
    const up = points(root, 'unstable');
    expect(sp.map((n) => n.attrs['data-id']).sort()).toEqual(stable.map((r) => r.entry.id).sort());
    expect(up.map((n) => n.attrs['data-id']).sort()).toEqual(
      rows
        .filter((r) => !r.stable && r.eAboveHull <= 0.2)
        .map((r) => r.entry.id)
        .sort(),
    );
    for (const n of [...sp, ...up]) {
      const r = rows.find((x) => x.entry.id === n.attrs['data-id'])!;
      const tip = titleOf(n)!;
      expect(tip).toContain(r.entry.id);
      expect(tip).toContain(r.entry.composition.reducedFormula);
      expect(tip).toContain('E_form');
      expect(tip).toContain('E_hull');
    }
    // The hull joins the stable phases in order of composition.
    const hull = byClass(root, 'hull').find((n) => n.name === 'polyline')!;
    const xs = hull.attrs.points!.split(' ').map((p) => Number(p.split(',')[0]));
    expect(xs).toHaveLength(stable.length);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expectNiceTicks(axisTicks(root, 'x-tick'));
    expectNiceTicks(axisTicks(root, 'y-tick'));
    expect(axisTicks(root, 'x-tick')).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    // The y axis reaches below the lowest formation energy.
    expect(Math.min(...axisTicks(root, 'y-tick'))).toBeLessThanOrEqual(Math.min(...stable.map((r) => r.eFormPerAtom)));
  });

  it('eHullCutoff and showUnstable decide which unstable entries are drawn', () => {
    const rows = pd.analyze().filter((r) => inside(r.entry, ['Li', 'S']) && !r.stable);
    const count = (svg: string) => points(checkSvg(svg), 'unstable').length;
    expect(count(binaryHullSvg(pd, { elements: ['Li', 'S'], eHullCutoff: 0.05 }))).toBe(rows.filter((r) => r.eAboveHull <= 0.05).length);
    expect(count(binaryHullSvg(pd, { elements: ['Li', 'S'], eHullCutoff: 10 }))).toBe(rows.length);
    expect(count(binaryHullSvg(pd, { elements: ['Li', 'S'], showUnstable: false }))).toBe(0);
  });

  /**
   * Independent tie-lines: every triple of stable phases whose plane (in composition × energy)
   * has no stable phase below it is a facet of the lower hull; its sides are tie-lines.
   */
  function bruteForceTieLines(els: string[]): Set<string> {
    const st = pd.analyze().filter((r) => r.stable && inside(r.entry, els));
    const p = st.map((r) => ({ id: r.entry.id, u: r.entry.composition.atomicFraction(els[1]!), v: r.entry.composition.atomicFraction(els[2]!), e: r.eFormPerAtom }));
    const edges = new Set<string>();
    const key = (a: string, b: string) => [a, b].sort().join(' | ');
    for (let i = 0; i < p.length; i++)
      for (let j = i + 1; j < p.length; j++)
        for (let k = j + 1; k < p.length; k++) {
          const [a, b, c] = [p[i]!, p[j]!, p[k]!];
          const det = (b.u - a.u) * (c.v - a.v) - (c.u - a.u) * (b.v - a.v);
          if (Math.abs(det) < 1e-12) continue; // collinear: no facet
          // Plane e = e_a + g_u (u - u_a) + g_v (v - v_a) through the three points.
          const gu = ((b.e - a.e) * (c.v - a.v) - (c.e - a.e) * (b.v - a.v)) / det;
          const gv = ((c.e - a.e) * (b.u - a.u) - (b.e - a.e) * (c.u - a.u)) / det;
          const below = p.some((q) => q.e < a.e + gu * (q.u - a.u) + gv * (q.v - a.v) - 1e-9);
          if (below) continue;
          edges.add(key(a.id, b.id)).add(key(b.id, c.id)).add(key(a.id, c.id));
        }
    return edges;
  }

  it('ternary: the tie-lines drawn are exactly the facet edges found by brute force', () => {
    const svg = ternaryHullSvg(pd);
    const root = checkSvg(svg);
    const drawn = tieLineEls(root).map((n) => [n.attrs['data-a']!, n.attrs['data-b']!].sort().join(' | '));
    const brute = bruteForceTieLines(['Li', 'P', 'S']);
    expect(drawn.length).toBe(new Set(drawn).size);
    expect(new Set(drawn)).toEqual(brute);
    // A triangulation of n points, h of them on the triangle's sides, has 3n − 3 − h edges.
    const st = pd.stableEntries;
    const h = st.filter((e) => e.composition.elements.length < 3).length;
    expect(drawn.length).toBe(3 * st.length - 3 - h);
    // And the criterion of the brief: the midpoint of a tie-line decomposes into its two phases.
    const ties = tieLines(pd);
    const isTie = new Set(ties.map(([a, b]) => [a.id, b.id].sort().join(' | ')));
    for (let i = 0; i < st.length; i++)
      for (let j = i + 1; j < st.length; j++) {
        const [a, b] = [st[i]!, st[j]!];
        const mid: Record<string, number> = {};
        for (const el of pd.elements) {
          const v = (a.composition.atomicFraction(el) + b.composition.atomicFraction(el)) / 2;
          if (v > 0) mid[el] = v;
        }
        const d = pd
          .decomposition(Composition.fromDict(mid))
          .map((x) => x.entry.id)
          .sort();
        const exactlyThePair = d.length === 2 && d.join(' | ') === [a.id, b.id].sort().join(' | ');
        expect(exactlyThePair, `${a.id} ${b.id}`).toBe(isTie.has([a.id, b.id].sort().join(' | ')));
      }
    // Every stable phase labelled once (compounds placed, elements at the corners).
    for (const e of st)
      expect(
        all(root, (n) => n.attrs['data-label'] === e.composition.reducedFormula),
        e.id,
      ).toHaveLength(1);
    expect(byClass(root, 'corner')).toHaveLength(3);
    expect(points(root, 'stable')).toHaveLength(st.length);
    for (const n of byClass(root, 'point')) expect(titleOf(n)).toMatch(/E_hull/);
  });

  it('errors name the element count; options.elements picks a sub-system', () => {
    expect(() => binaryHullSvg(pd)).toThrow(PlotError);
    expect(() => binaryHullSvg(pd)).toThrow(/has 3 elements \(Li-P-S\).*options\.elements/);
    expect(() => binaryHullSvg(pd, { elements: ['Li', 'Na'] })).toThrow(/"Na" is not in the phase diagram/);
    expect(() => binaryHullSvg(pd, { elements: ['Li', 'P', 'S'] })).toThrow(/must list 2 elements, got 3/);
    expect(() => ternaryHullSvg(pd, { elements: ['Li', 'Li', 'S'] })).toThrow(/listed twice/);
    expect(() => ternaryHullSvg(pd, { eHullCutoff: -1 })).toThrow(/eHullCutoff/);
    const two = new PhaseDiagram(pd.entries.filter((e) => inside(e, ['Li', 'S'])));
    expect(() => ternaryHullSvg(two)).toThrow(/3-element \(ternary\) phase diagram, but this one has 2 elements \(Li-S\)/);
    checkSvg(binaryHullSvg(two));
    expect(() => tieLines(pd, ['Li'])).toThrow(/2- or 3-element/);
  });

  it('escapes ids and formulas, and is deterministic', () => {
    const weird: EntryInit[] = [
      { id: 'a<b>&"c"\'', composition: 'Li2S', eFormPerAtom: -1.5 },
      { id: 'x & y', composition: 'LiS', eFormPerAtom: -0.9 },
      { id: 'bad\u0001char', composition: 'LiS2', eFormPerAtom: -0.6 },
    ];
    const d = new PhaseDiagram(weird);
    const svg = binaryHullSvg(d, { title: 'Li & S <test>', description: '"quoted" & <b>', eHullCutoff: 1 });
    expect(svg).toContain('a&lt;b&gt;&amp;&quot;c&quot;&#39;');
    expect(svg).not.toContain('\u0001');
    const root = checkSvg(svg);
    expect(all(root, (n) => n.attrs['data-id'] === 'a<b>&"c"\'')).toHaveLength(1);
    expect(all(root, (n) => n.attrs['data-id'] === 'x & y')).toHaveLength(1);
    expect(all(root, (n) => n.name === 'title')[0]!.text).toBe('Li & S <test>');
    expect(svg).toBe(binaryHullSvg(d, { title: 'Li & S <test>', description: '"quoted" & <b>', eHullCutoff: 1 }));
    checkSvg(ternaryHullSvg(new PhaseDiagram([...weird, { id: 'p<', composition: 'P', eFormPerAtom: 0 }, { id: 'q&', composition: 'Li3PS4', eFormPerAtom: -1.3 }])));
  });

  it('themes: light and dark are fixed palettes, auto follows prefers-color-scheme; ids are distinct', () => {
    const light = binaryHullSvg(pd, { elements: ['Li', 'S'], theme: 'light' });
    const dark = binaryHullSvg(pd, { elements: ['Li', 'S'], theme: 'dark' });
    const auto = binaryHullSvg(pd, { elements: ['Li', 'S'] });
    expect(light).not.toContain('prefers-color-scheme');
    expect(dark).not.toContain('prefers-color-scheme');
    expect(auto).toContain('@media (prefers-color-scheme: dark)');
    expect(light).toContain('#ffffff');
    expect(dark).toContain('#0d1117');
    expect(dark).not.toContain('#ffffff');
    const noBg = checkSvg(binaryHullSvg(pd, { elements: ['Li', 'S'], background: false }));
    expect(byClass(noBg, 'bg')).toHaveLength(0);
    const a = parseXml(binaryHullSvg(pd, { elements: ['Li', 'S'] })).attrs.id;
    const b = parseXml(binaryHullSvg(pd, { elements: ['P', 'S'] })).attrs.id;
    expect(a).not.toBe(b);
    expect(parseXml(binaryHullSvg(pd, { elements: ['Li', 'S'], id: 'my-plot' })).attrs.id).toBe('my-plot');
    expect(() => binaryHullSvg(pd, { elements: ['Li', 'S'], id: 'bad id' })).toThrow(/option id/);
    expect(() => binaryHullSvg(pd, { elements: ['Li', 'S'], width: -5 })).toThrow(/option width/);
    // Sizes are options.
    const big = parseXml(ternaryHullSvg(pd, { width: 1000, height: 900 }));
    expect([big.attrs.width, big.attrs.height, big.attrs.viewBox]).toEqual(['1000', '900', '0 0 1000 900']);
  });
});

describe.skipIf(!existsSync(LFPO))('a 4-element diagram (MP Li-Fe-P-O)', () => {
  it('plots its 3- and 2-element sub-systems with options.elements, and refuses it whole', async () => {
    const pd = new PhaseDiagram(await loadEntries(LFPO));
    expect(() => ternaryHullSvg(pd)).toThrow(/has 4 elements \(Fe-Li-O-P\).*options\.elements/);
    const root = checkSvg(ternaryHullSvg(pd, { elements: ['Li', 'Fe', 'O'] }));
    const sub = pd.stableEntries.filter((e) => e.composition.elements.every((x) => ['Li', 'Fe', 'O'].includes(x)));
    expect(points(root, 'stable')).toHaveLength(sub.length);
    const h = sub.filter((e) => e.composition.elements.length < 3).length;
    expect(tieLineEls(root)).toHaveLength(3 * sub.length - 3 - h);
    expect(all(root, (n) => n.attrs['data-label'] !== undefined)).toHaveLength(sub.length);
    checkSvg(binaryHullSvg(pd, { elements: ['Fe', 'O'] }));
  });
});

describe('tie-lines of degenerate hulls', () => {
  // LiP, PS, LiS and Li3PS (3/5, 1/5, 1/5) all at −1 eV/atom: the face LiP–PS–LiS–Li3PS is flat,
  // so both of its diagonals lie on the hull; a triangulation keeps exactly one.
  const entries: EntryInit[] = [
    { id: 'LiP', composition: 'LiP', eFormPerAtom: -1 },
    { id: 'PS', composition: 'PS', eFormPerAtom: -1 },
    { id: 'LiS', composition: 'LiS', eFormPerAtom: -1 },
    { id: 'Li3PS', composition: 'Li3PS', eFormPerAtom: -1 },
    { id: 'LiPS-unstable', composition: 'LiPS', eFormPerAtom: -0.5 },
  ];
  it('a phase barely below a chord splits it (binary, 1e-9 eV/atom below Li–LiS3)', () => {
    const pd = new PhaseDiagram([
      { id: 'LiS', composition: 'LiS', eFormPerAtom: (-0.2 * 0.5) / 0.75 - 1e-9 },
      { id: 'LiS3', composition: 'LiS3', eFormPerAtom: -0.2 },
    ]);
    expect(pd.stableEntries.map((e) => e.id).sort()).toEqual(['LiS', 'LiS3', 'ref-Li', 'ref-S']);
    const ids = tieLines(pd)
      .map(([a, b]) => [a.id, b.id].sort().join(' | '))
      .sort();
    expect(ids).toEqual(['LiS | LiS3', 'LiS | ref-Li', 'LiS3 | ref-S']);
    const root = checkSvg(binaryHullSvg(pd));
    expect(byClass(root, 'hull')[0]!.attrs.points!.split(' ')).toHaveLength(4);
  });

  it('draws a triangulation: 3n − 3 − h edges, none crossing', () => {
    const pd = new PhaseDiagram(entries);
    expect(pd.stableEntries).toHaveLength(7);
    const ties = tieLines(pd);
    expect(ties).toHaveLength(3 * 7 - 3 - 6);
    const pt = (e: Entry) => [e.composition.atomicFraction('P'), e.composition.atomicFraction('S')] as const;
    const orient = (a: readonly number[], b: readonly number[], c: readonly number[]) => (b[0]! - a[0]!) * (c[1]! - a[1]!) - (b[1]! - a[1]!) * (c[0]! - a[0]!);
    for (const [a, b] of ties)
      for (const [c, d] of ties) {
        if ([a, b].some((x) => x === c || x === d)) continue;
        const [pa, pb, pc, pd2] = [pt(a), pt(b), pt(c), pt(d)];
        const cross = orient(pa, pb, pc) * orient(pa, pb, pd2) < -1e-15 && orient(pc, pd2, pa) * orient(pc, pd2, pb) < -1e-15;
        expect(cross, `${a.id}-${b.id} × ${c.id}-${d.id}`).toBe(false);
      }
    const root = checkSvg(ternaryHullSvg(pd));
    expect(tieLineEls(root)).toHaveLength(12);
  });
});

// ---------------------------------------------------------------------------------------------

const LI3PS4: VoltageProfile = {
  composition: 'Li3PS4',
  openElement: 'Li',
  window: { reductionV: 1.6838, oxidationV: 2.371 },
  steps: [
    { voltageRange: [0, 0.864], evolution: 8, products: ['Li2S', 'Li3P'] },
    { voltageRange: [0.864, 0.929], evolution: 6, products: ['Li2S', 'LiP'] },
    { voltageRange: [0.929, 1.164], evolution: 5.4286, products: ['Li2S', 'Li3P7'] },
    { voltageRange: [1.164, 1.257], evolution: 5.1429, products: ['Li2S', 'LiP7'] },
    { voltageRange: [1.257, 1.6838], evolution: 5, products: ['Li2S', 'P'] },
    { voltageRange: [1.6838, 2.371], evolution: 0, products: ['Li3PS4'] },
    { voltageRange: [2.371, 3.2296], evolution: -2.9615, products: ['P2S7', 'LiS13'] },
    { voltageRange: [3.2296, Infinity], evolution: -3, products: ['P2S7', 'PS9'] },
  ],
};

describe('voltageStaircaseSvg', () => {
  it('draws a step per range, the shaded window, its limits with voltages and the products', () => {
    const svg = voltageStaircaseSvg(LI3PS4);
    const root = checkSvg(svg);
    const steps = byClass(root, 'step').filter((n) => n.name === 'line');
    expect(steps).toHaveLength(LI3PS4.steps.length);
    for (const s of steps) expect(s.attrs.y1).toBe(s.attrs.y2);
    // Uptake above the zero line (smaller y), release below it.
    const y = (ev: number) => Number(steps.find((s) => Number(s.attrs['data-evolution']) === ev)!.attrs.y1);
    expect(y(8)).toBeLessThan(y(0));
    expect(y(-3)).toBeGreaterThan(y(0));
    expect(byClass(root, 'riser').length).toBeGreaterThanOrEqual(6);
    const win = byClass(root, 'window')[0]!;
    const limits = byClass(root, 'limit');
    expect(limits.map((n) => Number(n.attrs.x1))).toEqual([Number(win.attrs.x), Number(win.attrs.x) + Number(win.attrs.width)].map((v) => expect.closeTo(v, 1)));
    const limitLabels = all(root, (n) => n.attrs['data-limit'] !== undefined).map((n) => [n.attrs['data-limit'], n.text]);
    expect(limitLabels).toEqual([
      ['reduction', '1.68 V'],
      ['oxidation', '2.37 V'],
    ]);
    for (const s of LI3PS4.steps)
      expect(
        all(root, (n) => n.attrs['data-label'] === s.products.join(' + ')),
        s.products.join(' + '),
      ).toHaveLength(1);
    expectNiceTicks(axisTicks(root, 'x-tick'));
    expectNiceTicks(axisTicks(root, 'y-tick'));
    expect(svg).toContain('vs Li/Li⁺');
  });

  it('handles another open element, infinite ends, an empty window and bad input', () => {
    const na: VoltageProfile = {
      composition: 'Na3PS4',
      openElement: 'Na',
      window: { reductionV: 1.2, oxidationV: 2.5 },
      steps: [
        { voltageRange: [-Infinity, 1.2], evolution: 8, products: ['Na2S', 'Na3P'] },
        { voltageRange: [1.2, 2.5], evolution: 0, products: ['Na3PS4'] },
        { voltageRange: [2.5, Infinity], evolution: -3, products: ['P2S5', 'S'] },
      ],
    };
    const root = checkSvg(voltageStaircaseSvg(na, { voltageRange: [0, 4], theme: 'dark' }));
    expect(axisTicks(root, 'x-tick')[0]).toBe(0);
    expect(textOf(root)).toContain('Na/Na⁺');
    // No window (reduction above oxidation): no shading, still a plot.
    const none = checkSvg(voltageStaircaseSvg({ ...na, window: { reductionV: 2.5, oxidationV: 1.2 } }));
    expect(byClass(none, 'window')).toHaveLength(0);
    expect(none.children.find((c) => c.name === 'desc')!.text).toContain('no stability window');
    expect(() => voltageStaircaseSvg({ ...na, steps: [{ voltageRange: [1, NaN], evolution: 0, products: [] }] })).toThrow(/steps\[0\]\.voltageRange/);
    expect(() => voltageStaircaseSvg({ ...na, steps: [{ voltageRange: [2, 1], evolution: 0, products: [] }] })).toThrow(/decreasing/);
    expect(() => voltageStaircaseSvg({ ...na, steps: [{ voltageRange: [1, 2], evolution: Infinity, products: [] }] })).toThrow(/evolution/);
    expect(() => voltageStaircaseSvg(na, { voltageRange: [3, 1] })).toThrow(/increasing/);
  });
});

const LI3PS4_LI: ReactionCurve = {
  c1: 'Li3PS4',
  c2: 'Li',
  kinks: [
    { x: 0, energy: 0, products: ['Li'] },
    { x: 0.5, energy: -0.69938, products: ['Li2S', 'Li3P'] },
    { x: 0.5714, energy: -0.67587, products: ['Li2S', 'LiP'] },
    { x: 0.5957, energy: -0.66509, products: ['Li2S', 'Li3P7'] },
    { x: 0.6087, energy: -0.65424, products: ['Li2S', 'LiP7'] },
    { x: 0.6154, energy: -0.64762, products: ['Li2S', 'P'] },
    { x: 1, energy: 0, products: ['Li3PS4'] },
  ],
};

describe('reactionCurveSvg', () => {
  it('draws the curve through the kinks, labels their products and highlights the minimum', () => {
    const root = checkSvg(reactionCurveSvg(LI3PS4_LI));
    const kinks = byClass(root, 'kink');
    expect(kinks).toHaveLength(7);
    const min = byClass(root, 'min');
    expect(min).toHaveLength(1);
    expect(min[0]!.attrs['data-x']).toBe('0.5');
    const curve = byClass(root, 'curve')[0]!;
    expect(curve.attrs.points!.split(' ')).toHaveLength(7);
    const minLabel = byClass(root, 'min-label')[0]!;
    expect(textOf(minLabel)).toBe('min −0.699 eV/atom at x = 0.5');
    for (const k of LI3PS4_LI.kinks)
      expect(
        all(root, (n) => n.attrs['data-label'] === k.products.join(' + ')),
        k.products.join(' + '),
      ).toHaveLength(1);
    expectNiceTicks(axisTicks(root, 'y-tick'));
    expect(axisTicks(root, 'x-tick')).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('meV/atom, an open element, unsorted kinks, and errors', () => {
    const shuffled = { ...LI3PS4_LI, open: { element: 'Li', voltage: 0 }, kinks: [...LI3PS4_LI.kinks].reverse() };
    const root = checkSvg(reactionCurveSvg(shuffled, { unit: 'meV/atom' }));
    expect(textOf(byClass(root, 'min-label')[0]!)).toBe('min −699 meV/atom at x = 0.5');
    expect(root.children.find((c) => c.name === 'title')!.text).toContain('Li open at 0.00 V');
    const xs = byClass(root, 'kink').map((n) => Number(n.attrs.cx));
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    expect(Math.min(...axisTicks(root, 'y-tick'))).toBeLessThanOrEqual(-699);
    // Samples of a curve that is not linear between kinks replace the straight lines.
    const sampled = checkSvg(reactionCurveSvg({ ...LI3PS4_LI, curve: { x: [0, 0.25, 0.5, 0.75, 1], energy: [0, -0.3, -0.69938, -0.4, 0] } }));
    expect(byClass(sampled, 'curve')[0]!.attrs.points!.split(' ')).toHaveLength(5);
    expect(byClass(sampled, 'kink')).toHaveLength(7);
    expect(() => reactionCurveSvg({ ...LI3PS4_LI, curve: { x: [0, 1], energy: [0] } })).toThrow(/equal length/);
    expect(() => reactionCurveSvg({ ...LI3PS4_LI, kinks: [] })).toThrow(/non-empty/);
    expect(() => reactionCurveSvg({ ...LI3PS4_LI, kinks: [{ x: 1.5, energy: 0, products: [] }] })).toThrow(/outside \[0, 1\]/);
    expect(() => reactionCurveSvg({ ...LI3PS4_LI, kinks: [{ x: 0.5, energy: NaN, products: [] }] })).toThrow(/kinks\[0\]\.energy/);
    expect(() => reactionCurveSvg(LI3PS4_LI, { unit: 'J' as never })).toThrow(/unit/);
  });
});

describe('rankingSvg', () => {
  const rows: RankingRow[] = [
    { name: 'Li6PS5Cl', score: 0.92, pass: true, values: { E_hull: 0.021, window: '1.7–2.0 V' } },
    { name: 'Li3PS4', score: 0.81, pass: true, values: { E_hull: 0 } },
    { name: 'Li10GeP2S12 <&>', score: 0.4, pass: false, values: { E_hull: 0.052 } },
    { name: 'Li7P3S11', score: -0.1 },
  ];
  it('one bar per row, pass/fail colouring, scores and annotations', () => {
    const root = checkSvg(rankingSvg(rows, { threshold: 0.5, scoreLabel: 'figure of merit' }));
    const bars = byClass(root, 'bar');
    expect(bars.map((b) => b.attrs['data-name'])).toEqual(rows.map((r) => r.name));
    expect(bars.map((b) => (hasClass(b, 'pass') ? 'pass' : hasClass(b, 'fail') ? 'fail' : 'neutral'))).toEqual(['pass', 'pass', 'fail', 'neutral']);
    // Bars start at 0: the negative one ends where the positive ones start.
    const x0 = Number(bars[0]!.attrs.x);
    expect(Number(bars[3]!.attrs.x) + Number(bars[3]!.attrs.width)).toBeCloseTo(x0, 1);
    expect(Number(bars[0]!.attrs.width)).toBeGreaterThan(Number(bars[2]!.attrs.width));
    const ann = byClass(root, 'annotation').map(textOf);
    expect(ann).toEqual(['E_hull 0.021 · window 1.7–2.0 V', 'E_hull 0', 'E_hull 0.052']);
    expect(byClass(root, 'name').map((n) => n.attrs['data-name'])).toContain('Li10GeP2S12 <&>');
    expect(byClass(root, 'threshold')).toHaveLength(1);
    expectNiceTicks(axisTicks(root, 'x-tick'));
    expect(textOf(root)).toContain('figure of merit');
  });
  it('sorts, limits rows, grows with them, and refuses bad rows', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ name: `c${i}`, score: (i * 7) % 11 }));
    const root = checkSvg(rankingSvg(many, { sort: 'desc', maxRows: 10 }));
    const scores = byClass(root, 'bar').map((b) => Number(b.attrs['data-score']));
    expect(scores).toHaveLength(10);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(textOf(root)).toContain('20 more not shown');
    const h = (n: number) => Number(parseXml(rankingSvg(many.slice(0, n))).attrs.height);
    expect(h(20)).toBeGreaterThan(h(5));
    checkSvg(rankingSvg([]));
    expect(() => rankingSvg([{ name: 'x', score: NaN }])).toThrow(/rows\[0\]\.score/);
    expect(() => rankingSvg([{ name: 'x', score: 1, values: { a: NaN } }])).toThrow(/values/);
    expect(() => rankingSvg(rows, { sort: 'up' as never })).toThrow(/sort/);
  });
});
