import type { ServiceDefinition } from '../../catalog/registry.js';

export const services: ServiceDefinition[] = [
  { id: 'ripristino-pin', kind: 'servizio', level: 'public', entry: '/pin/ripristino', keywords: ['pin smarrito', 'recupero pin', 'hai smarrito il pin'] },
];
