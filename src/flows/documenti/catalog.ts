import type { ServiceDefinition } from '../../catalog/registry.js';

export const services: ServiceDefinition[] = [
  {
    id: 'documenti',
    kind: 'servizio',
    level: 'dispositivo',
    entry: '/documenti',
    keywords: ['cu', 'certificazione unica', 'certificazioni fiscali', 'modello cu'],
  },
];
