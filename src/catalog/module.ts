import { defineModule } from '../ui/module.js';
import { messages } from './messages.js';

/** R19: the catalogue of services. */
export const catalogModule = defineModule({
  name: 'catalog',
  messages,
  async routes(app, deps) {
    // Loaded when the portal starts, not by every process that only needs the texts.
    const { catalogRoutes } = await import('./routes.js');
    await catalogRoutes(app, deps);
  },
});
