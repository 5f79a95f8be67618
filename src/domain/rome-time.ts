/**
 * Dates as they are in Italy (Europe/Rome), whatever the server's zone. One formatter each for
 * the process: building an Intl formatter per call costs more than the page around it.
 */
const DATE_TIME = new Intl.DateTimeFormat('it-IT', {
  timeZone: 'Europe/Rome',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const ISO_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' });

/** 'GG/MM/AAAA HH:MM:SS' in Rome. */
export function formatRome(date: Date): string {
  return DATE_TIME.format(date).replace(',', '');
}

/** 'GG/MM/AAAA HH:MM' in Rome (lists, where the seconds are noise). */
export function formatRomeMinutes(date: Date): string {
  return formatRome(date).slice(0, 16);
}

/** The calendar day in Rome as 'YYYY-MM-DD' (at 00:30 in Rome it is already tomorrow there). */
export function romeDate(date: Date): string {
  return ISO_DAY.format(date);
}

/** The year in Rome. */
export function romeYear(date: Date): string {
  return romeDate(date).slice(0, 4);
}
