// Plain-text tables with aligned columns: a whole table at once (formatTable, for the short outputs
// of window, react and the screens), or line by line with widths found beforehand (tableLine, for
// outputs of any length: hull).

/** One line of a table: cells padded to `width` ('l' or 'r' per column in `align`), the last left unpadded. */
export function tableLine(cells: readonly string[], width: readonly number[], align = ''): string {
  let s = '';
  for (let c = 0; c < cells.length; c++) {
    const v = cells[c]!;
    if (c) s += '  ';
    s += align[c] === 'r' ? v.padStart(width[c]!) : c === cells.length - 1 ? v : v.padEnd(width[c]!);
  }
  return `${s.trimEnd()}\n`;
}

/** Plain-text table with aligned columns ('l' or 'r' per column). */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], opts: { align?: string } = {}): string {
  const width = header.map((h) => h.length);
  for (const r of rows) for (let c = 0; c < width.length; c++) width[c] = Math.max(width[c]!, (r[c] ?? '').length);
  const align = opts.align ?? '';
  let s =
    tableLine(header, width, align) +
    tableLine(
      width.map((w) => '-'.repeat(w)),
      width,
      align,
    );
  for (const r of rows) s += tableLine(r, width, align);
  return s;
}
