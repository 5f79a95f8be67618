import { defineModule } from '../../ui/module.js';
import { messages } from './messages.js';

/** R20, R21: the COVID-19 indemnity. */
export const indennitaModule = defineModule({
  name: 'indennita',
  messages,
  async routes(app, deps) {
    // Loaded when the portal starts, not by every process that only needs the texts.
    const { indennitaRoutes } = await import('./routes.js');
    await indennitaRoutes(app, deps);
  },
});
