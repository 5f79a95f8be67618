import type { ModuleMessages } from '../../i18n/index.js';

/** The texts of the documenti flow, in Italian (the seeds' labels), German and English: same keys, same order. */
const it = {
  'doc.carta_identita': "Carta d'identità",
  'doc.patente': 'Patente di guida',
  'doc.passaporto': 'Passaporto',
  'doc.list.title': 'I tuoi documenti',
  'doc.list.lead':
    "I documenti che l'{istituto} ha messo a tua disposizione, come la Certificazione Unica. Scaricarli è un'operazione dispositiva: serve il PIN dispositivo, SPID, CIE o CNS.",
  'doc.list.none': 'Non ci sono documenti per te.',
  'doc.kind.cu': 'Certificazione Unica {year}',
  'doc.download': 'Scarica (PDF)',
};

const de: Record<keyof typeof it, string> = {
  'doc.carta_identita': 'Identitätskarte',
  'doc.patente': 'Führerschein',
  'doc.passaporto': 'Reisepass',
  'doc.list.title': 'Ihre Dokumente',
  'doc.list.lead':
    'Die Dokumente, die das {istituto} für Sie bereitgestellt hat, wie die Certificazione Unica. Das Herunterladen ist ein dispositiver Vorgang: Sie benötigen die PIN dispositivo, SPID, CIE oder CNS.',
  'doc.list.none': 'Für Sie liegen keine Dokumente vor.',
  'doc.kind.cu': 'Certificazione Unica {year}',
  'doc.download': 'Herunterladen (PDF)',
};

const en: Record<keyof typeof it, string> = {
  'doc.carta_identita': 'Identity card',
  'doc.patente': 'Driving licence',
  'doc.passaporto': 'Passport',
  'doc.list.title': 'Your documents',
  'doc.list.lead':
    'The documents {istituto} has made available to you, such as the Certificazione Unica. Downloading them is a dispositive operation: it needs the PIN dispositivo, SPID, CIE or CNS.',
  'doc.list.none': 'There are no documents for you.',
  'doc.kind.cu': 'Certificazione Unica {year}',
  'doc.download': 'Download (PDF)',
};

export const messages: ModuleMessages = { it, de, en };

declare module '../../i18n/index.js' {
  interface Messages extends Record<keyof typeof it, string> {}
}
