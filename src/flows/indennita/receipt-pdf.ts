import type { CovidCategory, CovidState } from '../../db/schema.js';
import type { MessageKey, Translate } from '../../i18n/index.js';
import { renderPdf } from '../../domain/pdf.js';
import { formatRome } from '../../domain/rome-time.js';
import { categoryById } from './categories.js';
import { euro } from '../../ui/format.js';

export interface ReceiptData {
  istituto: string;
  protocollo: string;
  submittedAt: Date;
  categoria: CovidCategory;
  stato: CovidState;
  importoCents: number;
  iban: string;
  applicant: { nome: string; cognome: string; codiceFiscale: string };
  dichiarazioni: { campi: Record<string, unknown>; dichiarazioni: string[] };
}

/** R21: the receipt, rendered when the citizen downloads it (never stored). */
export function renderReceiptPdf(t: Translate, r: ReceiptData): Promise<Buffer> {
  const k = (key: string) => key as MessageKey;
  const def = categoryById(r.categoria);
  if (!def) throw new Error(`no category ${r.categoria}`);
  return renderPdf({ info: { Title: `${t('cov.receipt.title')} ${r.protocollo}` } }, (doc) => {
    doc.fontSize(10).text(r.istituto);
    doc.moveDown().fontSize(16).text(t('cov.receipt.title'));
    doc.moveDown(0.5).fontSize(11);
    const row = (label: string, value: string) => doc.font('Helvetica-Bold').text(`${label}: `, { continued: true }).font('Helvetica').text(value);
    row(t('cov.col.protocollo'), r.protocollo);
    row(t('cov.col.data'), formatRome(r.submittedAt));
    row(t('cov.form.applicant'), `${r.applicant.cognome} ${r.applicant.nome} – ${r.applicant.codiceFiscale}`);
    row(t('cov.col.categoria'), `${t(k(`cov.cat.${r.categoria}.title`))} (${t('cov.form.article', { article: def.article })})`);
    row(t('cov.col.importo'), euro(r.importoCents));
    row(t('cov.field.iban'), r.iban);
    row(t('cov.col.stato'), t(k(`cov.state.${r.stato}`)));
    doc.moveDown().font('Helvetica-Bold').text(t('cov.form.data'));
    doc.font('Helvetica');
    for (const f of def.fields) {
      const v = r.dichiarazioni.campi[f.name];
      if (v === undefined) continue;
      const shown = f.kind === 'select' ? t(k(`cov.opt.${f.name}.${String(v)}`)) : f.kind === 'date' ? String(v).split('-').reverse().join('/') : String(v);
      row(t(k(`cov.field.${f.name}`)), shown);
    }
    doc.moveDown().font('Helvetica-Bold').text(t('cov.form.declarations'));
    doc.font('Helvetica');
    for (const d of ['intestatario', ...r.dichiarazioni.dichiarazioni]) doc.text(`• ${t(k(`cov.decl.${d}`))}`);
    doc.moveDown().fontSize(9).text(t('cov.receipt.note'));
  });
}
