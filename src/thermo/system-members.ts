// A dataset's entries by chemical system: each system's key, elements and entries, and the systems
// in the order a SystemIndex solves them (by number of elements: subsystems first). A table has
// ~40,000 systems met 85,000 times: a system is found by a code made from its elements' alphabetical
// ranks (a number up to 7 elements: no string per entry), its key and elements made once, when
// first met.
import { ALPHABETICAL_RANK, ALPHABETICAL_SYMBOLS } from '../core/index.js';

/** One chemical system: its key ('Li-O-P'), its elements (alphabetical) and its entries (indices). */
export interface SystemMembersOf {
  readonly key: string;
  readonly els: readonly string[];
  readonly own: number[];
}

export class SystemMembers {
  private readonly byCode = new Map<number | string, SystemMembersOf>();

  /** Entry i belongs to the system of `code` (`systemCode`). */
  add(code: number | string, i: number): void {
    const rec = this.byCode.get(code);
    if (rec) {
      rec.own.push(i);
      return;
    }
    const els = elementsOf(code);
    this.byCode.set(code, { key: els.join('-'), els, own: [i] });
  }

  /** The entries of element `el`'s own system (none: undefined). */
  ownOfElement(el: string): readonly number[] | undefined {
    const r = ALPHABETICAL_RANK.get(el);
    return r === undefined ? undefined : this.byCode.get(r + 1)?.own;
  }

  /** Every element of the systems, alphabetical. */
  elements(): string[] {
    const seen = new Set<string>();
    for (const m of this.byCode.values()) for (const el of m.els) seen.add(el);
    return [...seen].sort();
  }

  /** The systems by number of elements, in the order first met within each size: subsystems first. */
  bySize(): SystemMembersOf[] {
    const buckets: SystemMembersOf[][] = [];
    for (const m of this.byCode.values()) (buckets[m.els.length] ??= []).push(m);
    return buckets.flat();
  }
}

/**
 * A chemical system as a code: its elements' alphabetical ranks (ALPHABETICAL_RANK) + 1, ascending
 * (`ranks[0, m)`), as base-128 digits — exact up to 7 elements — and beyond as a string of them.
 */
export function systemCode(ranks: ArrayLike<number>, m: number): number | string {
  if (m > 7) return String.fromCharCode(...Array.from({ length: m }, (_, k) => ranks[k]! + 1));
  let code = 0;
  for (let k = 0; k < m; k++) code = code * 128 + ranks[k]! + 1;
  return code;
}

/** The elements (alphabetical) of a system code: base-128 digits of rank + 1, or their char codes. */
function elementsOf(code: number | string): string[] {
  const out: string[] = [];
  if (typeof code === 'string') for (let k = 0; k < code.length; k++) out.push(ALPHABETICAL_SYMBOLS[code.charCodeAt(k) - 1]!);
  else for (; code > 0; code = Math.floor(code / 128)) out.unshift(ALPHABETICAL_SYMBOLS[(code % 128) - 1]!);
  return out;
}
