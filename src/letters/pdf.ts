import { renderPdf } from '../domain/pdf.js';

/** One letter of PIN delivery, ready to print: the texts are already translated. */
export interface LetterContent {
  /** Outbox message id, printed as a reference so a returned letter can be traced. */
  reference: string;
  sender: string[];
  recipient: string[];
  date: string;
  /** One section per language: Italian, and German too for residents of the province of Bolzano. */
  sections: { lang: string; subject: string; salutation: string; body: string; codeLabel: string; warning: string; closing: string }[];
  /** The secret the letter carries (the second 8 characters of the PIN). */
  code: string;
}

const MM = 72 / 25.4;

/**
 * A4 pages for a DL/C5 envelope with the window on the right (recipient block at 110 mm from
 * the left, 50 mm from the top). One page per letter; a batch is one PDF.
 */
export function renderLettersPdf(letters: LetterContent[], onPage?: (done: number) => void): Promise<Buffer> {
  return renderPdf({ autoFirstPage: false, margins: { top: 20 * MM, bottom: 15 * MM, left: 20 * MM, right: 20 * MM }, info: { Title: 'PIN' } }, (doc) => {
    letters.forEach((letter, i) => {
      renderLetter(doc, letter);
      onPage?.(i + 1);
    });
  });
}

function renderLetter(doc: PDFKit.PDFDocument, letter: LetterContent): void {
  doc.addPage();
  const left = 20 * MM;
  const width = 170 * MM;
  doc
    .font('Helvetica-Bold')
    .fontSize(10)
    .text(letter.sender[0] ?? '', left, 20 * MM, { width: 80 * MM });
  doc
    .font('Helvetica')
    .fontSize(9)
    .text(letter.sender.slice(1).join('\n'), { width: 80 * MM });
  // Window of the envelope: 110 mm from the left, 50 mm from the top, 90 × 35 mm.
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(letter.recipient.join('\n'), 110 * MM, 50 * MM, { width: 85 * MM, height: 35 * MM });
  doc.fontSize(9).text(`${letter.date}    Rif. ${letter.reference}`, left, 95 * MM, { width });
  let y = 105 * MM;
  for (const section of letter.sections) {
    doc.font('Helvetica-Bold').fontSize(10).text(section.subject, left, y, { width });
    doc.moveDown(0.6).font('Helvetica').fontSize(10).text(section.salutation, { width });
    doc.moveDown(0.4).text(section.body, { width, align: 'justify' });
    doc.moveDown(0.8).font('Helvetica-Bold').text(section.codeLabel, { width, continued: false });
    doc.moveDown(0.3).font('Courier-Bold').fontSize(20).text(spaced(letter.code), { width, characterSpacing: 2 });
    doc.moveDown(0.5).font('Helvetica').fontSize(9).text(section.warning, { width });
    doc.moveDown(0.4).fontSize(10).text(section.closing, { width });
    y = doc.y + 8 * MM;
  }
}

/** "ABCD EFGH": two groups of four, easier to copy by hand. */
function spaced(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1 ');
}
