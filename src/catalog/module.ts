import { defineModule, lazyRoutes } from '../ui/module.js';
import { messages } from './messages.js';

const routes = lazyRoutes(() => import('./routes.js'), 'catalogRoutes');

/** R19: the catalogue of services. */
export const catalog = defineModule({ name: 'catalog', messages, routes });
