import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../ui/deps.js';
import { backofficeAccessoRoutes } from './accesso/routes.js';
import { backofficeApprovazioniRoutes } from './approvazioni/routes.js';
import { backofficeCittadiniRoutes } from './cittadini/routes.js';
import { backofficeClientiRoutes } from './clienti/routes.js';
import { backofficeConversioniRoutes } from './conversioni/routes.js';
import { backofficeDomandeRoutes } from './domande/routes.js';
import { backofficeOperatoriRoutes } from './operatori/routes.js';
import { backofficeQuoteRoutes } from './quote/routes.js';
import { backofficeRichiestaRoutes } from './richiesta/routes.js';
import { backofficeReportsRoutes } from './segnalazioni/routes.js';

/**
 * The back office, one area per folder (`<area>/{routes,service,views}.ts`): the operators' login
 * (password + TOTP) and home, citizen lookup, conversion review, PIN requests by operators, the
 * four-eyes approvals, clients, COVID-19 applications, "Non sono stato io" reports, message
 * quotas and operators. Every page is behind `requireOperator` (accesso/guard.ts).
 */
export function backofficeRoutes(app: FastifyInstance, deps: AppDeps): void {
  backofficeAccessoRoutes(app, deps);
  backofficeCittadiniRoutes(app, deps);
  backofficeConversioniRoutes(app, deps);
  backofficeRichiestaRoutes(app, deps);
  backofficeApprovazioniRoutes(app, deps);
  backofficeClientiRoutes(app, deps);
  backofficeDomandeRoutes(app, deps);
  backofficeReportsRoutes(app, deps);
  backofficeQuoteRoutes(app, deps);
  backofficeOperatoriRoutes(app, deps);
}
