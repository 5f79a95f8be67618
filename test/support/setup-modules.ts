// Every test file: the modules' texts and migrations, as every process of the portal has them
// (src/server/modules.ts); views and messages rendered directly need them too.
import { installModules } from '../../src/server/modules.js';

installModules();
