import type { ModuleMessages } from '../i18n/index.js';

/** The texts of the OpenID Provider, in Italian (the seeds' labels), German and English: same keys, same order. */
const it = {
  'oidc.claim.fiscal_number': 'codice fiscale',
  'oidc.claim.given_name': 'nome',
  'oidc.claim.family_name': 'cognome',
  'oidc.claim.birthdate': 'data di nascita',
  'oidc.claim.email': 'indirizzo email',
  'oidc.claim.phone_number': 'numero di cellulare',
  'oidc.scope.profile': 'Dati anagrafici',
  'oidc.scope.email': 'Email',
  'oidc.scope.phone': 'Cellulare',
  'oidc.consent.title': "Autorizzazione all'accesso",
  'oidc.consent.lead': "Il servizio «{client}» chiede di riconoscerti con le tue credenziali dell'Istituto.",
  'oidc.consent.level': 'Il servizio riceverà il livello del tuo accesso: {level}.',
  'oidc.consent.legend': 'Dati che il servizio riceverà',
  'oidc.consent.always':
    'Il servizio riceve sempre un identificativo che ti distingue e il livello di autenticazione. Puoi togliere i dati che non vuoi trasmettere.',
  'oidc.consent.allow': 'Autorizza',
  'oidc.consent.deny': 'Nega',
  'oidc.stepUp.title': 'Livello di autenticazione insufficiente',
  'oidc.stepUp.body': "Il servizio «{client}» richiede un accesso di livello «{required}»: hai effettuato l'accesso con «{current}».",
  'oidc.stepUp.login': 'Accedi di nuovo',
  'oidc.stepUp.cancel': 'Torna al servizio senza accedere',
  'oidc.logout.title': 'Uscita dai servizi',
  'oidc.logout.body': "Un servizio collegato chiede di chiudere la tua sessione. Vuoi uscire anche dal portale dell'Istituto?",
  'oidc.logout.yes': 'Sì, esci',
  'oidc.logout.no': 'No, resta collegato',
  'oidc.logout.done': 'Sei uscito dai servizi online',
  'oidc.error.title': 'Richiesta di accesso non valida',
  'oidc.error.body': 'Il servizio che ti ha inviato qui ha fatto una richiesta che non può essere accolta. Torna al servizio e riprova.',
  'oidc.error.detail': 'Dettaglio tecnico',
  'oidc.error.expired': 'la richiesta è scaduta o è già stata completata',
};

const de: Record<keyof typeof it, string> = {
  'oidc.claim.fiscal_number': 'Steuernummer',
  'oidc.claim.given_name': 'Vorname',
  'oidc.claim.family_name': 'Nachname',
  'oidc.claim.birthdate': 'Geburtsdatum',
  'oidc.claim.email': 'E-Mail-Adresse',
  'oidc.claim.phone_number': 'Mobilfunknummer',
  'oidc.scope.profile': 'Personenbezogene Daten',
  'oidc.scope.email': 'E-Mail',
  'oidc.scope.phone': 'Mobiltelefon',
  'oidc.consent.title': 'Zugriffsberechtigung',
  'oidc.consent.lead': 'Der Dienst „{client}“ möchte Sie anhand Ihrer Zugangsdaten des Instituts identifizieren.',
  'oidc.consent.level': 'Der Dienst erhält die Stufe Ihrer Anmeldung: {level}.',
  'oidc.consent.legend': 'Daten, die der Dienst erhält',
  'oidc.consent.always':
    'Der Dienst erhält immer eine Kennung, die Sie eindeutig unterscheidet, sowie die Authentifizierungsstufe. Sie können die Daten abwählen, die Sie nicht übermitteln möchten.',
  'oidc.consent.allow': 'Zulassen',
  'oidc.consent.deny': 'Ablehnen',
  'oidc.stepUp.title': 'Unzureichende Authentifizierungsstufe',
  'oidc.stepUp.body': 'Der Dienst „{client}“ verlangt eine Anmeldung der Stufe „{required}“: Sie haben sich mit „{current}“ angemeldet.',
  'oidc.stepUp.login': 'Erneut anmelden',
  'oidc.stepUp.cancel': 'Ohne Anmeldung zum Dienst zurückkehren',
  'oidc.logout.title': 'Abmeldung von den Diensten',
  'oidc.logout.body': 'Ein verbundener Dienst möchte Ihre Sitzung beenden. Möchten Sie sich auch vom Portal des Instituts abmelden?',
  'oidc.logout.yes': 'Ja, abmelden',
  'oidc.logout.no': 'Nein, angemeldet bleiben',
  'oidc.logout.done': 'Sie haben sich von den Online-Diensten abgemeldet',
  'oidc.error.title': 'Ungültige Zugriffsanfrage',
  'oidc.error.body':
    'Der Dienst, der Sie hierher weitergeleitet hat, hat eine Anfrage gestellt, die nicht bearbeitet werden kann. Kehren Sie zum Dienst zurück und versuchen Sie es erneut.',
  'oidc.error.detail': 'Technische Details',
  'oidc.error.expired': 'die Anfrage ist abgelaufen oder wurde bereits abgeschlossen',
};

const en: Record<keyof typeof it, string> = {
  'oidc.claim.fiscal_number': 'tax code',
  'oidc.claim.given_name': 'first name',
  'oidc.claim.family_name': 'surname',
  'oidc.claim.birthdate': 'date of birth',
  'oidc.claim.email': 'email address',
  'oidc.claim.phone_number': 'mobile number',
  'oidc.scope.profile': 'Personal details',
  'oidc.scope.email': 'Email',
  'oidc.scope.phone': 'Mobile phone',
  'oidc.consent.title': 'Access authorisation',
  'oidc.consent.lead': 'The service “{client}” asks to identify you with your Institute credentials.',
  'oidc.consent.level': 'The service will receive the level of your sign-in: {level}.',
  'oidc.consent.legend': 'Data the service will receive',
  'oidc.consent.always':
    'The service always receives an identifier that distinguishes you and the authentication level. You can remove the data you do not want to share.',
  'oidc.consent.allow': 'Allow',
  'oidc.consent.deny': 'Deny',
  'oidc.stepUp.title': 'Authentication level too low',
  'oidc.stepUp.body': 'The service “{client}” requires a sign-in of level “{required}”: you signed in with “{current}”.',
  'oidc.stepUp.login': 'Sign in again',
  'oidc.stepUp.cancel': 'Return to the service without signing in',
  'oidc.logout.title': 'Signing out of the services',
  'oidc.logout.body': "A connected service asks to end your session. Do you also want to sign out of the Institute's portal?",
  'oidc.logout.yes': 'Yes, sign out',
  'oidc.logout.no': 'No, stay signed in',
  'oidc.logout.done': 'You have signed out of the online services',
  'oidc.error.title': 'Invalid access request',
  'oidc.error.body': 'The service that sent you here made a request that cannot be accepted. Go back to the service and try again.',
  'oidc.error.detail': 'Technical details',
  'oidc.error.expired': 'the request has expired or has already been completed',
};

export const messages: ModuleMessages = { it, de, en };

declare module '../i18n/index.js' {
  interface Messages extends Record<keyof typeof it, string> {}
}
