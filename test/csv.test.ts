import { once } from 'node:events';
import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeCf } from '../src/domain/codice-fiscale/index.js';
import { type CsvFormat, type CsvInput, type CsvProgress, type Rejected, readCsv } from '../src/domain/csv.js';
import { ibanWithCheckDigits } from '../src/domain/iban.js';
import { importIbanHolders } from '../src/adapters/iban-holders.js';
import { importTessere } from '../src/flows/revoca/tessere.js';
import { ENGINES, freshDatabase } from './support/db.js';

/** A residence-like format: the shape the registries of issue 12 read (an address holds commas). */
const ADDRESS: CsvFormat = { separator: ';', headerSeparator: ',', isHeader: (l) => /codice/i.test(l), columns: 3 };
const CF = computeCf({ cognome: 'Rossi', nome: 'Mario', dataNascita: new Date(Date.UTC(1985, 11, 10)), sesso: 'M', belfioreNascita: 'A562' });

async function read(input: CsvInput, format: CsvFormat = ADDRESS) {
  const rejected: Rejected = [];
  const rows = [];
  for await (const row of readCsv(input, { ...format, rejected })) rows.push(row);
  return { rows, rejected };
}

const tmp = () => mkdtempSync(path.join(tmpdir(), 'varco-csv-'));

