#!/usr/bin/env node
// The README's test command: checks the prerequisites (Debian's chromium, PostgreSQL 15 binaries),
// installs them with apt-get when it can (root), else stops with the exact command to run;
// then type-checks and runs the whole suite. Never a silent skip.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PG_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/local/bin', '/usr/bin'];
const missing = [];
if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
// The CNS tests issue a CA, client certificates and a CRL with Debian's openssl.
if (!existsSync('/usr/bin/openssl')) missing.push('openssl');
const pgBin = PG_DIRS.find((d) => existsSync(`${d}/initdb`) && existsSync(`${d}/pg_ctl`) && existsSync(`${d}/postgres`));
if (!pgBin) missing.push('postgresql-15');
// Two relying parties written by others, from Debian's packages (issue 13): Apache's
// mod_auth_openidc and a Flask application on Authlib, run against `varco serve` in Chromium.
if (!existsSync('/usr/sbin/apache2')) missing.push('apache2');
if (!existsSync('/usr/lib/apache2/modules/mod_auth_openidc.so')) missing.push('libapache2-mod-auth-openidc');
const debianPython = (mod) => existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', ['-c', `import ${mod}`], { stdio: 'ignore' }).status === 0;
if (!debianPython('authlib')) missing.push('python3-authlib');
if (!debianPython('flask')) missing.push('python3-flask');
if (!debianPython('requests')) missing.push('python3-requests');
// AgID's validator (npm run check:spid-oidc, issue 15): its better-sqlite3 compiles from source (node-gyp).
if (!existsSync('/usr/bin/make') || !existsSync('/usr/bin/g++')) missing.push('build-essential');
if (!existsSync('/usr/bin/python3')) missing.push('python3');

if (missing.length) {
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(`Missing prerequisites: ${missing.join(', ')}.\nRun as root:\n  sudo sh -c '${command}'\nthen run npm test again.`);
    process.exit(1);
  }
  console.log(`Installing prerequisites: ${missing.join(', ')}`);
  const r = spawnSync('sh', ['-c', command], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) {
    console.error(`Could not install ${missing.join(', ')}. Run:\n  ${command}`);
    process.exit(1);
  }
}
const bin = PG_DIRS.find((d) => existsSync(`${d}/initdb`) && existsSync(`${d}/pg_ctl`) && existsSync(`${d}/postgres`));
if (!bin) {
  console.error('PostgreSQL binaries (initdb, pg_ctl, postgres) still not found in ' + PG_DIRS.join(', '));
  process.exit(1);
}
console.log(`openssl: ${execFileSync('/usr/bin/openssl', ['version']).toString().trim()}`);
console.log(`chromium: ${execFileSync('/usr/bin/chromium', ['--version']).toString().trim()}`);
console.log(`postgresql: ${execFileSync(`${bin}/postgres`, ['--version']).toString().trim()} (${bin})`);

const env = { ...process.env, VARCO_TEST_PG_BIN: bin };
const steps = [
  ['npx', ['tsc', '--noEmit', '-p', '.']],
  // The structure's rules (docs/architecture.md) and the one format: a violation fails the run.
  ['npx', ['eslint', '.']],
  ['npx', ['prettier', '--check', '.']],
  ['npx', ['vitest', 'run', ...process.argv.slice(2)]],
  // The whole suite ends with AgID's SPID OIDC validator against `varco serve` (docs/spid-oidc-check.md);
  // a run of chosen test files (`npm test -- test/x.test.ts`) leaves it out.
  ...(process.argv.length > 2 ? [] : [['npm', ['run', 'check:spid-oidc']]]),
];
for (const [cmd, args] of steps) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
