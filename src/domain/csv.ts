/**
 * The small CSV files the institute's systems export (registries, outcomes): one record per line,
 * cells separated by ';' (or ',' where the format allows it), optional quotes around a cell, an
 * optional header line. Each row keeps its 1-based line number, for the report of refused rows.
 */
export interface CsvRow {
  line: number;
  cells: string[];
}

export function csvRows(text: string, o: { isHeader: (line: string) => boolean; separator?: RegExp }): CsvRow[] {
  const rows: CsvRow[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || (i === 0 && o.isHeader(line))) return;
    rows.push({ line: i + 1, cells: line.split(o.separator ?? /[;,]/).map((c) => c.trim().replace(/^"|"$/g, '')) });
  });
  return rows;
}

/** Runs `write` on slices of `rows`, telling `progress` after each. */
export async function inBatches<T>(rows: T[], size: number, write: (slice: T[]) => Promise<unknown>, progress?: (done: number, total: number) => void): Promise<void> {
  for (let k = 0; k < rows.length; k += size) {
    await write(rows.slice(k, k + size));
    progress?.(Math.min(k + size, rows.length), rows.length);
  }
}
