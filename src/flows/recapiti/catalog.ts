import type { ServiceDefinition } from '../../catalog/registry.js';

export const services: ServiceDefinition[] = [
  { id: 'recapiti', kind: 'servizio', level: 'ordinario', entry: '/profilo/recapiti', keywords: ['cellulare', 'email', 'pec', 'contatti'] },
];
