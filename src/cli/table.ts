/** Plain-text table with aligned columns ('l' or 'r' per column). */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], opts: { align?: string } = {}): string {
  const width = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((s, c) => (opts.align?.[c] === 'r' ? s.padStart(width[c]!) : c === cells.length - 1 ? s : s.padEnd(width[c]!)))
      .join('  ')
      .trimEnd();
  return `${[line(header), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`;
}
