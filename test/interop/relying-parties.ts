import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';

const HERE = path.dirname(new URL(import.meta.url).pathname);

export interface Relying {
  url: string;
  output: () => string;
  close(): Promise<void>;
}

/** Waits until the child answers at `url` (any status), or fails with what it printed. */
async function answering(child: ChildProcess, url: string, out: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the relying party exited: ${out()}`);
    if (
      await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5_000) }).then(
        () => true,
        () => false,
      )
    )
      return;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${url}: the relying party did not start: ${out()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function stopper(child: ChildProcess): () => Promise<void> {
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    // A child that does not stop on SIGTERM is killed: afterAll never hangs on it.
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
}

/**
 * Debian's Apache with Debian's mod_auth_openidc as the relying party: /protected/ is a CGI that
 * shows the claims mod_auth_openidc received; /loggedout is where RP-initiated logout ends.
 */
export async function startApacheRp(o: { port: number; issuer: string; clientId: string; clientSecret: string; scope: string }): Promise<Relying> {
  // Readable by the unprivileged user Apache's children run as.
  const dir = mkdtempSync(path.join(tmpdir(), 'varco-apache-'));
  chmodSync(dir, 0o755);
  copyFileSync(path.join(HERE, 'claims.cgi'), path.join(dir, 'claims.cgi'));
  chmodSync(path.join(dir, 'claims.cgi'), 0o755);
  copyFileSync(path.join(HERE, 'loggedout.html'), path.join(dir, 'loggedout.html'));
  const url = `http://127.0.0.1:${o.port}`;
  const asRoot = process.getuid?.() === 0;
  const conf = `
ServerRoot /usr/lib/apache2
ServerName 127.0.0.1
Listen 127.0.0.1:${o.port}
PidFile ${dir}/httpd.pid
ErrorLog ${dir}/error.log
LogLevel warn auth_openidc:info
DefaultRuntimeDir ${dir}
Mutex file:${dir} default
LoadModule mpm_prefork_module modules/mod_mpm_prefork.so
LoadModule authz_core_module modules/mod_authz_core.so
LoadModule authn_core_module modules/mod_authn_core.so
LoadModule authz_user_module modules/mod_authz_user.so
LoadModule alias_module modules/mod_alias.so
LoadModule mime_module modules/mod_mime.so
LoadModule cgi_module modules/mod_cgi.so
LoadModule auth_openidc_module modules/mod_auth_openidc.so
${asRoot ? 'User nobody\nGroup nogroup' : ''}
TypesConfig /etc/mime.types
DocumentRoot ${dir}
StartServers 2

OIDCProviderMetadataURL ${o.issuer}/.well-known/openid-configuration
OIDCClientID ${o.clientId}
OIDCClientSecret ${o.clientSecret}
OIDCRedirectURI ${url}/protected/redirect_uri
OIDCCryptoPassphrase ${randomBytes(24).toString('hex')}
OIDCPKCEMethod S256
OIDCScope "${o.scope}"
OIDCProviderTokenEndpointAuth client_secret_basic

ScriptAlias /protected/ ${dir}/claims.cgi/
<Location /protected/>
  AuthType openid-connect
  Require valid-user
</Location>
Alias /loggedout ${dir}/loggedout.html
<Location /loggedout>
  ForceType text/html
  Require all granted
</Location>
`;
  const confPath = path.join(dir, 'httpd.conf');
  writeFileSync(confPath, conf);
  const env = { ...process.env, APACHE_RUN_DIR: dir, APACHE_LOCK_DIR: dir, APACHE_LOG_DIR: dir, APACHE_PID_FILE: `${dir}/httpd.pid` };
  let out = '';
  const errorLog = () => {
    try {
      return readFileSync(path.join(dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const child = spawn(
    '/usr/sbin/apache2',
    ['-f', confPath, '-DFOREGROUND'],
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true } /* its own process group: Apache signals its group when it stops */,
  );
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const output = () => `${out}\n${errorLog()}`;
  const stop = stopper(child);
  await answering(child, `${url}/loggedout`, output).catch(async (e) => {
    await stop();
    throw e;
  });
  return {
    url,
    output,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Flask + Authlib (test/interop/authlib_rp.py) with Debian's /usr/bin/python3. */
export async function startAuthlibRp(o: { port: number; issuer: string; clientId: string; clientSecret: string }): Promise<Relying> {
  const url = `http://127.0.0.1:${o.port}`;
  let out = '';
  const child = spawn('/usr/bin/python3', [path.join(HERE, 'authlib_rp.py')], {
    env: {
      PATH: '/usr/bin:/bin',
      HOME: tmpdir(),
      VARCO_ISSUER: o.issuer,
      RP_CLIENT_ID: o.clientId,
      RP_CLIENT_SECRET: o.clientSecret,
      RP_PORT: String(o.port),
      AUTHLIB_INSECURE_TRANSPORT: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await answering(child, `${url}/healthz`, () => out);
  return { url, output: () => out, close: stopper(child) };
}
