import type { ModuleMessages } from '../../i18n/index.js';

/** The texts of the conversione flow, in Italian (the seeds' labels), German and English: same keys, same order. */
const it = {
  'disp.title': 'Il PIN dispositivo',
  'disp.what':
    "Il PIN dispositivo permette di accedere a tutti i servizi online dell'{istituto}, comprese le operazioni dispositive (presentare domande, scaricare le certificazioni fiscali). Per le operazioni di consultazione è sufficiente il PIN ordinario.",
  'disp.ways':
    "Puoi convertire il tuo PIN in PIN dispositivo online, inviando il modulo firmato e il documento di identità; oppure via fax; oppure presso una sede dell'{istituto}. La conversione avviene entro poche ore e ti viene confermata via email.",
  'disp.convert': 'CONVERTI IL PIN',
  'conv.title': 'CONVERTI IL TUO PIN IN DISPOSITIVO',
  'conv.welcome': 'Benvenuto nella procedura guidata di conversione del PIN.',
  'conv.intro':
    "Per convertire il PIN è necessario compilare i campi richiesti nella schermata successiva. La procedura, sulla base dei dati inseriti, produrrà un modulo precompilato che dovrai stampare e presentare all'{istituto} unitamente alla copia del documento di identità dichiarato.",
  'conv.channels': 'Il modulo può essere presentato attraverso una delle seguenti modalità:',
  'conv.channel.online': 'procedura online;',
  'conv.channel.fax': 'fax al numero verde {fax};',
  'conv.channel.sede': "consegnato presso una sede territoriale dell'{istituto}.",
  'conv.minors':
    'Se il PIN per il quale stai richiedendo la conversione è intestato ad un minorenne o a una persona priva, in tutto o in parte, di capacità legale di agire leggi le avvertenze:',
  'conv.minorsLink': 'avvertenze per minori e persone prive di capacità di agire',
  'conv.steps':
    'La conversione on-line istantanea prevede i seguenti passi: precompilazione della richiesta di conversione; download, stampa e firma del modulo; scansione e upload del modulo firmato; upload del documento di riconoscimento (Carta Identità, Patente o Passaporto).',
  'conv.next': 'Per procedere, premi il tasto "Avanti"',
  'conv.warnings.title': 'Avvertenze per minori e persone prive di capacità di agire',
  'conv.warnings.body1':
    'Se il PIN è intestato a un minorenne, il modulo è firmato da chi esercita la responsabilità genitoriale; allega anche il suo documento di identità e un documento che attesti il rapporto (ad esempio il certificato di nascita o lo stato di famiglia).',
  'conv.warnings.body2':
    "Se il PIN è intestato a una persona priva, in tutto o in parte, della capacità legale di agire, il modulo è firmato dal tutore, dal curatore o dall'amministratore di sostegno; allega il suo documento di identità e il provvedimento di nomina.",
  'conv.warnings.body3': 'In questi casi la richiesta è esaminata da un operatore, che può chiedere altri documenti.',
  'conv.doc.title': 'Documento di identità',
  'conv.doc.lead': 'Indica gli estremi del documento di identità che allegherai. Il documento deve essere valido.',
  'conv.module.title': 'Modulo di richiesta',
  'conv.module.lead':
    'Scarica il modulo precompilato, stampalo, firmalo e datalo; poi scansiona il modulo firmato e il documento di identità e caricali qui sotto (PDF, JPEG o PNG, al massimo {mb} MB ciascuno).',
  'conv.module.download': 'Scarica il modulo (PDF)',
  'conv.upload': 'Carica i documenti',
  'conv.confirm.title': 'Conferma la richiesta',
  'conv.confirm.lead':
    "Controlla i dati: confermando, la richiesta di conversione sarà inviata all'{istituto}. Riceverai una email quando il PIN sarà dispositivo.",
  'conv.confirm.files': 'Documenti caricati',
  'conv.done':
    'La richiesta di conversione n. {number} è in lavorazione. Nel giro di qualche ora il PIN dovrebbe diventare dispositivo: riceverai una email di conferma.',
  'conv.state': 'Richiesta di conversione in PIN dispositivo n. {number}: {state}',
  'conv.state.bozza': 'da completare',
  'conv.state.in_lavorazione': 'in lavorazione',
  'conv.state.approvata': 'approvata',
  'conv.state.respinta': 'respinta',
  'conv.already': 'Il tuo PIN è già dispositivo.',
  'conv.pending': 'Hai già una richiesta di conversione in lavorazione (n. {number}).',
  'module.title': 'RICHIESTA DI CONVERSIONE DEL PIN IN PIN DISPOSITIVO',
  'module.number': 'Richiesta n. {number}',
  'module.declare': 'Il/La sottoscritto/a chiede che il proprio PIN per i servizi online sia reso dispositivo e dichiara che i dati seguenti sono veri.',
  'module.citizen': 'Dati del richiedente',
  'module.document': 'Documento di identità allegato',
  'module.placeDate': 'Luogo e data',
  'module.signature': 'Firma',
  'module.attach':
    'Allegare copia leggibile del documento di identità indicato. Dichiarazioni false sono punite ai sensi degli artt. 75 e 76 del D.P.R. 445/2000.',
  'msg.conv.approved.subject': '{istituto} – Il suo PIN è dispositivo',
  'msg.conv.approved.body':
    'Gentile {nome} {cognome},\n\nla richiesta di conversione n. {number} è stata accolta: il suo PIN è ora dispositivo. Al prossimo accesso potrà usare anche i servizi che richiedono il PIN dispositivo.\n\n{istituto} – Servizi online',
  'msg.conv.rejected.subject': '{istituto} – Richiesta di PIN dispositivo respinta',
  'msg.conv.rejected.body':
    'Gentile {nome} {cognome},\n\nla richiesta di conversione n. {number} non è stata accolta per il seguente motivo: {reason}\n\nPuò presentare una nuova richiesta online o rivolgersi a una sede.\n\n{istituto} – Servizi online',
};

