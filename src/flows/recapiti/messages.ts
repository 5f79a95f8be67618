import type { ModuleMessages } from '../../i18n/index.js';

/** The texts of the recapiti flow, in Italian (the seeds' labels), German and English: same keys, same order. */
const it = {
  'msg.contactsReplaced.subject': '{istituto} – Recapiti sostituiti',
  'msg.contactsReplaced.body':
    'Gentile {nome} {cognome},\n\nil {date} il nuovo PIN richiesto per il suo codice fiscale è stato usato per il primo accesso e i recapiti indicati nella richiesta hanno sostituito quelli del suo profilo, tra cui questo indirizzo.\n\nSe non è stato lei, chiami subito il Contact Center al numero {contactCenter}.\n\n{istituto} – Servizi online',
  'contacts.title': 'I tuoi recapiti',
  'contacts.lead':
    "Puoi cambiare il cellulare, l'indirizzo email e la PEC. Il nuovo recapito è registrato solo dopo che avrai inserito il codice di verifica che gli inviamo; il recapito precedente riceve un avviso del cambio.",
  'contacts.kind': 'Recapito da cambiare',
  'contacts.newValue': 'Nuovo recapito',
  'contacts.send': 'Invia il codice di verifica',
  'contacts.manage': 'Cambia i recapiti',
  'contacts.verify.title': 'Verifica il nuovo recapito',
  'contacts.verify.lead': 'Abbiamo inviato un codice di verifica a {to}. Inseriscilo per registrare il nuovo recapito. Il codice vale {minutes} minuti.',
  'contacts.done': 'Il recapito è stato aggiornato.',
  'msg.contact.code.sms': '{istituto}: il codice per verificare questo numero è {code}. Non comunicarlo a nessuno.',
  'msg.contact.code.subject': '{istituto} – Verifica del nuovo recapito',
  'msg.contact.code.body':
    'Gentile {nome} {cognome},\n\nper registrare questo indirizzo tra i suoi recapiti inserisca il codice di verifica: {code}\n\nSe non ha chiesto lei il cambio, ignori questo messaggio.\n\n{istituto} – Servizi online',
  'msg.contact.changed.sms':
    '{istituto}: il recapito {kind} del tuo account è stato cambiato. Se non sei stato tu, chiama il Contact Center al numero {contactCenter}.',
  'msg.contact.changed.subject': '{istituto} – Recapito cambiato',
  'msg.contact.changed.body':
    'Gentile {nome} {cognome},\n\nil recapito {kind} del suo account è stato cambiato. Se non è stato lei, chiami subito il Contact Center al numero {contactCenter}.\n\n{istituto} – Servizi online',
  'contacts.pinHint': 'Per la tua sicurezza, un recapito si cambia solo inserendo il PIN con cui sei entrato.',
  'contacts.reauth.title': "Ripeti l'accesso",
  'contacts.reauth.body':
    "Per la tua sicurezza, i recapiti si cambiano solo entro {minutes} minuti da un accesso con {method}. Ripeti l'accesso con {method}: tornerai a questa pagina.",
  'contacts.reauth.button': 'Accedi di nuovo con {method}',
  'msg.contact.replaced.sms':
    '{istituto}: il recapito {kind} del tuo PIN è stato sostituito. Se non sei stato tu apri {link} e chiama il Contact Center {contactCenter}.',
  'msg.contact.replaced.subject': '{istituto} – Recapito sostituito',
  'msg.contact.replaced.body':
    'Gentile {nome} {cognome},\n\nil recapito {kind} del suo PIN è stato sostituito con uno nuovo; questo indirizzo non riceverà più i messaggi del PIN.\n\nSe non è stato lei, apra questo link: {link}\nIl link blocca il ripristino online del PIN e chiude le sessioni aperte; vale una sola volta e non annulla il cambio. Chiami poi il Contact Center al numero {contactCenter}.\n\n{istituto} – Servizi online',
  'msg.contact.byOperator.sms':
    '{istituto}: il recapito {kind} del tuo account è stato cambiato presso una sede. Se non sei stato tu, chiama il Contact Center al numero {contactCenter}.',
  'msg.contact.byOperator.subject': '{istituto} – Recapito cambiato presso una sede',
  'msg.contact.byOperator.body':
    "Gentile {nome} {cognome},\n\npresso una sede, dopo l'identificazione con un documento, il recapito {kind} del suo account è stato sostituito. Se non è stato lei, chiami subito il Contact Center al numero {contactCenter}.\n\n{istituto} – Servizi online",
};

