import type { ModuleMessages } from '../i18n/index.js';

/** The texts of SPID and CIE, in Italian (the seeds' labels), German and English: same keys, same order. */
const it = {
  'fed.error.title': 'Accesso con {method} non riuscito',
  'fed.error.denied': "Hai annullato l'accesso presso il gestore dell'identità, oppure non hai dato il consenso a trasmettere i tuoi dati.",
  'fed.error.invalid': "La risposta del gestore dell'identità non è valida. Riprova; se il problema continua, usa un altro sistema di accesso.",
  'fed.error.acr': "Il livello di sicurezza dell'accesso è insufficiente: servono {method} di livello 2 o superiore.",
  'fed.error.no_fiscal_number': "Il gestore dell'identità non ha trasmesso il tuo codice fiscale: senza il codice fiscale non è possibile riconoscerti.",
  'fed.error.unreachable': "Il gestore dell'identità non risponde in questo momento. Riprova più tardi o usa un altro sistema di accesso.",
  'fed.error.expired': 'La richiesta di accesso è scaduta o è già stata usata. Ricomincia dalla pagina di accesso.',
  'fed.error.cns_missing':
    'Il browser non ha presentato alcun certificato. Inserisci la carta nel lettore, verifica che il certificato sia installato e riprova.',
  'fed.error.cns_untrusted': "Il certificato presentato non è stato emesso da un'autorità di certificazione riconosciuta per la CNS.",
  'fed.error.cns_expired': "Il certificato della carta è scaduto o non è ancora valido. Rivolgiti all'ente che ha rilasciato la carta per rinnovarlo.",
  'fed.error.cns_revoked': "Il certificato della carta è stato revocato o sospeso e non può essere usato per l'accesso.",
  'fed.error.cns_no_cf': 'Il certificato presentato non contiene un codice fiscale valido: non è un certificato CNS.',
  'fed.error.retry': 'Riprova',
  'fed.error.other': 'Scegli un altro sistema di accesso',
  'fed.error.cns_unavailable':
    'Non è possibile verificare in questo momento se il certificato della carta è valido. Riprova più tardi o usa un altro sistema di accesso.',
};

const de: Record<keyof typeof it, string> = {
  'fed.error.title': 'Anmeldung mit {method} fehlgeschlagen',
  'fed.error.denied': 'Sie haben die Anmeldung beim Identitätsanbieter abgebrochen oder der Übermittlung Ihrer Daten nicht zugestimmt.',
  'fed.error.invalid':
    'Die Antwort des Identitätsanbieters ist ungültig. Bitte versuchen Sie es erneut; sollte das Problem weiterhin bestehen, verwenden Sie ein anderes Anmeldeverfahren.',
  'fed.error.acr': 'Die Sicherheitsstufe der Anmeldung reicht nicht aus: Erforderlich ist {method} der Stufe 2 oder höher.',
  'fed.error.no_fiscal_number': 'Der Identitätsanbieter hat Ihre Steuernummer nicht übermittelt: Ohne Steuernummer können Sie nicht identifiziert werden.',
  'fed.error.unreachable':
    'Der Identitätsanbieter antwortet derzeit nicht. Bitte versuchen Sie es später erneut oder verwenden Sie ein anderes Anmeldeverfahren.',
  'fed.error.expired': 'Die Anmeldeanfrage ist abgelaufen oder wurde bereits verwendet. Bitte beginnen Sie erneut auf der Anmeldeseite.',
  'fed.error.cns_missing':
    'Der Browser hat kein Zertifikat vorgelegt. Bitte stecken Sie die Karte in das Lesegerät, prüfen Sie, ob das Zertifikat installiert ist, und versuchen Sie es erneut.',
  'fed.error.cns_untrusted': 'Das vorgelegte Zertifikat wurde nicht von einer für die CNS anerkannten Zertifizierungsstelle ausgestellt.',
  'fed.error.cns_expired':
    'Das Zertifikat der Karte ist abgelaufen oder noch nicht gültig. Bitte wenden Sie sich zur Erneuerung an die Stelle, die die Karte ausgestellt hat.',
  'fed.error.cns_revoked': 'Das Zertifikat der Karte wurde widerrufen oder gesperrt und kann nicht für die Anmeldung verwendet werden.',
  'fed.error.cns_no_cf': 'Das vorgelegte Zertifikat enthält keine gültige Steuernummer: Es handelt sich nicht um ein CNS-Zertifikat.',
  'fed.error.retry': 'Erneut versuchen',
  'fed.error.other': 'Anderes Anmeldeverfahren wählen',
  'fed.error.cns_unavailable':
    'Derzeit kann nicht überprüft werden, ob das Zertifikat der Karte gültig ist. Versuchen Sie es später erneut oder verwenden Sie eine andere Zugangsart.',
};

const en: Record<keyof typeof it, string> = {
  'fed.error.title': 'Sign-in with {method} failed',
  'fed.error.denied': 'You cancelled the sign-in at the identity provider, or you did not consent to your data being shared.',
  'fed.error.invalid': "The identity provider's response is not valid. Please try again; if the problem persists, use another sign-in method.",
  'fed.error.acr': 'The sign-in security level is insufficient: {method} at level 2 or higher is required.',
  'fed.error.no_fiscal_number': 'The identity provider did not send your tax code: without the tax code you cannot be identified.',
  'fed.error.unreachable': 'The identity provider is not responding right now. Please try again later or use another sign-in method.',
  'fed.error.expired': 'The sign-in request has expired or has already been used. Please start again from the sign-in page.',
  'fed.error.cns_missing':
    'The browser did not present any certificate. Insert the card into the reader, check that the certificate is installed, and try again.',
  'fed.error.cns_untrusted': 'The certificate presented was not issued by a certification authority recognised for the CNS.',
  'fed.error.cns_expired': "The card's certificate has expired or is not yet valid. Contact the body that issued the card to renew it.",
  'fed.error.cns_revoked': "The card's certificate has been revoked or suspended and cannot be used to sign in.",
  'fed.error.cns_no_cf': 'The certificate presented does not contain a valid tax code: it is not a CNS certificate.',
  'fed.error.retry': 'Try again',
  'fed.error.other': 'Choose another sign-in method',
  'fed.error.cns_unavailable':
    "It is not possible to check right now whether the card's certificate is valid. Please try again later or use another way to log in.",
};

export const messages: ModuleMessages = { it, de, en };

declare module '../i18n/index.js' {
  interface Messages extends Record<keyof typeof it, string> {}
}
