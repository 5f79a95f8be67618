import type { ServiceDefinition } from '../../catalog/registry.js';

export const services: ServiceDefinition[] = [
  { id: 'revoca-pin', kind: 'servizio', level: 'public', entry: '/pin/revoca', keywords: ['annullare pin', 'tessera sanitaria'] },
];
