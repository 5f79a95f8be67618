import type { ModuleMessages } from '../../i18n/index.js';

/** The texts of the accesso flow, in Italian (the seeds' labels), German and English: same keys, same order. */
const it = {
  'access.info':
    "Per l'accesso ai servizi online {istituto} è necessario avere un PIN rilasciato dall'Istituto, o una identità SPID almeno di livello 2, o una Carta di identità elettronica 3.0 (CIE), o una Carta Nazionale dei Servizi (CNS).",
  'access.lost': 'Hai smarrito il tuo PIN?',
  'login.awaitLetter':
    'Con i soli primi 8 caratteri non è possibile accedere: attendi la lettera con la seconda parte del PIN e accedi con il PIN completo di 16 caratteri.',
  'login.title': 'Accesso MyINPS',
  'login.choose': 'Scelta delle modalità di accesso',
  'login.tabs': 'Autenticazione',
  'login.tab.pin': 'PIN',
  'login.tab.spid': 'SPID',
  'login.tab.cie': 'CIE',
  'login.tab.cns': 'CNS',
  'login.pin': 'PIN',
  'login.submit': 'Accedi',
  'login.cancel': 'Annulla',
  'login.instructions': "Istruzioni per l'accesso",
  'login.invalid': "Codice fiscale o PIN non corretti. Dopo 10 tentativi consecutivi errati l'accesso viene bloccato per 5 minuti.",
  'login.blocked':
    "Troppi tentativi con un PIN errato: l'accesso è bloccato fino alle {until}. Ogni ulteriore tentativo errato dopo il blocco richiederà l'attesa di altri 5 minuti.",
  'login.sessionExpired': 'La sessione è stata chiusa per inattività (30 minuti) o è scaduta: accedi di nuovo.',
  'login.loginRequired': 'Per usare questo servizio devi accedere.',
  'login.loggedOut': 'Sei uscito dai servizi online.',
  'login.instructions.title': "Istruzioni per l'accesso",
  'login.instructions.body1':
    "L'accesso ai servizi online è consentito ai soli soggetti in possesso di un PIN rilasciato dall'Istituto, di una identità SPID almeno di livello 2, di una Carta di identità elettronica 3.0 (CIE) o di una Carta Nazionale dei Servizi (CNS).",
  'login.instructions.body2':
    "Le credenziali di accesso sono strettamente personali e il loro utilizzo non è delegabile. Tutte le operazioni effettuate sono soggette a tracciatura ed imputate al titolare dell'utenza, con le relative responsabilità civili e penali.",
  'login.instructions.body3':
    'Le utenze non possono essere utilizzate per effettuare accessi mediante strumenti informatici che generano richieste di servizio in maniera automatica (ad esempio robot).',
  'login.instructions.body4': 'La sessione di lavoro viene chiusa automaticamente in seguito ad un periodo di inattività di 30 minuti.',
  'login.instructions.body5':
    "Al primo accesso il sistema obbliga a sostituire il PIN di 16 caratteri con uno di 8 caratteri. Il PIN va cambiato almeno ogni 6 mesi (ogni 3 mesi per gli intermediari istituzionali). Dopo 10 tentativi consecutivi con un PIN errato l'accesso è inibito per 5 minuti; ogni tentativo errato successivo richiede l'attesa di ulteriori 5 minuti, fino all'inserimento del PIN corretto.",
  'change.title': 'Modifica PIN',
  'change.firstAccess': 'Primo accesso: sostituisci il PIN iniziale di 16 caratteri con un PIN di 8 caratteri, da conservare per i successivi accessi.',
  'change.expired': 'Il tuo PIN è scaduto: per continuare scegli un nuovo PIN di 8 caratteri.',
  'change.voluntary': 'Scegli un nuovo PIN di 8 caratteri.',
  'change.rules':
    'Il nuovo PIN deve avere 8 caratteri alfanumerici (lettere e numeri, maiuscole o minuscole indifferentemente; spazi e trattini non contano). Non può coincidere con il PIN iniziale né con uno degli ultimi 5 PIN, e non può contenere parti del codice fiscale, del nome, del cognome o della data di nascita.',
  'change.current': 'PIN attuale',
  'change.new': 'Nuovo PIN',
  'change.confirm': 'Conferma nuovo PIN',
  'change.submit': 'Modifica PIN',
  'change.done': 'Il PIN è stato modificato. Conservalo con cura: ti servirà per i prossimi accessi.',
  'login.revoked': 'Il PIN indicato è stato revocato: per accedere richiedi un nuovo PIN.',
  'login.spid.lead':
    "Entra con SPID, il Sistema Pubblico di Identità Digitale: scegli il tuo gestore dell'identità. È richiesto SPID di livello 2 o superiore.",
  'login.spid.button': 'Entra con SPID',
  'login.spid.with': 'Entra con {provider}',
  'login.cie.lead': "Entra con la Carta di Identità Elettronica (CIE 3.0): sarai indirizzato al servizio di autenticazione del Ministero dell'Interno.",
  'login.cie.button': 'Entra con CIE',
  'login.cns.lead':
    'Entra con la Carta Nazionale dei Servizi: inserisci la carta nel lettore e, quando il browser lo chiede, scegli il certificato e digita il PIN della carta.',
  'login.cns.button': 'Entra con CNS',
  'login.notConfigured': "L'accesso con {method} non è attivo su questo portale. Usa il PIN o un altro sistema di accesso.",
  'login.remaining.one': 'Ti resta 1 tentativo prima del blocco.',
  'login.remaining.other': 'Ti restano {n} tentativi prima del blocco.',
};

