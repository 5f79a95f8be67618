import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { type Options, parse } from 'csv-parse';

/**
 * The CSV files the institute's systems export (registries, outcomes), read as RFC 4180 by
 * csv-parse: cells in double quotes may hold the separator, line breaks and doubled quotes
 * (`"Via Roma, 12"`, `"detto ""Gino"""`); a UTF-8 BOM and CRLF or LF line ends are accepted.
 * Each format declares its separator and its column count; each row keeps the 1-based line on
 * which it starts, for the report of refused rows. Files are streamed, never read whole.
 */
export interface CsvRow {
  /** The line of the file on which the row starts (a quoted line break makes a row span lines). */
  line: number;
  cells: string[];
}

export interface CsvFormat {
  /** The format's separator. */
  separator: ';' | ',';
  /**
   * Older exports of the same format used this separator: it is accepted when the header line
   * uses it (and does not use `separator`), then for the whole file; never cell by cell.
   */
  headerSeparator?: ';' | ',';
  /** True for the optional header line (tested on the file's first line only). */
  isHeader: (line: string) => boolean;
  /** Cells per row: a row with another count is refused with its line. */
  columns: number | { min: number; max: number };
}

/** A file's path, or its content (tests, small uploads). */
export type CsvInput = string | { text: string };

export interface CsvProgress {
  rows: number;
  bytes: number;
  /** The file's size; undefined when the input is not a file. */
  totalBytes: number | undefined;
}

export type Rejected = { line: number; reason: string }[];

export interface ReadCsvOptions extends CsvFormat {
  /** Rows refused by the reader itself (wrong column count, broken quoting) are added here. */
  rejected: Rejected;
  progress?: (p: CsvProgress) => void;
}

const PROGRESS_EVERY_ROWS = 10_000;
/** No cell of these formats comes near it: a longer record is an unclosed quote swallowing the file. */
const MAX_RECORD_BYTES = 64 * 1024;
const HEAD_BYTES = 64 * 1024;

/**
 * The rows of a CSV file, streamed. Empty lines (and lines of empty cells) are skipped; a row
 * whose cell count differs from the format's is refused and the reading goes on; broken quoting
 * (a quote never closed, text after a closing quote) is refused at its line and ends the reading,
 * since nothing after it can be read with certainty.
 */
export async function* readCsv(input: CsvInput, o: ReadCsvOptions): AsyncGenerator<CsvRow> {
  const firstLine =
    stripBom(await headOf(input))
      .split(/\r?\n/, 1)[0]
      ?.trim() ?? '';
  const header = firstLine !== '' && o.isHeader(firstLine);
  const delimiter = header && o.headerSeparator && !firstLine.includes(o.separator) && firstLine.includes(o.headerSeparator) ? o.headerSeparator : o.separator;
  const { min, max } = typeof o.columns === 'number' ? { min: o.columns, max: o.columns } : o.columns;

  const source = typeof input === 'string' ? createReadStream(input) : Readable.from([Buffer.from(input.text, 'utf8')]);
  const totalBytes = typeof input === 'string' ? (await stat(input)).size : undefined;
  let bytes = 0;
  source.on('data', (chunk: Buffer | string) => (bytes += chunk.length));
  // csv-parse's own line count is off for quoted CRLF: count the lines each record spans instead,
  // as the parser meets it. After broken quoting nothing more is read: the parser's resynchronisation
  // cannot be trusted with a registry.
  let line = 1;
  let broken: { line: number; code: string } | undefined;
  const options: Options = {
    delimiter,
    bom: true,
    trim: true,
    relax_column_count: true,
    record_delimiter: ['\r\n', '\n'],
    max_record_size: MAX_RECORD_BYTES,
    skip_records_with_error: true,
    on_skip: (error) => {
      broken ??= { line, code: error?.code ?? 'CSV' };
      return undefined;
    },
    on_record: (cells: string[]) => {
      const row: CsvRow = { line, cells };
      line += 1 + cells.reduce((n, c) => n + countNewlines(c), 0);
      // The parser's typings want a record of the parsed shape back; a CsvRow is what it passes on.
      return broken ? null : (row as unknown as string[]);
    },
  };
  const parser = parse(options);
  source.on('error', (error: Error) => parser.destroy(error));
  source.pipe(parser);

  let rows = 0;
  let first = true;
  const report = () => o.progress?.({ rows, bytes, totalBytes });
  try {
    for await (const row of parser as AsyncIterable<CsvRow>) {
      if (first && header) {
        first = false;
        continue;
      }
      first = false;
      const { cells } = row;
      if (cells.every((c) => c === '')) continue;
      if (cells.length < min || cells.length > max) {
        o.rejected.push({ line: row.line, reason: `${cells.length} colonne invece di ${min === max ? min : `${min}–${max}`} (separatore "${delimiter}")` });
        continue;
      }
      rows++;
      if (rows % PROGRESS_EVERY_ROWS === 0) report();
      yield row;
    }
  } finally {
    source.destroy();
    parser.destroy();
  }
  if (broken) {
    const quote = broken.code === 'CSV_QUOTE_NOT_CLOSED' || broken.code === 'CSV_MAX_RECORD_SIZE' ? 'virgolette non chiuse' : 'virgolette fuori posto';
    o.rejected.push({ line: broken.line, reason: `CSV non valido da questa riga (${quote}): il resto del file non è stato letto` });
  }
  report();
}

/** Runs `write` on slices of `size` rows of `rows`, as they come. Returns how many rows were written. */
export async function inBatches<T>(rows: AsyncIterable<T>, size: number, write: (slice: T[]) => Promise<unknown>): Promise<number> {
  let slice: T[] = [];
  let written = 0;
  for await (const row of rows) {
    slice.push(row);
    if (slice.length === size) {
      await write(slice);
      written += slice.length;
      slice = [];
    }
  }
  if (slice.length) {
    await write(slice);
    written += slice.length;
  }
  return written;
}

async function headOf(input: CsvInput): Promise<string> {
  if (typeof input !== 'string') return input.text.slice(0, HEAD_BYTES);
  const file = await open(input, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await file.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await file.close();
  }
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
