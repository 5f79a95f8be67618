import type { ModuleMessages } from '../../i18n/index.js';

/** The texts of the richiesta flow, in Italian (the seeds' labels), German and English: same keys, same order. */
const it = {
  'unavailable.back': 'Torna alla pagina del PIN',
  'req.title': 'RICHIEDI IL TUO PIN',
  'req.step1.lead': "Indica il tuo codice fiscale e se sei residente in Italia o all'estero.",
  'req.residenza': 'Residenza',
  'req.residenza.IT': 'Italiana',
  'req.residenza.EE': 'Estera',
  'req.next': 'Avanti',
  'req.alreadyAssigned': "L'utente {cf} ha già un PIN assegnato",
  'req.alreadyAssignedHint': 'Se lo hai smarrito occorre eseguire la procedura di ripristino.',
  'req.alreadyAssignedLink': 'Hai smarrito il PIN?',
  'req.expired': 'La richiesta è scaduta per inattività: ricomincia inserendo il codice fiscale.',
  'req.outOfOrder': 'Questa pagina non fa parte del passo attuale della richiesta: prosegui da qui.',
  'req.steps': 'Passo {n} di {total}',
  'req.section.anagrafici': 'Dati Anagrafici',
  'req.section.residenza': 'Dati Residenza',
  'req.section.residenzaIT': 'Residenza Italiana',
  'req.section.residenzaEE': 'Residenza Estera',
  'req.section.recapiti': 'Recapiti personali',
  'req.requiredNote': '* Campo obbligatorio.',
  'req.contactsNote':
    "** E' obbligatorio indicare almeno un recapito tra Telefono Abitazione e Cellulare ed uno tra Indirizzo Email e PEC. Telefono Abitazione e Cellulare devono essere comprensivi di prefisso ed eventuale prefisso internazionale dall'Italia.",
  'req.dateHint': 'GG/MM/AAAA',
  'req.phoneHint': 'Con prefisso, es. 333 1234567 o +41 79 123 45 67',
  'req.selectProvincia': 'SCEGLI LA PROVINCIA',
  'req.selectComune': 'SCEGLI IL COMUNE',
  'req.selectTelefono': 'SCEGLI IL TELEFONO PREF.',
  'req.selectOrario': "SCEGLI L'ORARIO PREF.",
  'req.selectPaese': 'SCEGLI LO STATO',
  'req.bornAbroad': "ESTERO (nato fuori dall'Italia)",
  'req.updateComuni': "Aggiorna l'elenco dei comuni",
  'req.updateComuniHint': "Dopo aver scelto la provincia, premi «Aggiorna l'elenco dei comuni» se i comuni non compaiono.",
  'req.summary.title': 'Riepilogo dei dati inseriti',
  'req.summary.lead': 'Controlla i dati: con INDIETRO torni alla pagina di inserimento per correggerli, con CONFERMA invii la richiesta.',
  'req.back': 'INDIETRO',
  'req.confirm': 'CONFERMA',
  'req.done.title': 'Richiesta del PIN completata',
  'req.done.body':
    "La richiesta del PIN è stata registrata. L'{istituto} invierà i primi 8 caratteri del PIN {channels} e i secondi 8 caratteri con posta ordinaria all'indirizzo di residenza.",
  'req.done.keep':
    'Attenzione a non perdere la seconda parte del codice: conserva con cura entrambe le parti. Al primo accesso il PIN di 16 caratteri sarà sostituito con uno di 8 caratteri.',
  'req.done.protocol': 'Numero della richiesta: {protocol}',
  'req.done.viaSms': 'via SMS al numero {cellulare}',
  'req.done.viaEmail': "via email all'indirizzo {email}",
  'req.done.viaPec': "via PEC all'indirizzo {pec}",
  'req.done.and': ' e ',
  'req.federated': "Per questo codice fiscale il PIN si richiede dopo l'accesso con SPID, CIE o CNS (Profilo → Richiedi il PIN) o presso una sede",
  'req.federatedHint': "Accedi con SPID, CIE o CNS e scegli «Richiedi il PIN» nel Profilo, oppure rivolgiti a una sede dell'{istituto}.",
  'req.noResidence.title': 'Richiesta non completata',
  'req.noResidence': "Non è possibile completare la richiesta online: rivolgiti a una sede {istituto} (dall'estero: al consolato o a un patronato)",
  'req.done.bodyRegistry':
    "La richiesta del PIN è stata registrata. L'{istituto} invierà i primi 8 caratteri del PIN {channels} e i secondi 8 caratteri con posta ordinaria all'indirizzo di residenza risultante in anagrafe.",
  'req.code.lead': 'Prima di proseguire digita il Codice di Controllo.',
  'req.code.alternative':
    "Se non riesci a leggere l'immagine, puoi richiedere il PIN chiamando il Contact Center al numero {contactCenter} o presso una sede dell'{istituto}.",
  'req.code.title': 'Codice di Controllo',
  'msg.pinRequested.subject': '{istituto} – Richiesta di un nuovo PIN',
  'msg.pinRequested.body':
    "Gentile {nome} {cognome},\n\nil {date} è stato richiesto un nuovo PIN per il suo codice fiscale. La seconda parte del PIN sarà inviata per posta all'indirizzo di residenza risultante in anagrafe; i recapiti del suo profilo non cambiano finché il nuovo PIN non sarà usato per il primo accesso.\n\nSe non è stato lei, chiami subito il Contact Center al numero {contactCenter}: la richiesta può essere annullata.\n\n{istituto} – Servizi online",
  'req.letterQuota.title': 'Richiesta non completabile online',
  'req.letterQuota.body':
    "Per questo codice fiscale sono già state spedite di recente le lettere previste. Per un nuovo PIN rivolgiti a una sede dell'{istituto} con un documento di identità (dall'estero: al consolato o a un patronato), oppure chiama il Contact Center al numero {contactCenter}.",
  'req.letterQuota.back': 'Torna alla pagina iniziale',
  'msg.sms.firstHalf':
    "{istituto}: i primi 8 caratteri del tuo PIN sono {code}. I secondi 8 arriveranno per posta all'indirizzo di residenza. Non comunicarli a nessuno.",
  'msg.email.firstHalf.subject': '{istituto} – Prima parte del PIN',
  'msg.email.firstHalf.body':
    "Gentile {nome} {cognome},\n\nla sua richiesta del PIN è stata registrata.\n\nI primi 8 caratteri del PIN sono: {code}\n\nI secondi 8 caratteri le saranno inviati con posta ordinaria all'indirizzo di residenza. Al primo accesso dovrà inserire il PIN completo di 16 caratteri, che verrà sostituito con uno di 8 caratteri.\n\nLe credenziali sono strettamente personali: non le comunichi a nessuno. L'{istituto} non le chiederà mai il PIN per telefono o per email.\n\n{istituto} – Servizi online",
  'msg.remote.second.subject': '{istituto} – Seconda parte del PIN',
  'msg.remote.second.body':
    "Gentile {nome} {cognome},\n\ndopo il riconoscimento a distanza le è stato rilasciato un PIN dispositivo. I secondi 8 caratteri del PIN sono: {code}\n\nI primi 8 caratteri le sono stati inviati via SMS. Al primo accesso inserisca i 16 caratteri (prima quelli dell'SMS, poi questi): le sarà chiesto di sostituirli con un PIN di 8 caratteri.\n\n{istituto} – Servizi online",
  'msg.sms.firstHalf.semplificato':
    ' Con questi 8 caratteri puoi già accedere, ma solo alle domande di indennità COVID-19 e al bonus baby-sitting (PIN semplificato); per gli altri servizi serve il PIN completo di 16 caratteri.',
  'msg.email.firstHalf.semplificato':
    'PIN semplificato: finché non riceve la lettera, può accedere con i soli primi 8 caratteri, ma solo alle domande di indennità COVID-19 e al bonus baby-sitting. Per tutti gli altri servizi, e per convertire il PIN in PIN dispositivo, serve il PIN completo di 16 caratteri.',
  'geo.province.historic': 'sigla storica',
  'req.expiredKept':
    'La richiesta è scaduta per inattività. I dati che avevi inserito sono conservati in questa pagina: digita di nuovo il codice fiscale e premi AVANTI per ritrovarli nel modulo.',
};