const de: Record<keyof typeof it, string> = {
  'access.info':
    'Für den Zugang zu den Online-Diensten des {istituto} benötigen Sie eine vom Institut ausgestellte PIN, eine SPID-Identität mindestens der Stufe 2, eine elektronische Identitätskarte 3.0 (CIE) oder eine Bürgerkarte (Carta Nazionale dei Servizi, CNS).',
  'access.lost': 'Haben Sie Ihre PIN verloren?',
  'login.awaitLetter':
    'Mit den ersten 8 Zeichen allein ist keine Anmeldung möglich: Warten Sie auf den Brief mit dem zweiten Teil der PIN und melden Sie sich mit der vollständigen 16-stelligen PIN an.',
  'login.title': 'Zugang zu MyINPS',
  'login.choose': 'Auswahl der Zugangsart',
  'login.tabs': 'Authentifizierung',
  'login.tab.pin': 'PIN',
  'login.tab.spid': 'SPID',
  'login.tab.cie': 'CIE',
  'login.tab.cns': 'CNS',
  'login.pin': 'PIN',
  'login.submit': 'Anmelden',
  'login.cancel': 'Abbrechen',
  'login.instructions': 'Anleitung für den Zugang',
  'login.invalid':
    'Steuernummer oder PIN ist nicht korrekt. Überprüfen Sie Ihre Eingaben und versuchen Sie es erneut. Nach 10 aufeinanderfolgenden Fehlversuchen wird der Zugang für 5 Minuten gesperrt.',
  'login.blocked':
    'Zu viele Versuche mit einer falschen PIN: Der Zugang ist bis {until} gesperrt. Jeder weitere Fehlversuch nach Ablauf der Sperre führt zu einer erneuten Wartezeit von 5 Minuten.',
  'login.sessionExpired': 'Die Sitzung wurde wegen Inaktivität (30 Minuten) beendet oder ist abgelaufen: Melden Sie sich bitte erneut an.',
  'login.loginRequired': 'Um diesen Dienst zu nutzen, müssen Sie sich anmelden.',
  'login.loggedOut': 'Sie haben sich von den Online-Diensten abgemeldet.',
  'login.instructions.title': 'Anleitung für den Zugang',
  'login.instructions.body1':
    'Der Zugang zu den Online-Diensten ist nur Personen gestattet, die über eine vom Institut ausgestellte PIN, eine SPID-Identität mindestens der Stufe 2, eine elektronische Identitätskarte 3.0 (CIE) oder eine Bürgerkarte (Carta Nazionale dei Servizi, CNS) verfügen.',
  'login.instructions.body2':
    'Die Zugangsdaten sind streng persönlich und dürfen nicht an andere Personen weitergegeben oder von diesen verwendet werden. Alle durchgeführten Vorgänge werden protokolliert und dem Inhaber bzw. der Inhaberin des Benutzerkontos zugerechnet, der bzw. die dafür zivil- und strafrechtlich verantwortlich ist.',
  'login.instructions.body3':
    'Die Benutzerkonten dürfen nicht für Zugriffe mit Programmen verwendet werden, die automatisch Dienstanfragen erzeugen (zum Beispiel Robots).',
  'login.instructions.body4': 'Die Sitzung wird nach 30 Minuten Inaktivität automatisch beendet.',
  'login.instructions.body5':
    'Beim ersten Zugang verlangt das System, die 16-stellige PIN durch eine 8-stellige PIN zu ersetzen. Die PIN muss mindestens alle 6 Monate geändert werden (alle 3 Monate für institutionelle Vermittler). Nach 10 aufeinanderfolgenden Versuchen mit einer falschen PIN wird der Zugang für 5 Minuten gesperrt; jeder weitere Fehlversuch führt zu einer erneuten Wartezeit von 5 Minuten, bis die richtige PIN eingegeben wird.',
  'change.title': 'PIN ändern',
  'change.firstAccess': 'Erster Zugang: Ersetzen Sie die 16-stellige Erst-PIN durch eine 8-stellige PIN, die Sie für alle weiteren Zugänge aufbewahren.',
  'change.expired': 'Ihre PIN ist abgelaufen: Wählen Sie eine neue 8-stellige PIN, um fortzufahren.',
  'change.voluntary': 'Wählen Sie eine neue 8-stellige PIN.',
  'change.rules':
    'Die neue PIN muss aus 8 alphanumerischen Zeichen bestehen (Buchstaben und Ziffern; Groß- und Kleinbuchstaben werden nicht unterschieden, Leerzeichen und Bindestriche zählen nicht). Sie darf weder mit der Erst-PIN noch mit einer der letzten 5 PINs übereinstimmen und keine Teile der Steuernummer, des Vornamens, des Nachnamens oder des Geburtsdatums enthalten.',
  'change.current': 'Aktuelle PIN',
  'change.new': 'Neue PIN',
  'change.confirm': 'Neue PIN bestätigen',
  'change.submit': 'PIN ändern',
  'change.done': 'Die PIN wurde geändert. Bewahren Sie sie sorgfältig auf: Sie benötigen sie für die nächsten Zugänge.',
  'login.revoked': 'Die angegebene PIN wurde widerrufen: Um sich anzumelden, beantragen Sie eine neue PIN.',
  'login.spid.lead':
    'Melden Sie sich mit SPID, dem öffentlichen System für die digitale Identität, an: Wählen Sie Ihren Identitätsanbieter. Erforderlich ist SPID der Stufe 2 oder höher.',
  'login.spid.button': 'Mit SPID anmelden',
  'login.spid.with': 'Mit {provider} anmelden',
  'login.cie.lead':
    'Melden Sie sich mit der elektronischen Identitätskarte (CIE 3.0) an: Sie werden zum Authentifizierungsdienst des Innenministeriums weitergeleitet.',
  'login.cie.button': 'Mit CIE anmelden',
  'login.cns.lead':
    'Melden Sie sich mit der Bürgerkarte (CNS) an: Stecken Sie die Karte in das Lesegerät, wählen Sie auf Aufforderung des Browsers das Zertifikat aus und geben Sie den PIN der Karte ein.',
  'login.cns.button': 'Mit CNS anmelden',
  'login.notConfigured': 'Die Anmeldung mit {method} ist auf diesem Portal nicht aktiviert. Bitte verwenden Sie den PIN oder ein anderes Anmeldeverfahren.',
  'login.remaining.one': 'Sie haben noch 1 Versuch vor der Sperre.',
  'login.remaining.other': 'Sie haben noch {n} Versuche vor der Sperre.',
};

