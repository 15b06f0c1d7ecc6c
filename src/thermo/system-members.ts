// A dataset's entries by chemical system: each system's key, elements and entries, and the systems
// in the order a SystemIndex solves them (by number of elements: subsystems first). A table has
// ~40,000 systems: each key is split once, when its system is first met, and never looked up again.

/** One chemical system: its key ('Li-O-P'), its elements (alphabetical) and its entries (indices). */
export interface SystemMembersOf {
  readonly key: string;
  readonly els: readonly string[];
  readonly own: number[];
}

export class SystemMembers {
  private readonly byKey = new Map<string, SystemMembersOf>();

  /** Entry i belongs to system `key`. */
  add(key: string, i: number): void {
    const m = this.byKey.get(key);
    if (m) m.own.push(i);
    else this.byKey.set(key, { key, els: key.split('-'), own: [i] });
  }

  /** The entries of system `key` (none: undefined). */
  own(key: string): readonly number[] | undefined {
    return this.byKey.get(key)?.own;
  }

  /** Every element of the systems, alphabetical. */
  elements(): string[] {
    const seen = new Set<string>();
    for (const m of this.byKey.values()) for (const el of m.els) seen.add(el);
    return [...seen].sort();
  }

  /** The systems by number of elements, in the order first met within each size: subsystems first. */
  bySize(): SystemMembersOf[] {
    const buckets: SystemMembersOf[][] = [];
    for (const m of this.byKey.values()) (buckets[m.els.length] ??= []).push(m);
    return buckets.flat();
  }
}
