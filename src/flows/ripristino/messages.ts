import type { ModuleMessages } from '../../i18n/index.js';

/** The texts of the ripristino flow, in Italian (the seeds' labels), German and English: same keys, same order. */
const it = {
  'lost.title': 'Hai smarrito il PIN?',
  'lost.ripristino':
    'Se hai smarrito il tuo PIN, usa la funzione "Ripristina PIN": per identificarti, inserisci codice fiscale e due recapiti forniti nella richiesta del PIN o aggiornati successivamente.',
  'lost.ripristinoHalves': "I primi 8 caratteri del PIN iniziale ti sono inviati a un recapito e i secondi all'altro.",
  'lost.ripristinoButton': 'RIPRISTINA PIN',
  'lost.revoca':
    'Se non hai fornito i recapiti per il ripristino, prendi la tua tessera sanitaria e usa la funzione "Revoca PIN". Potrai quindi chiedere un nuovo PIN.',
  'lost.revocaButton': 'REVOCA PIN',
  'rip.title': 'RIPRISTINA IL TUO PIN',
  'rip.question': 'Hai smarrito il PIN?',
  'rip.lead':
    "Per attivare la procedura è necessario indicare il codice fiscale e almeno due contatti, tra quelli forniti al momento della registrazione o in seguito integrati sul portale (cellulare, email o PEC). Se i dati inseriti corrispondono a quelli in possesso dell'{istituto}, ricevi una email con le istruzioni per confermare e completare la procedura di ripristino.",
  'rip.halves': "Al termine della procedura di ripristino, il nuovo PIN, da 16 caratteri, verrà inviato metà su un contatto e metà sull'altro.",
  'rip.userData': 'Dati Utente',
  'rip.contacts': 'Contatti Utente',
  'rip.attention':
    'ATTENZIONE: la funzionalità di ripristino del PIN sui contatti utente (PEC, email e/o cellulare) è attiva solo per chi ha portato a termine con successo il primo accesso, modificando il PIN iniziale. Nel caso di smarrimento del PIN iniziale è necessario effettuare la revoca del PIN e richiederne un altro, o recarsi presso una sede {istituto}.',
  'rip.accepted':
    'La richiesta di ripristino del PIN è stata accettata. Le arriverà a momenti una email, al suo indirizzo di posta elettronica, con le istruzioni per il completamento della procedura.',
  'rip.confirm.title': 'Conferma il ripristino del PIN',
  'rip.confirm.lead': 'Inserisci il codice fiscale e il codice di ripristino ricevuto via email.',
  'rip.code': 'Codice di ripristino',
  'rip.done': 'La procedura di ripristino del PIN si è conclusa correttamente. A momenti riceverà:',
  'rip.done.first': 'I primi 8 caratteri del suo nuovo PIN via {channel};',
  'rip.done.second': 'I secondi 8 caratteri del suo nuovo codice PIN via {channel}.',
  'rip.done.next': 'Al primo accesso con il nuovo PIN di 16 caratteri le sarà chiesto di sostituirlo con un PIN di 8 caratteri.',
  'rip.channel.sms': 'SMS sul suo cellulare',
  'rip.channel.email': 'EMAIL al suo indirizzo di Posta Elettronica',
  'rip.channel.pec': 'PEC al suo indirizzo di Posta Elettronica Certificata',
  'rip.invalidCode': 'Codice fiscale o codice di ripristino non validi, già usati o scaduti. Controlla i dati o ripeti la richiesta di ripristino.',
  'msg.rip.code.subject': '{istituto} – Ripristino del PIN',
  'msg.rip.code.body':
    "Gentile signor/a {nome} {cognome}, per ripristinare il PIN può richiamare il link seguente, oppure copiarlo nella barra degli indirizzi del browser, per inserire le informazioni richieste a conferma dell'operazione: {link}, il codice di ripristino da utilizzare è: {code}\n\nIl codice vale {minutes} minuti e può essere usato una sola volta. Se non ha chiesto lei il ripristino, ignori questo messaggio.\n\n{istituto} – Servizi online",
  'msg.rip.initial.subject': '{istituto} – Ripristino del PIN non possibile',
  'msg.rip.initial.body':
    'Gentile signor/a {nome} {cognome}, ha chiesto il ripristino del PIN, ma il primo accesso con il PIN iniziale non è stato completato: il ripristino sui recapiti è possibile solo dopo il primo accesso. Per ottenere un nuovo PIN revochi il PIN attuale con la tessera sanitaria (funzione "Revoca PIN") e ne richieda un altro, oppure si rechi presso una sede {istituto}.\n\n{istituto} – Servizi online',
  'msg.restored.first.sms': "{istituto}: i primi 8 caratteri del tuo nuovo PIN sono {code}. I secondi 8 arriveranno all'altro recapito indicato.",
  'msg.restored.first.subject': '{istituto} – Prima parte del nuovo PIN',
  'msg.restored.first.body':
    "Gentile {nome} {cognome},\n\nla procedura di ripristino del PIN si è conclusa. I primi 8 caratteri del nuovo PIN sono: {code}\n\nI secondi 8 caratteri le arriveranno all'altro recapito indicato. Al primo accesso dovrà sostituire il PIN di 16 caratteri con uno di 8.\n\n{istituto} – Servizi online",
  'msg.restored.second.subject': '{istituto} – Seconda parte del nuovo PIN',
  'msg.restored.second.body':
    "Gentile {nome} {cognome},\n\nla procedura di ripristino del PIN si è conclusa. I secondi 8 caratteri del nuovo PIN sono: {code}\n\nI primi 8 caratteri le arriveranno all'altro recapito indicato. Al primo accesso inserisca i 16 caratteri: prima quelli dell'altro messaggio, poi questi.\n\n{istituto} – Servizi online",
  'msg.rip.coolingOff.subject': '{istituto} – Ripristino del PIN non possibile online',
  'msg.rip.coolingOff.body':
    'Gentile {nome} {cognome},\n\nla richiesta di ripristino del PIN non può essere completata online: uno dei recapiti indicati è stato cambiato da meno di {days} giorni. Per la sua sicurezza il PIN non viene inviato a un recapito appena cambiato.\n\nPotrà ripetere la richiesta dal {date}, oppure chiamare il Contact Center al numero {contactCenter} o rivolgersi a una sede.\n\n{istituto} – Servizi online',
  'msg.rip.blocked.subject': '{istituto} – Ripristino del PIN non possibile online',
  'msg.rip.blocked.body':
    "Gentile {nome} {cognome},\n\nla richiesta di ripristino del PIN non può essere completata online: sul suo PIN è stata segnalata un'attività non riconosciuta («Non sono stato io»). Chiami il Contact Center al numero {contactCenter} o si rivolga a una sede.\n\n{istituto} – Servizi online",
  'msg.rip.previous.sms':
    '{istituto}: il tuo PIN è stato ripristinato e inviato ai recapiti registrati ora. Se non sei stato tu apri {link} e chiama il Contact Center {contactCenter}.',
  'msg.rip.previous.subject': '{istituto} – PIN ripristinato',
  'msg.rip.previous.body':
    'Gentile {nome} {cognome},\n\nil suo PIN è stato ripristinato e inviato ai recapiti registrati ora. Riceve questo avviso perché questo recapito era registrato prima di un cambio recente.\n\nSe non è stato lei, apra questo link: {link}\nIl link blocca il ripristino online del PIN e chiude le sessioni aperte; vale una sola volta. Chiami poi il Contact Center al numero {contactCenter}.\n\n{istituto} – Servizi online',
};

