import type { ModuleMessages } from '../../i18n/index.js';

/** The texts of the revoca flow, in Italian (the seeds' labels), German and English: same keys, same order. */
const it = {
  'rev.title': 'REVOCA IL TUO PIN',
  'rev.question': 'Vuoi revocare il tuo PIN?',
  'rev.lead':
    'Per revocare il PIN è necessario fornire il codice fiscale, i dati della tessera sanitaria ed un proprio indirizzo email o di posta elettronica certificata. A tale indirizzo Email o PEC arriverà una comunicazione con le istruzioni per il completamento della procedura.',
  'rev.noCard': 'Chi non ha la tessera sanitaria può chiamare il Contact Center al numero {contactCenter}.',
  'rev.userData': 'Dati Utente',
  'rev.contacts': 'Contatti Utente',
  'rev.captchaAlt': 'Codice di controllo: immagine con 7 caratteri da ricopiare',
  'rev.captchaHint': "L'immagine contiene 7 caratteri",
  'rev.captchaType': 'Digita i caratteri del Codice di Controllo',
  'rev.captchaNew': 'Se non riesci a leggere i caratteri del codice di controllo prova a',
  'rev.captchaNewLink': 'generarne uno nuovo',
  'rev.captchaImage': 'Torna al codice in immagine',
  'rev.captchaMail': "Non riesci a vedere l'immagine? Ricevi il codice per email o PEC",
  'rev.captchaMailHint': "Il Codice di Controllo viene inviato all'Indirizzo Email o PEC indicato sopra, se è quello registrato per il codice fiscale.",
  'rev.captchaMailSent':
    "Se l'indirizzo indicato corrisponde a quello registrato per questo codice fiscale, riceverai a breve un Codice di Controllo di 7 caratteri, valido {minutes} minuti.",
  'rev.captchaMailType': 'Digita il Codice di Controllo ricevuto per email o PEC',
  'rev.captchaMailAgain': 'Invia un nuovo codice',
  'rev.confirm.title': 'Conferma la revoca del PIN',
  'rev.confirm.lead': "Controlla i dati: confermando, riceverai all'indirizzo indicato una email con le istruzioni per completare la revoca.",
  'rev.sent': "La richiesta di revoca è stata registrata. Riceverai a momenti una email all'indirizzo {to} con le istruzioni per completare la procedura.",
  'rev.complete.title': 'Completa la revoca del PIN',
  'rev.complete.lead': 'Confermando, il tuo PIN sarà annullato e non potrà più essere usato. Potrai poi richiedere un nuovo PIN.',
  'rev.complete.button': 'REVOCA IL PIN',
  'rev.complete.invalid': 'Il collegamento per completare la revoca non è valido, è già stato usato o è scaduto. Ripeti la richiesta di revoca.',
  'rev.done': 'Il PIN è stato revocato. Ora puoi richiedere un nuovo PIN.',
  'rev.done.request': 'Richiedi un nuovo PIN',
  'msg.rev.link.subject': '{istituto} – Revoca del PIN',
  'msg.rev.link.body':
    'Gentile signor/a {nome} {cognome},\n\nè stata richiesta la revoca del PIN associato al suo codice fiscale. Per completarla apra il collegamento seguente entro {hours} ore e confermi: {link}\n\nSe non ha chiesto lei la revoca, ignori questo messaggio: il PIN resta valido.\n\n{istituto} – Servizi online',
  'msg.rev.control.subject': '{istituto} – Codice di Controllo per la revoca del PIN',
  'msg.rev.control.body':
    "Gentile {nome} {cognome},\n\nil Codice di Controllo da digitare nel modulo di revoca del PIN è:\n\n    {code}\n\nPuò digitarlo con o senza trattino, in maiuscolo o minuscolo. Il codice vale {minutes} minuti.\n\nSe non l'ha chiesto lei, ignori questo messaggio: il PIN resta valido.\n\n{istituto} – Servizi online",
  'msg.rev.requested.subject': '{istituto} – Richiesta di revoca del PIN',
  'msg.rev.requested.body':
    "Gentile {nome} {cognome},\n\nè stata richiesta la revoca del suo PIN con i dati della sua tessera sanitaria. Le istruzioni per completarla sono state inviate all'indirizzo indicato nella richiesta. Se non è stato lei, chiami il Contact Center al numero {contactCenter}.\n\n{istituto} – Servizi online",
  'msg.rev.completed.subject': '{istituto} – PIN revocato',
  'msg.rev.completed.body':
    'Gentile {nome} {cognome},\n\nil suo PIN è stato revocato e non può più essere usato. Può richiedere un nuovo PIN sul portale. Se non è stato lei, chiami il Contact Center al numero {contactCenter}.\n\n{istituto} – Servizi online',
  'rev.captchaTypeHint': 'In maiuscolo o minuscolo, con o senza spazi e trattino: per esempio K7QM-3PX oppure k7qm 3px.',
};

