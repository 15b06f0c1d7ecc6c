// Optional: renders every plot with a real browser into out/plots/*.png (light and dark), and
// checks the browser's own text metrics: labels inside the picture. Runs only where
// /usr/bin/chromium exists and playwright-core is installed (it is not a dependency); skipped
// otherwise, saying why.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PhaseDiagram, loadEntries } from '../src/index.js';
import { binaryHullSvg, rankingSvg, reactionCurveSvg, ternaryHullSvg, voltageStaircaseSvg } from '../src/plot/index.js';
import { DATA } from './helpers/shared.js';

const CHROMIUM = '/usr/bin/chromium';
const PLAYWRIGHT = 'playwright-core';
const LPS = `${DATA}alexandria-Li-P-S.json.gz`;
const OUT = fileURLToPath(new URL('../out/plots/', import.meta.url));

function installed(name: string): boolean {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}

const skipReason = !existsSync(CHROMIUM) ? `${CHROMIUM} not found` : !installed(PLAYWRIGHT) ? `${PLAYWRIGHT} is not installed` : !existsSync(LPS) ? `${LPS} not found` : undefined;
if (skipReason) console.log(`plot-render.test: skipped, ${skipReason}`);

async function plots(): Promise<Record<string, string>> {
  const pd = new PhaseDiagram(await loadEntries(LPS));
  return {
    'render-hull-Li-S': binaryHullSvg(pd, { elements: ['Li', 'S'] }),
    'render-hull-Li-P-S': ternaryHullSvg(pd),
    'render-window-Li3PS4': voltageStaircaseSvg({
      composition: 'Li3PS4',
      openElement: 'Li',
      window: { reductionV: 1.6838, oxidationV: 2.371 },
      steps: [
        { voltageRange: [0, 0.864], evolution: 8, products: ['Li2S', 'Li3P'] },
        { voltageRange: [0.864, 1.6838], evolution: 5, products: ['Li2S', 'P'] },
        { voltageRange: [1.6838, 2.371], evolution: 0, products: ['Li3PS4'] },
        { voltageRange: [2.371, Infinity], evolution: -3, products: ['P2S7', 'PS9'] },
      ],
    }),
    'render-reaction-Li3PS4-Li': reactionCurveSvg({
      c1: 'Li3PS4',
      c2: 'Li',
      kinks: [
        { x: 0, energy: 0, products: ['Li'] },
        { x: 0.5, energy: -0.69938, products: ['Li2S', 'Li3P'] },
        { x: 0.6154, energy: -0.64762, products: ['Li2S', 'P'] },
        { x: 1, energy: 0, products: ['Li3PS4'] },
      ],
    }),
    'render-ranking': rankingSvg(
      [
        { name: 'Li6PS5Cl', score: 0.92, pass: true, values: { E_hull: 0.021 } },
        { name: 'Li3PS4', score: 0.81, pass: true, values: { E_hull: 0 } },
        { name: 'Li7P3S11', score: 0.4, pass: false, values: { E_hull: 0.052 } },
      ],
      { threshold: 0.5 },
    ),
  };
}

describe.skipIf(skipReason !== undefined)(`plots rendered by chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('renders every plot to PNG in light and dark, labels inside the picture', async () => {
    const name: string = PLAYWRIGHT; // not a static import: the package is optional
    const { chromium } = (await import(/* @vite-ignore */ name)) as { chromium: any };
    mkdirSync(OUT, { recursive: true });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      for (const scheme of ['light', 'dark'] as const) {
        const page = await browser.newPage({ colorScheme: scheme, viewport: { width: 1200, height: 1000 } });
        for (const [file, svg] of Object.entries(await plots())) {
          await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
          const info = await page.evaluate(() => {
            const root = document.querySelector('svg') as SVGSVGElement;
            const box = root.getBoundingClientRect();
            const labels = [...root.querySelectorAll('text.label')].map((t) => t.getBoundingClientRect());
            const outside = labels.filter((b) => b.left < box.left - 2 || b.right > box.right + 2 || b.top < box.top - 2 || b.bottom > box.bottom + 2).length;
            let overlapping = 0;
            for (let i = 0; i < labels.length; i++)
              for (let j = i + 1; j < labels.length; j++) {
                const [a, b] = [labels[i]!, labels[j]!];
                if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) overlapping++;
              }
            return { isSvg: root instanceof SVGSVGElement, width: box.width, height: box.height, labels: labels.length, outside, overlapping };
          });
          expect(info.isSvg, file).toBe(true);
          expect(info.width, file).toBeGreaterThan(100);
          expect(info.outside, `${file}: labels outside the picture`).toBe(0);
          if (info.overlapping) console.warn(`${file}: ${info.overlapping} pairs of labels overlap with the browser's font metrics`);
          const path = `${OUT}${file}-${scheme}.png`;
          await (await page.$('svg')).screenshot({ path });
          expect(statSync(path).size, path).toBeGreaterThan(1000);
        }
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
