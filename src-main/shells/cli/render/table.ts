/** A column of a plain-text table: numbers align right. */
export interface Column<Row> {
  header: string;
  value(row: Row): string;
  align?: 'left' | 'right';
}

/** Renders rows as aligned columns separated by two spaces; `style` colours a cell after padding. */
export function renderTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[], style?: (row: Row, column: string, cell: string) => string): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length)));
  const pad = (text: string, i: number) => (columns[i]!.align === 'right' ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const header = columns.map((c, i) => pad(c.header, i)).join('  ').trimEnd();
  const lines = cells.map((r, ri) => r.map((cell, i) => {
    const padded = pad(cell, i);
    return style ? style(rows[ri]!, columns[i]!.header, padded) : padded;
  }).join('  ').trimEnd());
  return [header, ...lines].join('\n');
}
