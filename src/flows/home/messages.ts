import type { ModuleMessages } from '../../i18n/index.js';

/** The texts of the information pages (home, the PIN page and its guide), in Italian (the seeds' labels), German and English: same keys, same order. */
const it = {
  'home.lead': "Accedi ai servizi online dell'Istituto con il tuo PIN, con SPID, CIE o CNS.",
  'home.enter': 'Entra in MyINPS',
  'home.managePin': 'Richiedi e gestisci il tuo PIN',
  'pin.title': 'Il PIN online',
  'pin.guideLink': 'Consulta come ottenere e gestire il PIN',
  'pin.needRequest': 'Devi richiedere il PIN?',
  'pin.request': 'RICHIEDI PIN',
  'pin.explain1': "Il PIN è il codice personale che ti consente di accedere ai servizi telematizzati dell'{istituto}.",
  'pin.explain2':
    "Il PIN iniziale è composto da 16 caratteri. I primi 8 ti sono inviati via SMS, email o posta elettronica certificata; i secondi 8 con posta ordinaria all'indirizzo di residenza.",
  'pin.explain3': 'Al primo utilizzo, il PIN iniziale di 16 caratteri viene sostituito con uno di 8 caratteri, da conservare per i successivi utilizzi.',
  'pin.attention': 'Attenzione:',
  'pin.explain4':
    'è possibile accedere ai servizi online {istituto} anche tramite le credenziali SPID, almeno di livello 2, la Carta di identità elettronica 3.0 (CIE) o la Carta Nazionale dei Servizi (CNS).',
  'pin.dispositivo': 'VUOI IL PIN DISPOSITIVO?',
  'pin.lost': 'HAI SMARRITO IL PIN?',
  'pin.channels': 'La richiesta del PIN può essere effettuata anche tramite il Contact Center, chiamando il numero verde {contactCenter}.',
  'pin.situation': 'IN QUALE SITUAZIONE MI TROVO?',
  'pin.situation.never': 'Non ho mai chiesto il PIN',
  'pin.situation.neverAction': 'Richiedi il PIN: la richiesta seguirà il suo iter.',
  'pin.situation.notDispositivo': 'Ho già il PIN ma non è dispositivo',
  'pin.situation.notDispositivoAction': 'Converti il PIN in PIN dispositivo.',
  'pin.situation.lost': "Ho già il PIN ma l'ho smarrito",
  'pin.situation.lostAction': 'Occorre eseguire la procedura di ripristino.',
  'pin.situation.lostInitial': 'Ho smarrito il PIN iniziale (16 caratteri) o non ho più i recapiti forniti',
  'pin.situation.lostInitialAction': 'Revoca il PIN con la tessera sanitaria e richiedine uno nuovo, o recati presso una sede.',
  'pin.situation.go': 'Vai',
  'home.welcome': 'Benvenuto/a, {nome} {cognome}',
  'pin.typeHint': 'Puoi scriverlo con o senza spazi o trattini, in maiuscolo o minuscolo.',
};