const de: Record<keyof typeof it, string> = {
  'rev.title': 'IHRE PIN WIDERRUFEN',
  'rev.question': 'Möchten Sie Ihre PIN widerrufen?',
  'rev.lead':
    'Um die PIN zu widerrufen, müssen Sie die Steuernummer, die Daten Ihrer Gesundheitskarte (tessera sanitaria) und eine eigene E-Mail-Adresse oder PEC-Adresse (zertifizierte E-Mail) angeben. An diese E-Mail- oder PEC-Adresse wird eine Mitteilung mit den Anweisungen zum Abschluss des Verfahrens gesendet.',
  'rev.noCard': 'Wer keine Gesundheitskarte (tessera sanitaria) besitzt, kann das Contact Center unter der Nummer {contactCenter} anrufen.',
  'rev.userData': 'Benutzerdaten',
  'rev.contacts': 'Kontaktdaten des Benutzers',
  'rev.captchaAlt': 'Kontrollcode: Bild mit 7 abzuschreibenden Zeichen',
  'rev.captchaHint': 'Das Bild enthält 7 Zeichen',
  'rev.captchaType': 'Geben Sie die Zeichen des Kontrollcodes ein',
  'rev.captchaNew': 'Wenn die Zeichen des Kontrollcodes nicht lesbar sind, können Sie',
  'rev.captchaNewLink': 'einen neuen erzeugen',
  'rev.captchaImage': 'Zurück zum Code im Bild',
  'rev.captchaMail': 'Sie können das Bild nicht sehen? Code per E-Mail oder PEC erhalten',
  'rev.captchaMailHint': 'Der Kontrollcode wird an die oben angegebene E-Mail- oder PEC-Adresse gesendet, wenn sie die für die Steuernummer gespeicherte ist.',
  'rev.captchaMailSent':
    'Wenn die angegebene Adresse der für diese Steuernummer gespeicherten entspricht, erhalten Sie in Kürze einen Kontrollcode mit 7 Zeichen, gültig {minutes} Minuten.',
  'rev.captchaMailType': 'Geben Sie den per E-Mail oder PEC erhaltenen Kontrollcode ein',
  'rev.captchaMailAgain': 'Neuen Code senden',
  'rev.confirm.title': 'Widerruf der PIN bestätigen',
  'rev.confirm.lead':
    'Überprüfen Sie die Daten: Nach der Bestätigung erhalten Sie an die angegebene Adresse eine E-Mail mit den Anweisungen zum Abschluss des Widerrufs.',
  'rev.sent':
    'Der Antrag auf Widerruf wurde registriert. Sie erhalten in Kürze eine E-Mail an die Adresse {to} mit den Anweisungen zum Abschluss des Verfahrens.',
  'rev.complete.title': 'Widerruf der PIN abschließen',
  'rev.complete.lead': 'Nach der Bestätigung wird Ihre PIN annulliert und kann nicht mehr verwendet werden. Anschließend können Sie eine neue PIN beantragen.',
  'rev.complete.button': 'PIN WIDERRUFEN',
  'rev.complete.invalid':
    'Der Link zum Abschluss des Widerrufs ist ungültig, wurde bereits verwendet oder ist abgelaufen. Stellen Sie den Antrag auf Widerruf erneut.',
  'rev.done': 'Die PIN wurde widerrufen. Sie können jetzt eine neue PIN beantragen.',
  'rev.done.request': 'Neue PIN beantragen',
  'msg.rev.link.subject': '{istituto} – Widerruf der PIN',
  'msg.rev.link.body':
    'Sehr geehrte/r {nome} {cognome},\n\nder Widerruf der mit Ihrer Steuernummer verknüpften PIN wurde beantragt. Um ihn abzuschließen, öffnen Sie innerhalb von {hours} Stunden den folgenden Link und bestätigen Sie: {link}\n\nWenn Sie den Widerruf nicht selbst beantragt haben, ignorieren Sie diese Nachricht: Die PIN bleibt gültig.\n\n{istituto} – Online-Dienste',
  'msg.rev.control.subject': '{istituto} – Kontrollcode für den Widerruf der PIN',
  'msg.rev.control.body':
    'Sehr geehrte/r {nome} {cognome},\n\nder Kontrollcode für das Formular zum Widerruf der PIN lautet:\n\n    {code}\n\nSie können ihn mit oder ohne Bindestrich, in Groß- oder Kleinbuchstaben eingeben. Der Code ist {minutes} Minuten gültig.\n\nWenn Sie ihn nicht angefordert haben, ignorieren Sie diese Nachricht: Ihre PIN bleibt gültig.\n\n{istituto} – Online-Dienste',
  'msg.rev.requested.subject': '{istituto} – Antrag auf Widerruf der PIN',
  'msg.rev.requested.body':
    'Sehr geehrte/r {nome} {cognome},\n\nmit den Daten Ihrer Gesundheitskarte (tessera sanitaria) wurde der Widerruf Ihrer PIN beantragt. Die Anweisungen zum Abschluss wurden an die im Antrag angegebene Adresse gesendet. Wenn Sie den Antrag nicht selbst gestellt haben, rufen Sie das Contact Center unter {contactCenter} an.\n\n{istituto} – Online-Dienste',
  'msg.rev.completed.subject': '{istituto} – PIN widerrufen',
  'msg.rev.completed.body':
    'Sehr geehrte/r {nome} {cognome},\n\nIhre PIN wurde widerrufen und kann nicht mehr verwendet werden. Sie können auf dem Portal eine neue PIN beantragen. Wenn Sie dies nicht selbst veranlasst haben, rufen Sie das Contact Center unter {contactCenter} an.\n\n{istituto} – Online-Dienste',
  'rev.captchaTypeHint': 'In Groß- oder Kleinbuchstaben, mit oder ohne Leerzeichen und Bindestrich: zum Beispiel K7QM-3PX oder k7qm 3px.',
};

