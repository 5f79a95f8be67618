import type { ServiceDefinition } from '../../catalog/registry.js';

export const services: ServiceDefinition[] = [
  { id: 'profilo', kind: 'servizio', level: 'semplificato', entry: '/profilo', keywords: ['modifica pin', 'ultimo accesso', 'anagrafica'] },
];
