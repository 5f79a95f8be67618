import { defineModule } from '../../ui/module.js';
import { messages } from './messages.js';

/** The citizen's contacts, verified with a code. */
export const recapitiModule = defineModule({
  name: 'recapiti',
  messages,
  async routes(app, deps) {
    // Loaded when the portal starts, not by every process that only needs the texts.
    const { recapitiRoutes } = await import('./routes.js');
    await recapitiRoutes(app, deps);
  },
});