const de: Record<keyof typeof it, string> = {
  'lost.title': 'Haben Sie Ihre PIN verloren?',
  'lost.ripristino':
    'Wenn Sie Ihre PIN verloren haben, verwenden Sie die Funktion "PIN wiederherstellen": Zu Ihrer Identifizierung geben Sie die Steuernummer und zwei Kontaktdaten ein, die Sie im PIN-Antrag angegeben oder später aktualisiert haben.',
  'lost.ripristinoHalves': 'Die ersten 8 Zeichen der Erst-PIN werden Ihnen an den einen Kontakt gesendet, die zweiten 8 Zeichen an den anderen.',
  'lost.ripristinoButton': 'PIN WIEDERHERSTELLEN',
  'lost.revoca':
    'Wenn Sie keine Kontaktdaten für die Wiederherstellung angegeben haben, halten Sie Ihre Gesundheitskarte (tessera sanitaria) bereit und verwenden Sie die Funktion "PIN widerrufen". Anschließend können Sie eine neue PIN beantragen.',
  'lost.revocaButton': 'PIN WIDERRUFEN',
  'rip.title': 'IHRE PIN WIEDERHERSTELLEN',
  'rip.question': 'Haben Sie Ihre PIN verloren?',
  'rip.lead':
    'Um das Verfahren einzuleiten, müssen Sie die Steuernummer und mindestens zwei Kontaktdaten angeben, die Sie bei der Registrierung angegeben oder später auf dem Portal ergänzt haben (Mobiltelefon, E-Mail oder PEC). Wenn die eingegebenen Daten mit jenen übereinstimmen, die dem {istituto} vorliegen, erhalten Sie eine E-Mail mit den Anweisungen, um das Verfahren zur Wiederherstellung zu bestätigen und abzuschließen.',
  'rip.halves':
    'Nach Abschluss des Verfahrens zur Wiederherstellung wird die neue 16-stellige PIN zur Hälfte an den einen Kontakt und zur Hälfte an den anderen gesendet.',
  'rip.userData': 'Benutzerdaten',
  'rip.contacts': 'Kontaktdaten des Benutzers',
  'rip.attention':
    'ACHTUNG: Die Wiederherstellung der PIN über die Kontaktdaten (PEC, E-Mail und/oder Mobiltelefon) ist nur für Personen möglich, die den ersten Zugang erfolgreich abgeschlossen und dabei die Erst-PIN geändert haben. Wenn Sie die Erst-PIN verloren haben, müssen Sie die PIN widerrufen und eine neue beantragen oder sich an eine Dienststelle des {istituto} wenden.',
  'rip.accepted':
    'Der Antrag auf Wiederherstellung der PIN wurde angenommen. Sie erhalten in Kürze eine E-Mail an Ihre E-Mail-Adresse mit den Anweisungen zum Abschluss des Verfahrens.',
  'rip.confirm.title': 'Wiederherstellung der PIN bestätigen',
  'rip.confirm.lead': 'Geben Sie die Steuernummer und den per E-Mail erhaltenen Wiederherstellungscode ein.',
  'rip.code': 'Wiederherstellungscode',
  'rip.done': 'Das Verfahren zur Wiederherstellung der PIN wurde erfolgreich abgeschlossen. In Kürze erhalten Sie:',
  'rip.done.first': 'Die ersten 8 Zeichen Ihrer neuen PIN per {channel};',
  'rip.done.second': 'Die zweiten 8 Zeichen Ihrer neuen PIN per {channel}.',
  'rip.done.next': 'Beim ersten Zugang mit der neuen 16-stelligen PIN werden Sie aufgefordert, sie durch eine 8-stellige PIN zu ersetzen.',
  'rip.channel.sms': 'SMS auf Ihr Mobiltelefon',
  'rip.channel.email': 'E-MAIL an Ihre E-Mail-Adresse',
  'rip.channel.pec': 'PEC an Ihre PEC-Adresse (zertifizierte E-Mail)',
  'rip.invalidCode':
    'Steuernummer oder Wiederherstellungscode ungültig, bereits verwendet oder abgelaufen. Überprüfen Sie die Daten oder stellen Sie den Antrag auf Wiederherstellung erneut.',
  'msg.rip.code.subject': '{istituto} – Wiederherstellung der PIN',
  'msg.rip.code.body':
    'Sehr geehrte/r {nome} {cognome}, um die PIN wiederherzustellen, können Sie den folgenden Link aufrufen oder ihn in die Adresszeile des Browsers kopieren und die zur Bestätigung des Vorgangs erforderlichen Angaben eingeben: {link}, der zu verwendende Wiederherstellungscode lautet: {code}\n\nDer Code ist {minutes} Minuten gültig und kann nur einmal verwendet werden. Wenn Sie die Wiederherstellung nicht selbst beantragt haben, ignorieren Sie diese Nachricht.\n\n{istituto} – Online-Dienste',
  'msg.rip.initial.subject': '{istituto} – Wiederherstellung der PIN nicht möglich',
  'msg.rip.initial.body':
    'Sehr geehrte/r {nome} {cognome}, Sie haben die Wiederherstellung der PIN beantragt, der erste Zugang mit der Erst-PIN wurde jedoch nicht abgeschlossen: Die Wiederherstellung über die Kontaktdaten ist erst nach dem ersten Zugang möglich. Um eine neue PIN zu erhalten, widerrufen Sie die aktuelle PIN mit Ihrer Gesundheitskarte (tessera sanitaria) über die Funktion "PIN widerrufen" und beantragen Sie eine neue, oder wenden Sie sich an eine Dienststelle des {istituto}.\n\n{istituto} – Online-Dienste',
  'msg.restored.first.sms':
    '{istituto}: Die ersten 8 Zeichen Ihrer neuen PIN lauten {code}. Die zweiten 8 Zeichen erhalten Sie über den anderen angegebenen Kontakt.',
  'msg.restored.first.subject': '{istituto} – Erster Teil der neuen PIN',
  'msg.restored.first.body':
    'Sehr geehrte/r {nome} {cognome},\n\ndas Verfahren zur Wiederherstellung der PIN wurde abgeschlossen. Die ersten 8 Zeichen der neuen PIN lauten: {code}\n\nDie zweiten 8 Zeichen erhalten Sie über den anderen angegebenen Kontakt. Beim ersten Zugang müssen Sie die 16-stellige PIN durch eine 8-stellige PIN ersetzen.\n\n{istituto} – Online-Dienste',
  'msg.restored.second.subject': '{istituto} – Zweiter Teil der neuen PIN',
  'msg.restored.second.body':
    'Sehr geehrte/r {nome} {cognome},\n\ndas Verfahren zur Wiederherstellung der PIN wurde abgeschlossen. Die zweiten 8 Zeichen der neuen PIN lauten: {code}\n\nDie ersten 8 Zeichen erhalten Sie über den anderen angegebenen Kontakt. Geben Sie beim ersten Zugang alle 16 Zeichen ein: zuerst jene aus der anderen Nachricht, dann diese.\n\n{istituto} – Online-Dienste',
  'msg.rip.coolingOff.subject': '{istituto} – Wiederherstellung der PIN online nicht möglich',
  'msg.rip.coolingOff.body':
    'Sehr geehrte/r {nome} {cognome},\n\nder Antrag auf Wiederherstellung der PIN kann online nicht abgeschlossen werden: Einer der angegebenen Kontakte wurde vor weniger als {days} Tagen geändert. Zu Ihrer Sicherheit wird die PIN nicht an einen gerade geänderten Kontakt gesendet.\n\nSie können den Antrag ab dem {date} wiederholen oder das Contact Center unter der Nummer {contactCenter} anrufen oder sich an eine Geschäftsstelle wenden.\n\n{istituto} – Online-Dienste',
  'msg.rip.blocked.subject': '{istituto} – Wiederherstellung der PIN online nicht möglich',
  'msg.rip.blocked.body':
    'Sehr geehrte/r {nome} {cognome},\n\nder Antrag auf Wiederherstellung der PIN kann online nicht abgeschlossen werden: Für Ihre PIN wurde eine nicht erkannte Aktivität gemeldet („Das war ich nicht“). Rufen Sie das Contact Center unter der Nummer {contactCenter} an oder wenden Sie sich an eine Geschäftsstelle.\n\n{istituto} – Online-Dienste',
  'msg.rip.previous.sms':
    '{istituto}: Ihre PIN wurde wiederhergestellt und an die jetzt gespeicherten Kontakte gesendet. Wenn Sie das nicht waren, öffnen Sie {link} und rufen Sie das Contact Center {contactCenter} an.',
  'msg.rip.previous.subject': '{istituto} – PIN wiederhergestellt',
  'msg.rip.previous.body':
    'Sehr geehrte/r {nome} {cognome},\n\nIhre PIN wurde wiederhergestellt und an die jetzt gespeicherten Kontakte gesendet. Sie erhalten diese Mitteilung, weil dieser Kontakt vor einer kürzlichen Änderung gespeichert war.\n\nWenn Sie das nicht waren, öffnen Sie diesen Link: {link}\nDer Link sperrt die Online-Wiederherstellung der PIN und beendet die offenen Sitzungen; er gilt nur einmal. Rufen Sie danach das Contact Center unter der Nummer {contactCenter} an.\n\n{istituto} – Online-Dienste',
};