const de: Record<keyof typeof it, string> = {
  'disp.title': 'Die PIN dispositivo',
  'disp.what':
    'Mit der PIN dispositivo können Sie auf alle Online-Dienste des {istituto} zugreifen, einschließlich der rechtswirksamen Vorgänge (Anträge einreichen, Steuerbescheinigungen herunterladen). Für reine Abfragen genügt die gewöhnliche PIN.',
  'disp.ways':
    'Sie können Ihre PIN online in eine PIN dispositivo umwandeln, indem Sie das unterschriebene Formular und das Ausweisdokument übermitteln, oder per Fax oder bei einer Dienststelle des {istituto}. Die Umwandlung erfolgt innerhalb weniger Stunden und wird Ihnen per E-Mail bestätigt.',
  'disp.convert': 'PIN UMWANDELN',
  'conv.title': 'IHRE PIN IN EINE PIN DISPOSITIVO UMWANDELN',
  'conv.welcome': 'Willkommen beim geführten Verfahren zur Umwandlung der PIN.',
  'conv.intro':
    'Um die PIN umzuwandeln, müssen Sie auf der nächsten Seite die erforderlichen Felder ausfüllen. Auf der Grundlage der eingegebenen Daten erstellt das Verfahren ein vorausgefülltes Formular, das Sie ausdrucken und zusammen mit der Kopie des angegebenen Ausweisdokuments beim {istituto} einreichen müssen.',
  'conv.channels': 'Das Formular kann auf eine der folgenden Arten eingereicht werden:',
  'conv.channel.online': 'über das Online-Verfahren;',
  'conv.channel.fax': 'per Fax an die gebührenfreie Nummer {fax};',
  'conv.channel.sede': 'durch Abgabe bei einer örtlichen Dienststelle des {istituto}.',
  'conv.minors':
    'Wenn die PIN, deren Umwandlung Sie beantragen, auf eine minderjährige Person oder auf eine Person lautet, die ganz oder teilweise nicht geschäftsfähig ist, lesen Sie bitte die Hinweise:',
  'conv.minorsLink': 'Hinweise für Minderjährige und nicht geschäftsfähige Personen',
  'conv.steps':
    'Die sofortige Online-Umwandlung umfasst folgende Schritte: Vorausfüllen des Antrags auf Umwandlung; Herunterladen, Ausdrucken und Unterschreiben des Formulars; Einscannen und Hochladen des unterschriebenen Formulars; Hochladen des Ausweisdokuments (Identitätskarte, Führerschein oder Reisepass).',
  'conv.next': 'Um fortzufahren, klicken Sie auf die Schaltfläche "Weiter"',
  'conv.warnings.title': 'Hinweise für Minderjährige und nicht geschäftsfähige Personen',
  'conv.warnings.body1':
    'Wenn die PIN auf eine minderjährige Person lautet, wird das Formular von der Person unterschrieben, welche die elterliche Verantwortung ausübt; legen Sie auch das Ausweisdokument dieser Person und ein Dokument bei, das das Verhältnis nachweist (zum Beispiel die Geburtsurkunde oder den Familienbogen).',
  'conv.warnings.body2':
    'Wenn die PIN auf eine Person lautet, die ganz oder teilweise nicht geschäftsfähig ist, wird das Formular vom Vormund, vom Beistand oder vom Sachwalter unterschrieben; legen Sie das Ausweisdokument dieser Person und die Ernennungsmaßnahme bei.',
  'conv.warnings.body3':
    'In diesen Fällen wird der Antrag von einem Sachbearbeiter bzw. einer Sachbearbeiterin geprüft, der bzw. die weitere Unterlagen anfordern kann.',
  'conv.doc.title': 'Ausweisdokument',
  'conv.doc.lead': 'Geben Sie die Daten des Ausweisdokuments an, das Sie beilegen werden. Das Dokument muss gültig sein.',
  'conv.module.title': 'Antragsformular',
  'conv.module.lead':
    'Laden Sie das vorausgefüllte Formular herunter, drucken Sie es aus, unterschreiben und datieren Sie es; scannen Sie dann das unterschriebene Formular und das Ausweisdokument ein und laden Sie beide hier unten hoch (PDF, JPEG oder PNG, jeweils höchstens {mb} MB).',
  'conv.module.download': 'Formular herunterladen (PDF)',
  'conv.upload': 'Dokumente hochladen',
  'conv.confirm.title': 'Antrag bestätigen',
  'conv.confirm.lead':
    'Überprüfen Sie die Daten: Nach der Bestätigung wird der Antrag auf Umwandlung an das {istituto} gesendet. Sie erhalten eine E-Mail, sobald Ihre PIN eine PIN dispositivo ist.',
  'conv.confirm.files': 'Hochgeladene Dokumente',
  'conv.done':
    'Der Antrag auf Umwandlung Nr. {number} wird bearbeitet. Innerhalb weniger Stunden sollte Ihre PIN zu einer PIN dispositivo werden: Sie erhalten eine Bestätigung per E-Mail.',
  'conv.state': 'Antrag auf Umwandlung in eine PIN dispositivo Nr. {number}: {state}',
  'conv.state.bozza': 'noch abzuschließen',
  'conv.state.in_lavorazione': 'in Bearbeitung',
  'conv.state.approvata': 'genehmigt',
  'conv.state.respinta': 'abgelehnt',
  'conv.already': 'Ihre PIN ist bereits eine PIN dispositivo.',
  'conv.pending': 'Sie haben bereits einen Antrag auf Umwandlung, der gerade bearbeitet wird (Nr. {number}).',
  'module.title': 'ANTRAG AUF UMWANDLUNG DER PIN IN EINE PIN DISPOSITIVO',
  'module.number': 'Antrag Nr. {number}',
  'module.declare':
    'Der/Die Unterfertigte beantragt, dass seine/ihre PIN für die Online-Dienste in eine PIN dispositivo umgewandelt wird, und erklärt, dass die folgenden Daten wahrheitsgetreu sind.',
  'module.citizen': 'Daten des Antragstellers/der Antragstellerin',
  'module.document': 'Beigelegtes Ausweisdokument',
  'module.placeDate': 'Ort und Datum',
  'module.signature': 'Unterschrift',
  'module.attach':
    'Eine gut lesbare Kopie des angegebenen Ausweisdokuments beilegen. Unwahre Erklärungen werden im Sinne der Art. 75 und 76 des D.P.R. 445/2000 geahndet.',
  'msg.conv.approved.subject': '{istituto} – Ihre PIN ist eine PIN dispositivo',
  'msg.conv.approved.body':
    'Sehr geehrte/r {nome} {cognome},\n\nIhr Antrag auf Umwandlung Nr. {number} wurde genehmigt: Ihre PIN ist jetzt eine PIN dispositivo. Beim nächsten Zugang können Sie auch die Dienste nutzen, die eine PIN dispositivo erfordern.\n\n{istituto} – Online-Dienste',
  'msg.conv.rejected.subject': '{istituto} – Antrag auf eine PIN dispositivo abgelehnt',
  'msg.conv.rejected.body':
    'Sehr geehrte/r {nome} {cognome},\n\nIhr Antrag auf Umwandlung Nr. {number} wurde aus folgendem Grund abgelehnt: {reason}\n\nSie können online einen neuen Antrag stellen oder sich an einen Sitz wenden.\n\n{istituto} – Online-Dienste',
};

