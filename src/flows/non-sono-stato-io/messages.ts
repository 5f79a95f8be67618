import type { ModuleMessages } from '../../i18n/index.js';

/** The texts of the non-sono-stato-io flow, in Italian (the seeds' labels), German and English: same keys, same order. */
const it = {
  'notme.title': 'Non sono stato io',
  'notme.lead':
    "Hai ricevuto un avviso di cambio dei recapiti o di ripristino del PIN che non hai chiesto tu? Confermando la segnalazione: il ripristino online del PIN viene bloccato, tutte le sessioni aperte vengono chiuse e gli operatori dell'Istituto vengono avvisati.",
  'notme.notReverted': 'La segnalazione non annulla il cambio: per riavere i tuoi recapiti e un PIN sicuro chiama il Contact Center al numero {contactCenter}.',
  'notme.submit': 'Confermo: non sono stato io',
  'notme.done':
    "Segnalazione registrata. Il ripristino online del PIN è bloccato, le sessioni aperte sono state chiuse e gli operatori dell'Istituto sono stati avvisati.",
  'notme.call':
    'Chiama ora il Contact Center al numero {contactCenter}: un operatore verificherà la tua identità e ti aiuterà a riavere i tuoi recapiti e un nuovo PIN (puoi anche rivolgerti a una sede).',
  'notme.invalid':
    'Il link non è valido, è scaduto o è già stato usato. Se pensi che qualcuno stia usando il tuo PIN, chiama il Contact Center al numero {contactCenter}.',
};

const de: Record<keyof typeof it, string> = {
  'notme.title': 'Das war ich nicht',
  'notme.lead':
    'Sie haben eine Mitteilung über die Änderung Ihrer Kontakte oder die Wiederherstellung der PIN erhalten, die Sie nicht selbst veranlasst haben? Wenn Sie die Meldung bestätigen, wird die Online-Wiederherstellung der PIN gesperrt, alle offenen Sitzungen werden beendet und die Mitarbeiter des Instituts werden benachrichtigt.',
  'notme.notReverted':
    'Die Meldung macht die Änderung nicht rückgängig: Um Ihre Kontakte und eine sichere PIN zurückzuerhalten, rufen Sie das Contact Center unter der Nummer {contactCenter} an.',
  'notme.submit': 'Ich bestätige: Das war ich nicht',
  'notme.done':
    'Die Meldung wurde erfasst. Die Online-Wiederherstellung der PIN ist gesperrt, die offenen Sitzungen wurden beendet und die Mitarbeiter des Instituts wurden benachrichtigt.',
  'notme.call':
    'Rufen Sie jetzt das Contact Center unter der Nummer {contactCenter} an: Ein Mitarbeiter überprüft Ihre Identität und hilft Ihnen, Ihre Kontakte und eine neue PIN zurückzuerhalten (Sie können sich auch an eine Geschäftsstelle wenden).',
  'notme.invalid':
    'Der Link ist ungültig, abgelaufen oder wurde bereits verwendet. Wenn Sie glauben, dass jemand Ihre PIN verwendet, rufen Sie das Contact Center unter der Nummer {contactCenter} an.',
};

const en: Record<keyof typeof it, string> = {
  'notme.title': 'It was not me',
  'notme.lead':
    "Did you receive a notice of a contact change or a PIN restore that you did not ask for? If you confirm the report, restoring the PIN online is blocked, every open session is closed and the Institute's staff are alerted.",
  'notme.notReverted': 'The report does not undo the change: to get your contacts back and a safe PIN, call the Contact Center on {contactCenter}.',
  'notme.submit': 'I confirm: it was not me',
  'notme.done': "Report recorded. Restoring the PIN online is blocked, the open sessions have been closed and the Institute's staff have been alerted.",
  'notme.call':
    'Call the Contact Center now on {contactCenter}: an operator will check your identity and help you get your contacts back and a new PIN (you can also go to an office).',
  'notme.invalid':
    'The link is not valid, has expired or has already been used. If you think someone is using your PIN, call the Contact Center on {contactCenter}.',
};

export const messages: ModuleMessages = { it, de, en };

declare module '../../i18n/index.js' {
  interface Messages extends Record<keyof typeof it, string> {}
}