const de: Record<keyof typeof it, string> = {
  'unavailable.back': 'Zurück zur PIN-Seite',
  'req.title': 'IHRE PIN BEANTRAGEN',
  'req.step1.lead': 'Geben Sie Ihre Steuernummer an und ob Sie Ihren Wohnsitz in Italien oder im Ausland haben.',
  'req.residenza': 'Wohnsitz',
  'req.residenza.IT': 'Italien',
  'req.residenza.EE': 'Ausland',
  'req.next': 'Weiter',
  'req.alreadyAssigned': 'Dem Benutzer {cf} wurde bereits eine PIN zugewiesen',
  'req.alreadyAssignedHint': 'Falls Sie sie verloren haben, müssen Sie das Verfahren zur Wiederherstellung durchführen.',
  'req.alreadyAssignedLink': 'Haben Sie Ihre PIN verloren?',
  'req.expired': 'Der Antrag ist wegen Inaktivität abgelaufen: Beginnen Sie erneut mit der Eingabe der Steuernummer.',
  'req.outOfOrder': 'Diese Seite gehört nicht zum aktuellen Schritt des Antrags: Fahren Sie bitte hier fort.',
  'req.steps': 'Schritt {n} von {total}',
  'req.section.anagrafici': 'Persönliche Daten',
  'req.section.residenza': 'Wohnsitzdaten',
  'req.section.residenzaIT': 'Wohnsitz in Italien',
  'req.section.residenzaEE': 'Wohnsitz im Ausland',
  'req.section.recapiti': 'Persönliche Kontaktdaten',
  'req.requiredNote': '* Pflichtfeld.',
  'req.contactsNote':
    '** Es muss mindestens eine Nummer (Festnetztelefon oder Mobiltelefon) und mindestens eine Adresse (E-Mail-Adresse oder PEC-Adresse) angegeben werden. Festnetz- und Mobiltelefonnummer müssen mit Vorwahl und gegebenenfalls mit der internationalen Vorwahl (von Italien aus) angegeben werden.',
  'req.dateHint': 'TT/MM/JJJJ',
  'req.phoneHint': 'Mit Vorwahl, z. B. 333 1234567 oder +41 79 123 45 67',
  'req.selectProvincia': 'PROVINZ AUSWÄHLEN',
  'req.selectComune': 'GEMEINDE AUSWÄHLEN',
  'req.selectTelefono': 'BEVORZUGTES TELEFON AUSWÄHLEN',
  'req.selectOrario': 'BEVORZUGTE UHRZEIT AUSWÄHLEN',
  'req.selectPaese': 'STAAT AUSWÄHLEN',
  'req.bornAbroad': 'AUSLAND (außerhalb Italiens geboren)',
  'req.updateComuni': 'Gemeindeliste aktualisieren',
  'req.updateComuniHint': 'Klicken Sie nach der Auswahl der Provinz auf «Gemeindeliste aktualisieren», falls die Gemeinden nicht angezeigt werden.',
  'req.summary.title': 'Zusammenfassung der eingegebenen Daten',
  'req.summary.lead':
    'Überprüfen Sie die Daten: Mit ZURÜCK kehren Sie zur Eingabeseite zurück, um sie zu korrigieren, mit BESTÄTIGEN senden Sie den Antrag ab.',
  'req.back': 'ZURÜCK',
  'req.confirm': 'BESTÄTIGEN',
  'req.done.title': 'PIN-Antrag abgeschlossen',
  'req.done.body':
    'Ihr PIN-Antrag wurde registriert. Das {istituto} sendet Ihnen die ersten 8 Zeichen der PIN {channels} und die zweiten 8 Zeichen mit gewöhnlicher Post an Ihre Wohnsitzadresse.',
  'req.done.keep':
    'Achten Sie darauf, den zweiten Teil des Codes nicht zu verlieren: Bewahren Sie beide Teile sorgfältig auf. Beim ersten Zugang wird die 16-stellige PIN durch eine 8-stellige PIN ersetzt.',
  'req.done.protocol': 'Antragsnummer: {protocol}',
  'req.done.viaSms': 'per SMS an die Nummer {cellulare}',
  'req.done.viaEmail': 'per E-Mail an die Adresse {email}',
  'req.done.viaPec': 'per PEC an die Adresse {pec}',
  'req.done.and': ' und ',
  'req.federated': 'Für diese Steuernummer wird die PIN nach der Anmeldung mit SPID, CIE oder CNS (Profil → PIN beantragen) oder bei einem Sitz beantragt',
  'req.federatedHint':
    'Melden Sie sich mit SPID, CIE oder CNS an und wählen Sie im Profil „PIN beantragen“, oder wenden Sie sich an einen Sitz des {istituto}.',
  'req.noResidence.title': 'Antrag nicht abgeschlossen',
  'req.noResidence':
    'Der Antrag kann nicht online abgeschlossen werden: Wenden Sie sich an einen Sitz des {istituto} (aus dem Ausland: an das Konsulat oder ein Patronat)',
  'req.done.bodyRegistry':
    'Der PIN-Antrag wurde registriert. Das {istituto} sendet die ersten 8 Zeichen der PIN {channels} und die zweiten 8 Zeichen per Post an die im Melderegister eingetragene Wohnanschrift.',
  'req.code.lead': 'Bevor Sie fortfahren, geben Sie den Kontrollcode ein.',
  'req.code.alternative':
    'Wenn Sie das Bild nicht lesen können, beantragen Sie den PIN über das Contact Center unter {contactCenter} oder bei einer Geschäftsstelle des {istituto}.',
  'req.code.title': 'Kontrollcode',
  'msg.pinRequested.subject': '{istituto} – Antrag auf eine neue PIN',
  'msg.pinRequested.body':
    'Sehr geehrte/r {nome} {cognome},\n\nam {date} wurde für Ihre Steuernummer eine neue PIN beantragt. Der zweite Teil der PIN wird per Post an die im Melderegister eingetragene Wohnanschrift gesendet; die Kontaktdaten Ihres Profils ändern sich erst, wenn die neue PIN für die erste Anmeldung verwendet wird.\n\nWenn Sie das nicht waren, rufen Sie sofort das Contact Center unter {contactCenter} an: Der Antrag kann annulliert werden.\n\n{istituto} – Online-Dienste',
  'req.letterQuota.title': 'Antrag online nicht möglich',
  'req.letterQuota.body':
    'Für diese Steuernummer wurden kürzlich bereits die vorgesehenen Briefe versandt. Für einen neuen PIN wenden Sie sich mit einem Ausweis an einen Sitz des {istituto} (aus dem Ausland: an das Konsulat oder ein Patronat) oder rufen Sie das Contact Center unter {contactCenter} an.',
  'req.letterQuota.back': 'Zurück zur Startseite',
  'msg.sms.firstHalf':
    '{istituto}: Die ersten 8 Zeichen Ihrer PIN lauten {code}. Die zweiten 8 Zeichen erhalten Sie per Post an Ihre Wohnsitzadresse. Geben Sie sie an niemanden weiter.',
  'msg.email.firstHalf.subject': '{istituto} – Erster Teil der PIN',
  'msg.email.firstHalf.body':
    'Sehr geehrte/r {nome} {cognome},\n\nIhr Antrag auf eine PIN wurde registriert.\n\nDie ersten 8 Zeichen der PIN lauten: {code}\n\nDie zweiten 8 Zeichen werden Ihnen mit gewöhnlicher Post an Ihre Wohnsitzadresse gesendet. Beim ersten Zugang müssen Sie die vollständige 16-stellige PIN eingeben, die dann durch eine 8-stellige PIN ersetzt wird.\n\nDie Zugangsdaten sind streng persönlich: Geben Sie sie an niemanden weiter. Das {istituto} wird Sie niemals telefonisch oder per E-Mail nach Ihrer PIN fragen.\n\n{istituto} – Online-Dienste',
  'msg.remote.second.subject': '{istituto} – Zweiter Teil der PIN',
  'msg.remote.second.body':
    'Sehr geehrte/r {nome} {cognome},\n\nnach der Fernidentifizierung wurde Ihnen eine PIN dispositivo ausgestellt. Die zweiten 8 Zeichen der PIN lauten: {code}\n\nDie ersten 8 Zeichen wurden Ihnen per SMS gesendet. Geben Sie beim ersten Zugang die 16 Zeichen ein (zuerst die aus der SMS, dann diese): Sie werden aufgefordert, sie durch eine PIN mit 8 Zeichen zu ersetzen.\n\n{istituto} – Online-Dienste',
  'msg.sms.firstHalf.semplificato':
    ' Mit diesen 8 Zeichen können Sie sich schon anmelden, aber nur für die Anträge auf COVID-19-Entschädigungen und den Babysitting-Bonus (PIN semplificato); für die anderen Dienste benötigen Sie die vollständige 16-stellige PIN.',
  'msg.email.firstHalf.semplificato':
    'PIN semplificato: Bis der Brief ankommt, können Sie sich mit den ersten 8 Zeichen allein anmelden, aber nur für die Anträge auf COVID-19-Entschädigungen und den Babysitting-Bonus. Für alle anderen Dienste und für die Umwandlung in eine PIN dispositivo benötigen Sie die vollständige 16-stellige PIN.',
  'geo.province.historic': 'historisches Kennzeichen',
  'req.expiredKept':
    'Der Antrag ist wegen Inaktivität abgelaufen. Ihre Angaben sind auf dieser Seite erhalten: Geben Sie die Steuernummer erneut ein und klicken Sie auf WEITER, um sie im Formular wiederzufinden.',
};

