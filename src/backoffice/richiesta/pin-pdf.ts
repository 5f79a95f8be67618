import { renderPdf } from '../../domain/pdf.js';
import type { Translate } from '../../i18n/index.js';

/** Issue 5, sede: the whole initial PIN on paper for the citizen at the counter — streamed, never stored. */
export function renderPinSheet(
  t: Translate,
  d: { istituto: string; nome: string; cognome: string; codiceFiscale: string; pin: string; protocol: string; operator: string; date: string },
): Promise<Buffer> {
  return renderPdf({ margin: 56, info: { Title: t('pinpdf.title') } }, (doc) => {
    doc.font('Helvetica-Bold').fontSize(12).text(d.istituto);
    doc.moveDown().fontSize(14).text(t('pinpdf.title'));
    doc.moveDown().font('Helvetica').fontSize(11).text(`${d.nome} ${d.cognome}`);
    doc.text(d.codiceFiscale);
    doc.moveDown().font('Helvetica-Bold').text(t('pinpdf.pin'));
    doc
      .moveDown(0.3)
      .font('Courier-Bold')
      .fontSize(22)
      .text(d.pin.replace(/(.{4})(?=.)/g, '$1 '), { characterSpacing: 2 });
    doc.moveDown().font('Helvetica').fontSize(10).text(t('pinpdf.body'));
    doc
      .moveDown(2)
      .fontSize(8)
      .text(t('pinpdf.issued', { date: d.date, protocol: d.protocol, operator: d.operator }));
  });
}
