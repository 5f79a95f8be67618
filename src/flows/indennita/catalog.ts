import type { ServiceDefinition } from '../../catalog/registry.js';

/** Opened to PIN semplificato on purpose (R6, R18: messaggio INPS 1381 of 26 March 2020). */
export const services: ServiceDefinition[] = [
  {
    id: 'indennita',
    kind: 'servizio',
    level: 'semplificato',
    opensToSemplificato: true,
    entry: '/prestazioni',
    keywords: [
      'domande per prestazioni a sostegno del reddito',
      'indennità covid-19',
      'bonus 600 euro',
      'bonus baby-sitting',
      'cura italia',
      'partita iva',
      'stagionali',
      'spettacolo',
      'agricoli',
      'le mie domande',
      'corona',
    ],
  },
];
