import { defineModule } from '../../ui/module.js';
import { messages } from './messages.js';

/** R14: a PIN revoked. */
export const revocaModule = defineModule({
  name: 'revoca',
  messages,
  async routes(app, deps) {
    // Loaded when the portal starts, not by every process that only needs the texts.
    const { revocaRoutes } = await import('./routes.js');
    await revocaRoutes(app, deps);
  },
});
