import { defineModule } from '../ui/module.js';
import { messages } from './messages.js';
import { AUDIT_EVENTS } from './audit-events.js';

/**
 * Varco as OpenID Provider (issue 7): its endpoints under /oidc, its pages under /autorizza. It
 * gives the portal the origins a pending request may return to (`returnTargets`, for the CSP of
 * the forms that end there) and the access tokens of the API (`accessTokens`): modules that use
 * them declare it as a dependency.
 */
export const oidc = defineModule({
  name: 'oidc',
  messages,
  auditEvents: AUDIT_EVENTS,
  async routes(app, deps) {
    const [{ createOidcProvider }, { interactionRoutes, mountProvider, relyingPartyTargets }] = await Promise.all([
      import('./provider.js'),
      import('./routes.js'),
    ]);
    const provider = await createOidcProvider({ config: deps.config, db: deps.db, box: deps.box, sessions: deps.sessions });
    deps.accessTokens = async (value) => {
      const token = await provider.ClientCredentials.find(value);
      if (!token || token.isExpired) return undefined;
      return {
        clientId: String(token.clientId),
        scopes: String(token.scope ?? '')
          .split(' ')
          .filter(Boolean),
      };
    };
    deps.returnTargets = relyingPartyTargets(provider);
    await mountProvider(app, provider, deps);
    interactionRoutes(app, deps, provider);
  },
});