const en: Record<keyof typeof it, string> = {
  'rev.title': 'REVOKE YOUR PIN',
  'rev.question': 'Do you want to revoke your PIN?',
  'rev.lead':
    'To revoke the PIN you need to provide your tax code, your health card (tessera sanitaria) details and an email or certified email (PEC) address of your own. A message with instructions for completing the procedure will be sent to that email or PEC address.',
  'rev.noCard': 'If you do not have a health card (tessera sanitaria), you can call the Contact Center on {contactCenter}.',
  'rev.userData': 'User details',
  'rev.contacts': 'User contacts',
  'rev.captchaAlt': 'Check code: image with 7 characters to copy',
  'rev.captchaHint': 'The image contains 7 characters',
  'rev.captchaType': 'Type the characters of the check code',
  'rev.captchaNew': 'If you cannot read the characters of the check code, try to',
  'rev.captchaNewLink': 'generate a new one',
  'rev.captchaImage': 'Back to the image code',
  'rev.captchaMail': 'Cannot see the image? Get the code by email or PEC',
  'rev.captchaMailHint': 'The check code is sent to the Email or PEC address entered above, if it is the one on record for the tax code.',
  'rev.captchaMailSent':
    'If the address entered matches the one on record for this tax code, you will shortly receive a 7-character check code, valid for {minutes} minutes.',
  'rev.captchaMailType': 'Type the check code received by email or PEC',
  'rev.captchaMailAgain': 'Send a new code',
  'rev.confirm.title': 'Confirm the PIN revocation',
  'rev.confirm.lead': 'Check the details: once you confirm, you will receive an email at the address provided with instructions for completing the revocation.',
  'rev.sent': 'Your revocation request has been recorded. You will shortly receive an email at {to} with instructions for completing the procedure.',
  'rev.complete.title': 'Complete the PIN revocation',
  'rev.complete.lead': 'Once you confirm, your PIN will be cancelled and can no longer be used. You can then request a new PIN.',
  'rev.complete.button': 'REVOKE THE PIN',
  'rev.complete.invalid': 'The link for completing the revocation is not valid, has already been used or has expired. Submit the revocation request again.',
  'rev.done': 'The PIN has been revoked. You can now request a new PIN.',
  'rev.done.request': 'Request a new PIN',
  'msg.rev.link.subject': '{istituto} – PIN revocation',
  'msg.rev.link.body':
    'Dear {nome} {cognome},\n\nA request has been made to revoke the PIN linked to your tax code. To complete it, open the following link within {hours} hours and confirm: {link}\n\nIf you did not request the revocation, please ignore this message: your PIN remains valid.\n\n{istituto} – Online services',
  'msg.rev.control.subject': '{istituto} – Check code for the PIN revocation',
  'msg.rev.control.body':
    'Dear {nome} {cognome},\n\nThe check code to type in the PIN revocation form is:\n\n    {code}\n\nYou may type it with or without the dash, in upper or lower case. The code is valid for {minutes} minutes.\n\nIf you did not request it, please ignore this message: your PIN remains valid.\n\n{istituto} – Online services',
  'msg.rev.requested.subject': '{istituto} – PIN revocation request',
  'msg.rev.requested.body':
    'Dear {nome} {cognome},\n\nA request to revoke your PIN has been made using your health card (tessera sanitaria) details. Instructions for completing it have been sent to the address given in the request. If this was not you, call the Contact Center on {contactCenter}.\n\n{istituto} – Online services',
  'msg.rev.completed.subject': '{istituto} – PIN revoked',
  'msg.rev.completed.body':
    'Dear {nome} {cognome},\n\nYour PIN has been revoked and can no longer be used. You can request a new PIN on the portal. If this was not you, call the Contact Center on {contactCenter}.\n\n{istituto} – Online services',
  'rev.captchaTypeHint': 'In upper or lower case, with or without spaces and the dash: for example K7QM-3PX or k7qm 3px.',
};

export const messages: ModuleMessages = { it, de, en };

declare module '../../i18n/index.js' {
  interface Messages extends Record<keyof typeof it, string> {}
}
