// The page's worker service under uncertainty (`api.uncertain(kind, args, options)`): P(stable) of
// a chemical system's entries, a window's limits and staircase band, an interface reaction's
// minimum and curve band — the Node API's numbers, as plain data with the CLI's SVG plots.
import { parseReactant } from '../interface/index.js';
import { binaryHullSvg, reactionCurveSvg, ternaryHullSvg, voltageStaircaseSvg } from '../plot/index.js';
import { type PhaseDiagram, windowPlotData } from '../thermo/index.js';
import {
  type EntryUncertainty,
  type SampledReaction,
  type SampledWindow,
  sampledInterfaceReaction,
  sampledStabilities,
  sampledWindow,
  type SamplingOptions,
  type SamplingReport,
} from '../uncertainty/index.js';

/** Sampling in the worker: no callbacks cross (progress stays with the job API). */
export type WebSamplingOptions = SamplingOptions;

export type UncertainResult =
  | (SamplingReport & { kind: 'hull'; entries: readonly EntryUncertainty[]; svg: string | null })
  | (SamplingReport & { kind: 'window' } & SampledWindow & { svg: string })
  | (SamplingReport & { kind: 'interface' } & SampledReaction & { svg: string });

/** `diagram(elements)`: the service's cached diagram of a chemical system cut out of its data. */
export function uncertain(kind: 'hull' | 'window' | 'interface', args: readonly string[], options: WebSamplingOptions, diagram: (els: string[]) => PhaseDiagram): UncertainResult {
  const band = (s: { samples: number }) => `5–95 % of ${s.samples} samples`;
  if (kind === 'hull') {
    const pd = diagram(parseReactant(args[0]!.trim(), 'formula').elements as string[]);
    const { entries, ...report } = sampledStabilities(pd, options);
    const pStable = Object.fromEntries(entries.map((e) => [e.id, e.pStable.p]));
    const o = { pStable, theme: 'light' as const, id: 'hull-plot' };
    const svg = pd.elements.length === 2 ? binaryHullSvg(pd, o) : pd.elements.length === 3 ? ternaryHullSvg(pd, o) : null;
    return { kind, ...report, entries, svg };
  }
  if (kind === 'window') {
    const [formula, element = 'Li'] = args;
    const comp = parseReactant(formula!.trim(), 'formula');
    const { window: w, ...s } = sampledWindow(diagram([...comp.elements, element]), comp, { ...options, element });
    const svg = voltageStaircaseSvg(
      {
        ...windowPlotData(w),
        band: { x: s.staircase.voltage, lo: s.staircase.q05, hi: s.staircase.q95, label: band(s) },
        limitRanges: { reduction: [s.reduction.distribution.q05, s.reduction.distribution.q95], oxidation: [s.oxidation.distribution.q05, s.oxidation.distribution.q95] },
      },
      { theme: 'light', id: 'window-plot' },
    );
    return { kind, ...s, svg };
  }
  const c1 = parseReactant(args[0]!.trim(), 'electrode');
  const c2 = parseReactant(args[1]!.trim(), 'electrolyte');
  const { reaction: r, ...s } = sampledInterfaceReaction(c1, c2, diagram([...c1.elements, ...c2.elements]), options);
  const svg = reactionCurveSvg(
    {
      c1: args[0]!.trim(),
      c2: args[1]!.trim(),
      kinks: r.kinks.map((k) => ({ x: k.x, energy: k.energyPerAtom, products: k.products.map((p) => p.formula) })),
      curve: { x: [...r.curve.x], energy: [...r.curve.energyPerAtom] },
      band: { x: s.curve.x, lo: s.curve.q05, hi: s.curve.q95, label: band(s) },
    },
    { theme: 'light', id: 'reaction-plot' },
  );
  return { kind: 'interface', ...s, svg };
}
