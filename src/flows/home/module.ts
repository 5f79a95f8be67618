import { defineModule, lazyRoutes } from '../../ui/module.js';
import { messages } from './messages.js';

const routes = lazyRoutes(() => import('./routes.js'), 'pageRoutes');

/** The information pages of the seeds: home, the PIN page and its guide. */
export const home = defineModule({ name: 'home', messages, routes });
