import type { ServiceDefinition } from '../../catalog/registry.js';

export const services: ServiceDefinition[] = [
  { id: 'richiesta-pin', kind: 'servizio', level: 'public', entry: '/pin/richiesta', keywords: ['richiesta pin on line', 'nuovo pin'] },
  { id: 'pin-info', kind: 'pagina', level: 'public', entry: '/pin', keywords: ['il pin online', 'gestire il pin'] },
];