const en: Record<keyof typeof it, string> = {
  'access.info':
    'To access the {istituto} online services you need a PIN issued by the Institute, a SPID identity of at least level 2, an electronic identity card 3.0 (CIE) or a National Services Card (CNS).',
  'access.lost': 'Have you lost your PIN?',
  'login.awaitLetter':
    'You cannot log in with the first 8 characters alone: wait for the letter with the second part of the PIN and log in with the full 16-character PIN.',
  'login.title': 'MyINPS access',
  'login.choose': 'Choose how to log in',
  'login.tabs': 'Authentication',
  'login.tab.pin': 'PIN',
  'login.tab.spid': 'SPID',
  'login.tab.cie': 'CIE',
  'login.tab.cns': 'CNS',
  'login.pin': 'PIN',
  'login.submit': 'Log in',
  'login.cancel': 'Cancel',
  'login.instructions': 'Access instructions',
  'login.invalid':
    'The tax code or PIN is not correct. Check what you entered and try again. After 10 consecutive failed attempts, access is blocked for 5 minutes.',
  'login.blocked':
    'Too many attempts with a wrong PIN: access is blocked until {until}. After the block, each further wrong attempt means waiting another 5 minutes.',
  'login.sessionExpired': 'Your session was closed after 30 minutes of inactivity or has expired: please log in again.',
  'login.loginRequired': 'You need to log in to use this service.',
  'login.loggedOut': 'You have logged out of the online services.',
  'login.instructions.title': 'Access instructions',
  'login.instructions.body1':
    'Access to the online services is allowed only to persons holding a PIN issued by the Institute, a SPID identity of at least level 2, an electronic identity card 3.0 (CIE) or a National Services Card (CNS).',
  'login.instructions.body2':
    'Access credentials are strictly personal and may not be delegated to anyone else. All operations are logged and attributed to the account holder, who bears the related civil and criminal liability.',
  'login.instructions.body3': 'Accounts may not be used for access through software that generates service requests automatically (for example robots).',
  'login.instructions.body4': 'The session is closed automatically after 30 minutes of inactivity.',
  'login.instructions.body5':
    'The first time you log in, the system requires you to replace the 16-character PIN with an 8-character PIN. The PIN must be changed at least every 6 months (every 3 months for institutional intermediaries). After 10 consecutive attempts with a wrong PIN, access is blocked for 5 minutes; each further wrong attempt means waiting another 5 minutes, until the correct PIN is entered.',
  'change.title': 'Change PIN',
  'change.firstAccess': 'First access: replace the 16-character initial PIN with an 8-character PIN, which you keep for all later logins.',
  'change.expired': 'Your PIN has expired: choose a new 8-character PIN to continue.',
  'change.voluntary': 'Choose a new 8-character PIN.',
  'change.rules':
    'The new PIN must be 8 alphanumeric characters (letters and digits; upper and lower case are treated the same, spaces and dashes do not count). It cannot be the same as the initial PIN or any of your last 5 PINs, and it cannot contain parts of your tax code, first name, surname or date of birth.',
  'change.current': 'Current PIN',
  'change.new': 'New PIN',
  'change.confirm': 'Confirm new PIN',
  'change.submit': 'Change PIN',
  'change.done': 'Your PIN has been changed. Keep it safe: you will need it the next time you log in.',
  'login.revoked': 'The PIN entered has been revoked: to log in, request a new PIN.',
  'login.spid.lead': 'Sign in with SPID, the Public Digital Identity System: choose your identity provider. SPID level 2 or higher is required.',
  'login.spid.button': 'Sign in with SPID',
  'login.spid.with': 'Sign in with {provider}',
  'login.cie.lead': "Sign in with the Electronic Identity Card (CIE 3.0): you will be redirected to the Ministry of the Interior's authentication service.",
  'login.cie.button': 'Sign in with CIE',
  'login.cns.lead':
    "Sign in with the National Services Card (CNS): insert the card into the reader and, when the browser asks, choose the certificate and enter the card's PIN.",
  'login.cns.button': 'Sign in with CNS',
  'login.notConfigured': 'Sign-in with {method} is not enabled on this portal. Use your PIN or another sign-in method.',
  'login.remaining.one': 'You have 1 attempt left before the block.',
  'login.remaining.other': 'You have {n} attempts left before the block.',
};

export const messages: ModuleMessages = { it, de, en };

declare module '../../i18n/index.js' {
  interface Messages extends Record<keyof typeof it, string> {}
}