const en: Record<keyof typeof it, string> = {
  'lost.title': 'Have you lost your PIN?',
  'lost.ripristino':
    'If you have lost your PIN, use the "Restore PIN" function: to identify yourself, enter your tax code and two of the contact details you provided in your PIN request or updated later.',
  'lost.ripristinoHalves': 'The first 8 characters of the initial PIN are sent to one contact and the second 8 to the other.',
  'lost.ripristinoButton': 'RESTORE PIN',
  'lost.revoca':
    'If you did not provide contact details for restoring the PIN, have your health card (tessera sanitaria) ready and use the "Revoke PIN" function. You can then request a new PIN.',
  'lost.revocaButton': 'REVOKE PIN',
  'rip.title': 'RESTORE YOUR PIN',
  'rip.question': 'Have you lost your PIN?',
  'rip.lead':
    'To start the procedure you need to enter your tax code and at least two contacts among those you provided when you registered or added later on the portal (mobile phone, email or PEC). If the data you enter match those held by {istituto}, you will receive an email with instructions for confirming and completing the restore procedure.',
  'rip.halves': 'At the end of the restore procedure, the new 16-character PIN will be sent half to one contact and half to the other.',
  'rip.userData': 'User details',
  'rip.contacts': 'User contacts',
  'rip.attention':
    'PLEASE NOTE: restoring the PIN through your contacts (PEC, email and/or mobile phone) is only available to those who have successfully completed their first login by changing the initial PIN. If you have lost the initial PIN, you need to revoke the PIN and request a new one, or go to an {istituto} office.',
  'rip.accepted':
    'Your request to restore the PIN has been accepted. You will shortly receive an email at your email address with instructions for completing the procedure.',
  'rip.confirm.title': 'Confirm the PIN restore',
  'rip.confirm.lead': 'Enter your tax code and the restore code you received by email.',
  'rip.code': 'Restore code',
  'rip.done': 'The PIN restore procedure has been completed successfully. You will shortly receive:',
  'rip.done.first': 'The first 8 characters of your new PIN by {channel};',
  'rip.done.second': 'The second 8 characters of your new PIN by {channel}.',
  'rip.done.next': 'The first time you log in with the new 16-character PIN, you will be asked to replace it with an 8-character PIN.',
  'rip.channel.sms': 'SMS to your mobile phone',
  'rip.channel.email': 'EMAIL to your email address',
  'rip.channel.pec': 'PEC to your certified email (PEC) address',
  'rip.invalidCode': 'The tax code or restore code is not valid, has already been used or has expired. Check the data or request the restore again.',
  'msg.rip.code.subject': '{istituto} – PIN restore',
  'msg.rip.code.body':
    "Dear {nome} {cognome}, to restore your PIN you can open the following link, or copy it into your browser's address bar, and enter the information requested to confirm the operation: {link}, the restore code to use is: {code}\n\nThe code is valid for {minutes} minutes and can be used only once. If you did not request the restore, please ignore this message.\n\n{istituto} – Online services",
  'msg.rip.initial.subject': '{istituto} – PIN restore not possible',
  'msg.rip.initial.body':
    'Dear {nome} {cognome}, you requested to restore your PIN, but the first login with the initial PIN has not been completed: restoring through your contacts is only possible after the first login. To obtain a new PIN, revoke your current PIN with your health card (tessera sanitaria) using the "Revoke PIN" function and request a new one, or go to an {istituto} office.\n\n{istituto} – Online services',
  'msg.restored.first.sms': '{istituto}: the first 8 characters of your new PIN are {code}. The second 8 will arrive at the other contact you provided.',
  'msg.restored.first.subject': '{istituto} – First part of the new PIN',
  'msg.restored.first.body':
    'Dear {nome} {cognome},\n\nThe PIN restore procedure has been completed. The first 8 characters of the new PIN are: {code}\n\nThe second 8 characters will arrive at the other contact you provided. The first time you log in you will have to replace the 16-character PIN with an 8-character PIN.\n\n{istituto} – Online services',
  'msg.restored.second.subject': '{istituto} – Second part of the new PIN',
  'msg.restored.second.body':
    'Dear {nome} {cognome},\n\nThe PIN restore procedure has been completed. The second 8 characters of the new PIN are: {code}\n\nThe first 8 characters will arrive at the other contact you provided. The first time you log in, enter all 16 characters: first those from the other message, then these.\n\n{istituto} – Online services',
  'msg.rip.coolingOff.subject': '{istituto} – PIN restore not possible online',
  'msg.rip.coolingOff.body':
    'Dear {nome} {cognome},\n\nThe request to restore your PIN cannot be completed online: one of the contacts you gave was changed less than {days} days ago. For your security, the PIN is not sent to a contact that has just been changed.\n\nYou can repeat the request from {date}, or call the Contact Center on {contactCenter} or go to an office.\n\n{istituto} – Online services',
  'msg.rip.blocked.subject': '{istituto} – PIN restore not possible online',
  'msg.rip.blocked.body':
    'Dear {nome} {cognome},\n\nThe request to restore your PIN cannot be completed online: activity that was not recognised has been reported on your PIN ("It was not me"). Call the Contact Center on {contactCenter} or go to an office.\n\n{istituto} – Online services',
  'msg.rip.previous.sms':
    '{istituto}: your PIN was restored and sent to the contacts now on record. If it was not you, open {link} and call the Contact Center {contactCenter}.',
  'msg.rip.previous.subject': '{istituto} – PIN restored',
  'msg.rip.previous.body':
    'Dear {nome} {cognome},\n\nYour PIN has been restored and sent to the contacts now on record. You receive this notice because this contact was on record before a recent change.\n\nIf it was not you, open this link: {link}\nThe link blocks restoring the PIN online and closes the open sessions; it works once. Then call the Contact Center on {contactCenter}.\n\n{istituto} – Online services',
};

export const messages: ModuleMessages = { it, de, en };

declare module '../../i18n/index.js' {
  interface Messages extends Record<keyof typeof it, string> {}
}