const de: Record<keyof typeof it, string> = {
  'msg.contactsReplaced.subject': '{istituto} – Kontaktdaten ersetzt',
  'msg.contactsReplaced.body':
    'Sehr geehrte/r {nome} {cognome},\n\nam {date} wurde die für Ihre Steuernummer beantragte neue PIN für die erste Anmeldung verwendet, und die im Antrag angegebenen Kontaktdaten haben die Ihres Profils ersetzt, darunter diese Adresse.\n\nWenn Sie das nicht waren, rufen Sie sofort das Contact Center unter {contactCenter} an.\n\n{istituto} – Online-Dienste',
  'contacts.title': 'Ihre Kontaktangaben',
  'contacts.lead':
    'Sie können die Mobiltelefonnummer, die E-Mail-Adresse und die PEC-Adresse ändern. Die neue Kontaktangabe wird erst gespeichert, nachdem Sie den Bestätigungscode eingegeben haben, den wir an sie senden; an die bisherige Kontaktangabe wird eine Mitteilung über die Änderung gesendet.',
  'contacts.kind': 'Zu ändernde Kontaktangabe',
  'contacts.newValue': 'Neue Kontaktangabe',
  'contacts.send': 'Bestätigungscode senden',
  'contacts.manage': 'Kontaktangaben ändern',
  'contacts.verify.title': 'Neue Kontaktangabe bestätigen',
  'contacts.verify.lead':
    'Wir haben einen Bestätigungscode an {to} gesendet. Geben Sie ihn ein, um die neue Kontaktangabe zu speichern. Der Code ist {minutes} Minuten gültig.',
  'contacts.done': 'Die Kontaktangabe wurde aktualisiert.',
  'msg.contact.code.sms': '{istituto}: Der Code zur Bestätigung dieser Nummer lautet {code}. Geben Sie ihn an niemanden weiter.',
  'msg.contact.code.subject': '{istituto} – Bestätigung der neuen Kontaktangabe',
  'msg.contact.code.body':
    'Sehr geehrte/r {nome} {cognome},\n\num diese Adresse in Ihre Kontaktangaben aufzunehmen, geben Sie den Bestätigungscode ein: {code}\n\nWenn Sie die Änderung nicht selbst beantragt haben, ignorieren Sie diese Nachricht.\n\n{istituto} – Online-Dienste',
  'msg.contact.changed.sms':
    '{istituto}: Die Kontaktangabe {kind} Ihres Benutzerkontos wurde geändert. Wenn Sie dies nicht selbst veranlasst haben, rufen Sie das Contact Center unter {contactCenter} an.',
  'msg.contact.changed.subject': '{istituto} – Kontaktangabe geändert',
  'msg.contact.changed.body':
    'Sehr geehrte/r {nome} {cognome},\n\ndie Kontaktangabe {kind} Ihres Benutzerkontos wurde geändert. Wenn Sie dies nicht selbst veranlasst haben, rufen Sie umgehend das Contact Center unter {contactCenter} an.\n\n{istituto} – Online-Dienste',
  'contacts.pinHint': 'Zu Ihrer Sicherheit wird ein Kontakt nur nach Eingabe der PIN geändert, mit der Sie sich angemeldet haben.',
  'contacts.reauth.title': 'Melden Sie sich erneut an',
  'contacts.reauth.body':
    'Zu Ihrer Sicherheit können Kontakte nur innerhalb von {minutes} Minuten nach einer Anmeldung mit {method} geändert werden. Melden Sie sich erneut mit {method} an: Sie kehren danach auf diese Seite zurück.',
  'contacts.reauth.button': 'Erneut mit {method} anmelden',
  'msg.contact.replaced.sms':
    '{istituto}: Der Kontakt {kind} Ihrer PIN wurde ersetzt. Wenn Sie das nicht waren, öffnen Sie {link} und rufen Sie das Contact Center {contactCenter} an.',
  'msg.contact.replaced.subject': '{istituto} – Kontakt ersetzt',
  'msg.contact.replaced.body':
    'Sehr geehrte/r {nome} {cognome},\n\nder Kontakt {kind} Ihrer PIN wurde durch einen neuen ersetzt; diese Adresse erhält keine Nachrichten zur PIN mehr.\n\nWenn Sie das nicht waren, öffnen Sie diesen Link: {link}\nDer Link sperrt die Online-Wiederherstellung der PIN und beendet die offenen Sitzungen; er gilt nur einmal und macht die Änderung nicht rückgängig. Rufen Sie danach das Contact Center unter der Nummer {contactCenter} an.\n\n{istituto} – Online-Dienste',
  'msg.contact.byOperator.sms':
    '{istituto}: Die Kontaktangabe {kind} Ihres Kontos wurde an einer Dienststelle geändert. Wenn Sie das nicht waren, rufen Sie das Contact Center unter {contactCenter} an.',
  'msg.contact.byOperator.subject': '{istituto} – Kontaktangabe an einer Dienststelle geändert',
  'msg.contact.byOperator.body':
    'Sehr geehrte/r {nome} {cognome},\n\nan einer Dienststelle wurde nach der Identifizierung mit einem Ausweis die Kontaktangabe {kind} Ihres Kontos ersetzt. Wenn Sie das nicht waren, rufen Sie sofort das Contact Center unter {contactCenter} an.\n\n{istituto} – Online-Dienste',
};

