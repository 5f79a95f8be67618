import type { ServiceDefinition } from '../../catalog/registry.js';

export const services: ServiceDefinition[] = [
  {
    id: 'conversione-pin',
    kind: 'servizio',
    level: 'ordinario',
    entry: '/pin/dispositivo/converti',
    keywords: ['pin dispositivo', 'vuoi il pin dispositivo', 'converti il pin'],
  },
];
