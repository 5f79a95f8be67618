import type { ServiceDefinition } from '../../catalog/registry.js';

export const services: ServiceDefinition[] = [
  {
    id: 'certificati',
    kind: 'servizio',
    level: 'ordinario',
    entry: '/certificati-malattia',
    keywords: ['certificato medico', 'malattia', 'invio con sms', 'invio con pec', 'protocollo certificato', 'krankmeldung', 'sick note'],
  },
];
