import { renderPdf } from '../../domain/pdf.js';
import { formatItalianDate } from '../../domain/contacts.js';
import type { Translate } from '../../i18n/index.js';

export interface ModuleData {
  istituto: string;
  number: string;
  codiceFiscale: string;
  cognome: string;
  nome: string;
  dataNascita: string;
  docType: string;
  docNumber: string;
  docAuthority: string;
  docIssued: string;
  docExpires: string;
}

/** R15 step 3: the pre-filled module to print, sign and date (generated on request, never stored). */
export function renderModulePdf(t: Translate, d: ModuleData): Promise<Buffer> {
  return renderPdf({ margin: 56, info: { Title: t('module.title') } }, (doc) => {
    doc.font('Helvetica-Bold').fontSize(11).text(d.istituto);
    doc.moveDown().fontSize(13).text(t('module.title'), { align: 'center' });
    doc
      .moveDown(0.5)
      .font('Helvetica')
      .fontSize(10)
      .text(t('module.number', { number: d.number }), { align: 'center' });
    doc.moveDown().text(t('module.declare'));
    const rows = (title: string, pairs: [string, string][]) => {
      doc.moveDown().font('Helvetica-Bold').text(title);
      for (const [k, v] of pairs) doc.font('Helvetica').text(`${k}: `, { continued: true }).font('Helvetica-Bold').text(v);
    };
    rows(t('module.citizen'), [
      [t('field.codiceFiscale'), d.codiceFiscale],
      [t('field.cognome'), d.cognome],
      [t('field.nome'), d.nome],
      [t('field.dataNascita'), formatItalianDate(d.dataNascita)],
    ]);
    rows(t('module.document'), [
      [t('field.tipoDocumento'), d.docType],
      [t('field.numeroDocumento'), d.docNumber],
      [t('field.enteRilascio'), d.docAuthority],
      [t('field.dataRilascio'), formatItalianDate(d.docIssued)],
      [t('field.dataScadenza'), formatItalianDate(d.docExpires)],
    ]);
    doc
      .moveDown(2)
      .font('Helvetica')
      .text(`${t('module.placeDate')}: ______________________________`);
    doc.moveDown(2).text(`${t('module.signature')}: ______________________________`);
    doc.moveDown(2).fontSize(8).text(t('module.attach'));
  });
}
