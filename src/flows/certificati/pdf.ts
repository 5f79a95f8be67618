import type { Translate } from '../../i18n/index.js';
import { renderPdf } from '../../domain/pdf.js';

/** The attestato attached to the PEC notice (R20): the worker's copy, without diagnosis. */
export function renderCertificatePdf(t: Translate, p: Record<string, string>): Promise<Buffer> {
  return renderPdf({ info: { Title: `${t('cert.pdf.title')} ${p.protocollo}` } }, (doc) => {
    doc.fontSize(18).text(t('cert.pdf.title'));
    doc.moveDown();
    doc.fontSize(11);
    const row = (label: string, value: string | undefined) =>
      doc
        .font('Helvetica-Bold')
        .text(`${label}: `, { continued: true })
        .font('Helvetica')
        .text(value ?? '');
    row(t('cert.col.protocollo'), p.protocollo);
    row(t('cert.pdf.worker'), `${p.nome ?? ''} ${p.cognome ?? ''} (${p.codiceFiscale ?? ''})`);
    row(t('cert.col.tipo'), p.tipo ? t(`cert.tipo.${p.tipo as 'inizio'}`) : '');
    row(t('cert.col.rilascio'), p.rilascio);
    row(t('cert.col.inizio'), p.inizio);
    row(t('cert.col.fine'), p.fine);
    row(t('cert.col.medico'), p.medico);
    doc.moveDown().fontSize(9).text(t('cert.pdf.note'));
  });
}
