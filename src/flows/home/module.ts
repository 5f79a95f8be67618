import { defineModule } from '../../ui/module.js';
import { messages } from './messages.js';

/** The information pages of the seeds: home, the PIN page and its guide. */
export const homeModule = defineModule({
  name: 'home',
  messages,
  async routes(app, deps) {
    // Loaded when the portal starts, not by every process that only needs the texts.
    const { pageRoutes } = await import('./routes.js');
    await pageRoutes(app, deps);
  },
});