const en: Record<keyof typeof it, string> = {
  'msg.contactsReplaced.subject': '{istituto} – Contacts replaced',
  'msg.contactsReplaced.body':
    'Dear {nome} {cognome},\n\non {date} the new PIN requested for your tax code was used for the first access, and the contacts given in the request replaced those of your profile, including this address.\n\nIf this was not you, call the Contact Center on {contactCenter} at once.\n\n{istituto} – Online services',
  'contacts.title': 'Your contacts',
  'contacts.lead':
    'You can change your mobile phone number, email address and PEC address. The new contact is registered only after you enter the verification code we send to it; the previous contact receives a notice of the change.',
  'contacts.kind': 'Contact to change',
  'contacts.newValue': 'New contact',
  'contacts.send': 'Send the verification code',
  'contacts.manage': 'Change your contacts',
  'contacts.verify.title': 'Verify the new contact',
  'contacts.verify.lead': 'We have sent a verification code to {to}. Enter it to register the new contact. The code is valid for {minutes} minutes.',
  'contacts.done': 'Your contact has been updated.',
  'msg.contact.code.sms': '{istituto}: the code to verify this number is {code}. Do not share it with anyone.',
  'msg.contact.code.subject': '{istituto} – Verification of your new contact',
  'msg.contact.code.body':
    'Dear {nome} {cognome},\n\nTo register this address as one of your contacts, enter the verification code: {code}\n\nIf you did not request the change, please ignore this message.\n\n{istituto} – Online services',
  'msg.contact.changed.sms':
    '{istituto}: the {kind} contact on your account has been changed. If this was not you, call the Contact Center on {contactCenter}.',
  'msg.contact.changed.subject': '{istituto} – Contact changed',
  'msg.contact.changed.body':
    'Dear {nome} {cognome},\n\nThe {kind} contact on your account has been changed. If this was not you, call the Contact Center on {contactCenter} immediately.\n\n{istituto} – Online services',
  'contacts.pinHint': 'For your security, a contact is changed only after you enter the PIN you logged in with.',
  'contacts.reauth.title': 'Log in again',
  'contacts.reauth.body':
    'For your security, contacts can be changed only within {minutes} minutes of a login with {method}. Log in again with {method}: you will come back to this page.',
  'contacts.reauth.button': 'Log in again with {method}',
  'msg.contact.replaced.sms':
    '{istituto}: the {kind} contact of your PIN was replaced. If it was not you, open {link} and call the Contact Center {contactCenter}.',
  'msg.contact.replaced.subject': '{istituto} – Contact replaced',
  'msg.contact.replaced.body':
    'Dear {nome} {cognome},\n\nThe {kind} contact of your PIN has been replaced with a new one; this address will no longer receive PIN messages.\n\nIf it was not you, open this link: {link}\nThe link blocks restoring the PIN online and closes the open sessions; it works once and does not undo the change. Then call the Contact Center on {contactCenter}.\n\n{istituto} – Online services',
  'msg.contact.byOperator.sms':
    '{istituto}: the {kind} contact of your account was changed at an office. If it was not you, call the Contact Center on {contactCenter}.',
  'msg.contact.byOperator.subject': '{istituto} – Contact changed at an office',
  'msg.contact.byOperator.body':
    'Dear {nome} {cognome},\n\nat an office, after identification with a document, the {kind} contact of your account was replaced. If it was not you, call the Contact Center on {contactCenter} at once.\n\n{istituto} – Online services',
};

export const messages: ModuleMessages = { it, de, en };

declare module '../../i18n/index.js' {
  interface Messages extends Record<keyof typeof it, string> {}
}