const de: Record<keyof typeof it, string> = {
  'home.lead': 'Greifen Sie mit Ihrer PIN, mit SPID, CIE oder CNS auf die Online-Dienste des Instituts zu.',
  'home.enter': 'MyINPS betreten',
  'home.managePin': 'Ihre PIN beantragen und verwalten',
  'pin.title': 'Die PIN online',
  'pin.guideLink': 'So erhalten und verwalten Sie die PIN',
  'pin.needRequest': 'Müssen Sie eine PIN beantragen?',
  'pin.request': 'PIN BEANTRAGEN',
  'pin.explain1': 'Die PIN ist der persönliche Code, mit dem Sie auf die telematischen Dienste des {istituto} zugreifen können.',
  'pin.explain2':
    'Die Erst-PIN besteht aus 16 Zeichen. Die ersten 8 Zeichen erhalten Sie per SMS, E-Mail oder PEC (zertifizierte E-Mail), die zweiten 8 Zeichen mit gewöhnlicher Post an Ihre Wohnsitzadresse.',
  'pin.explain3': 'Bei der ersten Verwendung wird die 16-stellige Erst-PIN durch eine 8-stellige PIN ersetzt, die Sie für alle weiteren Zugriffe aufbewahren.',
  'pin.attention': 'Achtung:',
  'pin.explain4':
    'Sie können auf die Online-Dienste des {istituto} auch mit SPID-Zugangsdaten mindestens der Stufe 2, mit der elektronischen Identitätskarte 3.0 (CIE) oder mit der Bürgerkarte (Carta Nazionale dei Servizi, CNS) zugreifen.',
  'pin.dispositivo': 'MÖCHTEN SIE DIE PIN DISPOSITIVO?',
  'pin.lost': 'HABEN SIE IHRE PIN VERLOREN?',
  'pin.channels': 'Die PIN kann auch über das Contact Center unter der gebührenfreien Nummer {contactCenter} beantragt werden.',
  'pin.situation': 'IN WELCHER SITUATION BEFINDE ICH MICH?',
  'pin.situation.never': 'Ich habe noch nie eine PIN beantragt',
  'pin.situation.neverAction': 'Beantragen Sie die PIN: Ihr Antrag wird dann bearbeitet.',
  'pin.situation.notDispositivo': 'Ich habe bereits eine PIN, aber keine PIN dispositivo',
  'pin.situation.notDispositivoAction': 'Wandeln Sie Ihre PIN in eine PIN dispositivo um.',
  'pin.situation.lost': 'Ich habe bereits eine PIN, habe sie aber verloren',
  'pin.situation.lostAction': 'Sie müssen das Verfahren zur Wiederherstellung durchführen.',
  'pin.situation.lostInitial': 'Ich habe die Erst-PIN (16 Zeichen) verloren oder verfüge nicht mehr über die angegebenen Kontaktdaten',
  'pin.situation.lostInitialAction':
    'Widerrufen Sie die PIN mit der Gesundheitskarte (Tessera Sanitaria) und beantragen Sie eine neue, oder wenden Sie sich an eine Dienststelle.',
  'pin.situation.go': 'Weiter',
  'home.welcome': 'Willkommen, {nome} {cognome}',
  'pin.typeHint': 'Sie können die PIN mit oder ohne Leerzeichen oder Bindestriche eingeben, in Groß- oder Kleinbuchstaben.',
};

const en: Record<keyof typeof it, string> = {
  'home.lead': "Access the Institute's online services with your PIN, SPID, CIE or CNS.",
  'home.enter': 'Enter MyINPS',
  'home.managePin': 'Request and manage your PIN',
  'pin.title': 'The online PIN',
  'pin.guideLink': 'Find out how to obtain and manage the PIN',
  'pin.needRequest': 'Do you need to request a PIN?',
  'pin.request': 'REQUEST PIN',
  'pin.explain1': 'The PIN is the personal code that gives you access to the {istituto} online services.',
  'pin.explain2':
    'The initial PIN is 16 characters long. The first 8 are sent to you by SMS, email or PEC (certified email); the second 8 by ordinary post to your residential address.',
  'pin.explain3': 'The first time you use it, the 16-character initial PIN is replaced with an 8-character PIN, which you keep for all later use.',
  'pin.attention': 'Please note:',
  'pin.explain4':
    'you can also access the {istituto} online services with SPID credentials of at least level 2, the electronic identity card 3.0 (CIE) or the National Services Card (CNS).',
  'pin.dispositivo': 'DO YOU WANT THE PIN DISPOSITIVO?',
  'pin.lost': 'HAVE YOU LOST YOUR PIN?',
  'pin.channels': 'You can also request the PIN through the Contact Center by calling the toll-free number {contactCenter}.',
  'pin.situation': 'WHICH SITUATION AM I IN?',
  'pin.situation.never': 'I have never requested a PIN',
  'pin.situation.neverAction': 'Request the PIN: your request will then be processed.',
  'pin.situation.notDispositivo': 'I already have a PIN but it is not a PIN dispositivo',
  'pin.situation.notDispositivoAction': 'Convert your PIN into a PIN dispositivo.',
  'pin.situation.lost': 'I already have a PIN but I have lost it',
  'pin.situation.lostAction': 'You need to carry out the recovery procedure.',
  'pin.situation.lostInitial': 'I have lost the initial PIN (16 characters) or no longer have the contact details I provided',
  'pin.situation.lostInitialAction': 'Revoke the PIN with your health insurance card (Tessera Sanitaria) and request a new one, or go to an office.',
  'pin.situation.go': 'Go',
  'home.welcome': 'Welcome, {nome} {cognome}',
  'pin.typeHint': 'You can type it with or without spaces or dashes, in upper or lower case.',
};

export const messages: ModuleMessages = { it, de, en };

declare module '../../i18n/index.js' {
  interface Messages extends Record<keyof typeof it, string> {}
}
