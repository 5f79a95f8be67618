import type { ServiceDefinition } from '../../catalog/registry.js';

export const services: ServiceDefinition[] = [
  { id: 'accesso', kind: 'pagina', level: 'public', entry: '/accedi', keywords: ['entra in myinps', 'login', 'accedi'] },
];