const en: Record<keyof typeof it, string> = {
  'disp.title': 'The PIN dispositivo',
  'disp.what':
    'The PIN dispositivo gives you access to all the {istituto} online services, including transactions (submitting applications, downloading tax certificates). For consultation only, the ordinary PIN is enough.',
  'disp.ways':
    'You can convert your PIN into a PIN dispositivo online, by sending the signed form and your identity document; or by fax; or at an {istituto} office. The conversion takes place within a few hours and is confirmed to you by email.',
  'disp.convert': 'CONVERT THE PIN',
  'conv.title': 'CONVERT YOUR PIN INTO A PIN DISPOSITIVO',
  'conv.welcome': 'Welcome to the guided PIN conversion procedure.',
  'conv.intro':
    'To convert the PIN, you need to fill in the required fields on the next screen. Based on the details you enter, the procedure will produce a pre-filled form, which you must print and submit to {istituto} together with a copy of the identity document you declared.',
  'conv.channels': 'The form can be submitted in one of the following ways:',
  'conv.channel.online': 'through the online procedure;',
  'conv.channel.fax': 'by fax to the toll-free number {fax};',
  'conv.channel.sede': 'by delivering it to a local {istituto} office.',
  'conv.minors':
    'If the PIN you are asking to convert belongs to a minor or to a person who lacks, wholly or partly, the legal capacity to act, read the notes:',
  'conv.minorsLink': 'Notes for minors and persons lacking legal capacity',
  'conv.steps':
    'Instant online conversion involves the following steps: pre-filling the conversion request; downloading, printing and signing the form; scanning and uploading the signed form; uploading your identity document (identity card, driving licence or passport).',
  'conv.next': 'To continue, press the "Next" button',
  'conv.warnings.title': 'Notes for minors and persons lacking legal capacity',
  'conv.warnings.body1':
    "If the PIN belongs to a minor, the form is signed by the person exercising parental responsibility; also attach that person's identity document and a document proving the relationship (for example the birth certificate or the family status certificate).",
  'conv.warnings.body2':
    "If the PIN belongs to a person who lacks, wholly or partly, the legal capacity to act, the form is signed by the guardian, the curator or the support administrator; attach that person's identity document and the order of appointment.",
  'conv.warnings.body3': 'In these cases the request is examined by an operator, who may ask for further documents.',
  'conv.doc.title': 'Identity document',
  'conv.doc.lead': 'Enter the details of the identity document you will attach. The document must be valid.',
  'conv.module.title': 'Request form',
  'conv.module.lead':
    'Download the pre-filled form, print it, sign and date it; then scan the signed form and your identity document and upload them below (PDF, JPEG or PNG, at most {mb} MB each).',
  'conv.module.download': 'Download the form (PDF)',
  'conv.upload': 'Upload the documents',
  'conv.confirm.title': 'Confirm the request',
  'conv.confirm.lead':
    'Check the details: once you confirm, the conversion request will be sent to {istituto}. You will receive an email when your PIN has become a PIN dispositivo.',
  'conv.confirm.files': 'Uploaded documents',
  'conv.done':
    'Conversion request no. {number} is being processed. Within a few hours your PIN should become a PIN dispositivo: you will receive a confirmation email.',
  'conv.state': 'Request for conversion into a PIN dispositivo no. {number}: {state}',
  'conv.state.bozza': 'to be completed',
  'conv.state.in_lavorazione': 'being processed',
  'conv.state.approvata': 'approved',
  'conv.state.respinta': 'rejected',
  'conv.already': 'Your PIN is already a PIN dispositivo.',
  'conv.pending': 'You already have a conversion request being processed (no. {number}).',
  'module.title': 'REQUEST TO CONVERT THE PIN INTO A PIN DISPOSITIVO',
  'module.number': 'Request no. {number}',
  'module.declare':
    'The undersigned requests that their PIN for the online services be converted into a PIN dispositivo and declares that the following details are true.',
  'module.citizen': 'Applicant details',
  'module.document': 'Identity document attached',
  'module.placeDate': 'Place and date',
  'module.signature': 'Signature',
  'module.attach': 'Attach a legible copy of the identity document indicated. False declarations are punishable under Articles 75 and 76 of D.P.R. 445/2000.',
  'msg.conv.approved.subject': '{istituto} – Your PIN is now a PIN dispositivo',
  'msg.conv.approved.body':
    'Dear {nome} {cognome},\n\nConversion request no. {number} has been accepted: your PIN is now a PIN dispositivo. The next time you log in you will also be able to use the services that require a PIN dispositivo.\n\n{istituto} – Online services',
  'msg.conv.rejected.subject': '{istituto} – PIN dispositivo request rejected',
  'msg.conv.rejected.body':
    'Dear {nome} {cognome},\n\nConversion request no. {number} has not been accepted for the following reason: {reason}\n\nYou can submit a new request online or go to a local office.\n\n{istituto} – Online services',
};

export const messages: ModuleMessages = { it, de, en };

declare module '../../i18n/index.js' {
  interface Messages extends Record<keyof typeof it, string> {}
}