describe('CSV imports (RFC 4180, streamed)', () => {
  it('a quoted cell holding the separator stays one cell (the misread residence)', async () => {
    const { rows, rejected } = await read({ text: `codice_fiscale;indirizzo;comune\n${CF};"Via Roma; 12";PISA\n${CF};"Via Roma, 12";PISA\n` });
    expect(rejected).toEqual([]);
    expect(rows).toEqual([
      { line: 2, cells: [CF, 'Via Roma; 12', 'PISA'] },
      { line: 3, cells: [CF, 'Via Roma, 12', 'PISA'] },
    ]);
    // A file whose header uses ',' is read with ',' throughout; a quoted comma is still one cell.
    const comma = await read({ text: `codice_fiscale,indirizzo,comune\n${CF},"Via Roma, 12",PISA\n` });
    expect(comma.rows).toEqual([{ line: 2, cells: [CF, 'Via Roma, 12', 'PISA'] }]);
  });

  it("the separator is the file's, never chosen cell by cell", async () => {
    // Without a header the format's ';' holds: a line written with commas is one cell, refused with its line.
    const { rows, rejected } = await read({ text: `${CF};Via Roma, 12;PISA\n${CF},Via Verdi 3,PISA\n` });
    expect(rows).toEqual([{ line: 1, cells: [CF, 'Via Roma, 12', 'PISA'] }]);
    expect(rejected).toEqual([{ line: 2, reason: '1 colonne invece di 3 (separatore ";")' }]);
    // A header with ';' keeps ';' even when a cell of it has a comma.
    const header = await read({ text: `codice_fiscale;"indirizzo, civico";comune\n${CF},Via Verdi 3,PISA\n` });
    expect(header.rows).toEqual([]);
    expect(header.rejected.map((r) => r.line)).toEqual([2]);
  });

  it('embedded quotes, a BOM, CRLF and a quoted line break; later lines keep their numbers', async () => {
    const text = `\ufeffcodice_fiscale;indirizzo;comune\r\n${CF};"Corte detta ""Il Pozzo""";PISA\r\n\r\n${CF};"Via Roma 12\r\nscala B";PISA\r\n${CF};Via Verdi 3;\r\n${CF};"Piazza ""Dante""\r\n\r\ninterno 4";LUCCA\r\n${CF};troppe;colonne;qui\r\n${CF};Via Ultima 1;SIENA`;
    const { rows, rejected } = await read({ text });
    expect(rows).toEqual([
      { line: 2, cells: [CF, 'Corte detta "Il Pozzo"', 'PISA'] },
      { line: 4, cells: [CF, 'Via Roma 12\r\nscala B', 'PISA'] },
      { line: 6, cells: [CF, 'Via Verdi 3', ''] },
      { line: 7, cells: [CF, 'Piazza "Dante"\r\n\r\ninterno 4', 'LUCCA'] },
      { line: 11, cells: [CF, 'Via Ultima 1', 'SIENA'] },
    ]);
    // The BOM is not part of the header (it is recognised and skipped).
    expect(rows[0]!.cells[0]).toBe(CF);
    expect(rejected).toEqual([{ line: 10, reason: '4 colonne invece di 3 (separatore ";")' }]);
  });

  it('broken quoting is refused at its line and nothing after it is read', async () => {
    const unclosed = await read({ text: `${CF};"Via Roma 12;PISA\n${CF};Via Verdi 3;PISA\n` });
    expect(unclosed.rows).toEqual([]);
    expect(unclosed.rejected).toEqual([{ line: 1, reason: expect.stringContaining('virgolette non chiuse') as string }]);
    const misplaced = await read({ text: `${CF};Via Verdi 3;PISA\n${CF};"Via" Roma;PISA\n${CF};Via Bianchi 1;PISA\n` });
    expect(misplaced.rows.map((r) => r.line)).toEqual([1]);
    expect(misplaced.rejected).toEqual([{ line: 2, reason: expect.stringContaining('virgolette fuori posto') as string }]);
  });

  it('streams a file of 10^6 rows, reporting progress', async () => {
    const ROWS = 1_000_000;
    const file = path.join(tmp(), 'big.csv');
    const out = createWriteStream(file);
    out.write('codice_fiscale;indirizzo;comune\n');
    for (let i = 0; i < ROWS; i++) {
      if (!out.write(`${CF};"Via Roma, ${i}";PISA\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const progress: CsvProgress[] = [];
    const rejected: Rejected = [];
    let count = 0;
    let lastLine = 0;
    for await (const row of readCsv(file, { ...ADDRESS, rejected, progress: (p) => progress.push(p) })) {
      count++;
      lastLine = row.line;
      if (count === 500_000) expect(row.cells[1]).toBe('Via Roma, 499999');
    }
    expect(count).toBe(ROWS);
    expect(lastLine).toBe(ROWS + 1);
    expect(rejected).toEqual([]);
    expect(progress.length).toBeGreaterThanOrEqual(100);
    expect(progress.map((p) => p.rows)).toEqual([...progress.map((p) => p.rows)].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ rows: ROWS, bytes: progress.at(-1)!.totalBytes });
    expect(progress[0]!.bytes).toBeLessThan(progress.at(-1)!.bytes);
  }, 300_000);

  describe.each(ENGINES)('into the database on %s', (engine) => {
    it('imports 10^4 IBAN holders from a file in batches, with progress and the refused lines', async () => {
      const { db } = await freshDatabase(engine);
      try {
        const N = 10_000;
        const lines = ['"iban","codice_fiscale"'];
        for (let i = 0; i < N; i++) lines.push(`"${ibanWithCheckDigits('IT', `X0542811101${String(i).padStart(12, '0')}`)}",${CF}`);
        lines.splice(5001, 0, `"IT60 X054\nXYZ",${CF}`, `IT00BAD,${CF}`);
        const file = path.join(tmp(), 'iban.csv');
        writeFileSync(file, `${lines.join('\r\n')}\r\n`);
        const progress: CsvProgress[] = [];
        const report = await importIbanHolders(db, file, (p) => progress.push(p));
        expect(report.imported).toBe(N);
        expect(report.rejected.map((r) => r.line)).toEqual([5002, 5004]);
        expect(Number((await db.selectFrom('iban_holders').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(N);
        expect(progress.at(-1)).toMatchObject({ rows: N + 2 });
      } finally {
        await db.destroy();
      }
    });

    it('tessere: a later line for the same codice fiscale wins, also within one batch', async () => {
      const { db } = await freshDatabase(engine);
      try {
        const report = await importTessere(db, {
          text: `codice_fiscale;numero_tessera;scadenza\r\n${CF};80380000000000000001;2029-12-31\r\n${CF};"8038 0000 0000 0000 0002";31/12/2030\r\n`,
        });
        expect(report.rejected).toEqual([]);
        expect(await db.selectFrom('tessere_sanitarie').select(['numero', 'scadenza']).execute()).toEqual([
          { numero: '80380000000000000002', scadenza: '2030-12-31' },
        ]);
      } finally {
        await db.destroy();
      }
    });
  });
});