const en: Record<keyof typeof it, string> = {
  'unavailable.back': 'Back to the PIN page',
  'req.title': 'REQUEST YOUR PIN',
  'req.step1.lead': 'Enter your tax code and tell us whether you live in Italy or abroad.',
  'req.residenza': 'Residence',
  'req.residenza.IT': 'Italy',
  'req.residenza.EE': 'Abroad',
  'req.next': 'Next',
  'req.alreadyAssigned': 'User {cf} already has a PIN assigned',
  'req.alreadyAssignedHint': 'If you have lost it, you need to carry out the recovery procedure.',
  'req.alreadyAssignedLink': 'Have you lost your PIN?',
  'req.expired': 'The request has expired due to inactivity: start again by entering your tax code.',
  'req.outOfOrder': 'This page is not part of the current step of the request: please continue from here.',
  'req.steps': 'Step {n} of {total}',
  'req.section.anagrafici': 'Personal details',
  'req.section.residenza': 'Residence details',
  'req.section.residenzaIT': 'Residence in Italy',
  'req.section.residenzaEE': 'Residence abroad',
  'req.section.recapiti': 'Personal contact details',
  'req.requiredNote': '* Required field.',
  'req.contactsNote':
    '** You must provide at least one of Home phone and Mobile phone, and at least one of Email address and PEC address. Home and mobile phone numbers must include the area or mobile prefix and, where applicable, the international dialling code from Italy.',
  'req.dateHint': 'DD/MM/YYYY',
  'req.phoneHint': 'With prefix, e.g. 333 1234567 or +41 79 123 45 67',
  'req.selectProvincia': 'CHOOSE THE PROVINCE',
  'req.selectComune': 'CHOOSE THE MUNICIPALITY',
  'req.selectTelefono': 'CHOOSE THE PREFERRED PHONE',
  'req.selectOrario': 'CHOOSE THE PREFERRED TIME',
  'req.selectPaese': 'CHOOSE THE COUNTRY',
  'req.bornAbroad': 'ABROAD (born outside Italy)',
  'req.updateComuni': 'Update the list of municipalities',
  'req.updateComuniHint': 'After choosing the province, press "Update the list of municipalities" if the municipalities do not appear.',
  'req.summary.title': 'Summary of the data entered',
  'req.summary.lead': 'Check your data: BACK takes you to the entry page to correct it, CONFIRM sends the request.',
  'req.back': 'BACK',
  'req.confirm': 'CONFIRM',
  'req.done.title': 'PIN request completed',
  'req.done.body':
    'Your PIN request has been registered. {istituto} will send the first 8 characters of the PIN {channels} and the second 8 characters by ordinary post to your residential address.',
  'req.done.keep':
    'Take care not to lose the second part of the code: keep both parts safe. The first time you sign in, the 16-character PIN will be replaced with an 8-character PIN.',
  'req.done.protocol': 'Request number: {protocol}',
  'req.done.viaSms': 'by SMS to {cellulare}',
  'req.done.viaEmail': 'by email to {email}',
  'req.done.viaPec': 'by PEC to {pec}',
  'req.done.and': ' and ',
  'req.federated': 'For this tax code the PIN is requested after logging in with SPID, CIE or CNS (Profile → Request the PIN) or at an office',
  'req.federatedHint': 'Log in with SPID, CIE or CNS and choose “Request the PIN” in your Profile, or go to an office of {istituto}.',
  'req.noResidence.title': 'Request not completed',
  'req.noResidence': 'The request cannot be completed online: go to an office of {istituto} (from abroad: to the consulate or a patronato)',
  'req.done.bodyRegistry':
    'Your PIN request has been registered. {istituto} will send the first 8 characters of the PIN {channels} and the second 8 characters by ordinary post to the residence address held in the population register.',
  'req.code.lead': 'Before you continue, type the check code.',
  'req.code.alternative': 'If you cannot read the image, you can request the PIN by calling the Contact Center on {contactCenter} or at an {istituto} office.',
  'req.code.title': 'Check code',
  'msg.pinRequested.subject': '{istituto} – Request for a new PIN',
  'msg.pinRequested.body':
    'Dear {nome} {cognome},\n\non {date} a new PIN was requested for your tax code. The second part of the PIN will be posted to the residence address held in the population register; the contacts in your profile do not change until the new PIN is used for the first access.\n\nIf this was not you, call the Contact Center on {contactCenter} at once: the request can be cancelled.\n\n{istituto} – Online services',
  'req.letterQuota.title': 'The request cannot be completed online',
  'req.letterQuota.body':
    'The letters foreseen for this codice fiscale have already been sent recently. For a new PIN go to an {istituto} office with an identity document (from abroad: to the consulate or a patronato), or call the Contact Center on {contactCenter}.',
  'req.letterQuota.back': 'Back to the home page',
  'msg.sms.firstHalf':
    '{istituto}: the first 8 characters of your PIN are {code}. The second 8 will arrive by post at your residential address. Do not share them with anyone.',
  'msg.email.firstHalf.subject': '{istituto} – First part of the PIN',
  'msg.email.firstHalf.body':
    'Dear {nome} {cognome},\n\nYour PIN request has been registered.\n\nThe first 8 characters of the PIN are: {code}\n\nThe second 8 characters will be sent to you by ordinary post at your residential address. The first time you sign in you will have to enter the full 16-character PIN, which will then be replaced with an 8-character PIN.\n\nThe credentials are strictly personal: do not share them with anyone. {istituto} will never ask you for your PIN by phone or by email.\n\n{istituto} – Online services',
  'msg.remote.second.subject': '{istituto} – Second part of your PIN',
  'msg.remote.second.body':
    'Dear {nome} {cognome},\n\nafter remote identification you have been issued a PIN dispositivo. The second 8 characters of the PIN are: {code}\n\nThe first 8 characters were sent to you by SMS. At your first access enter all 16 characters (first those from the SMS, then these): you will be asked to replace them with an 8-character PIN.\n\n{istituto} – Online services',
  'msg.sms.firstHalf.semplificato':
    ' With these 8 characters you can already log in, but only to the COVID-19 indemnity applications and the baby-sitting bonus (PIN semplificato); the other services need the full 16-character PIN.',
  'msg.email.firstHalf.semplificato':
    'PIN semplificato: until the letter arrives, you can log in with the first 8 characters alone, but only to the COVID-19 indemnity applications and the baby-sitting bonus. Every other service, and the conversion into a PIN dispositivo, needs the full 16-character PIN.',
  'geo.province.historic': 'historic code',
  'req.expiredKept':
    'The request expired because of inactivity. The data you entered are kept on this page: type your tax code again and press NEXT to find them in the form.',
};

export const messages: ModuleMessages = { it, de, en };

declare module '../../i18n/index.js' {
  interface Messages extends Record<keyof typeof it, string> {}
}
