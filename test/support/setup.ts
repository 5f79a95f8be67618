// Every test file: the outbox templates of every module are registered, as in the portal and the worker
// (tests render messages directly, without buildApp or the worker's runtime).
import { installTemplates } from '../../src/server/templates.js';

installTemplates();
