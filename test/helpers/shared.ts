import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The read-only shared datasets and pymatgen references beside the repository. */
export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const DATA = `${SHARED}data/`;
export const REFERENCE = `${SHARED}reference/`;

export function hasShared(): boolean {
  return existsSync(DATA) && existsSync(REFERENCE);
}

/** The pymatgen-format datasets (`*.json.gz`) that have a reference. */
export function referenceDatasets(): string[] {
  return readdirSync(DATA)
    .filter((f) => f.endsWith('.json.gz'))
    .map((f) => f.replace(/\.json\.gz$/, ''))
    .filter((name) => existsSync(`${REFERENCE}${name}.json`))
    .sort();
}

export function readReference<T = any>(name: string): T {
  return JSON.parse(readFileSync(`${REFERENCE}${name}`, 'utf8')) as T;
}

/** An element profile of the pymatgen references (`profiles` of a reference file). */
export interface RefStep {
  mu: number;
  evolution: number;
  products: string[];
  reaction: string;
}
export interface RefProfile {
  composition: string;
  open_element: string;
  steps: RefStep[];
}
