import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** openssl's date format for `openssl ca -startdate/-enddate`. */
const asn1 = (d: Date) => `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

const CONFIG = (dir: string) => `
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = ${dir}
database = $dir/index.txt
new_certs_dir = $dir
certificate = $dir/ca.pem
private_key = $dir/ca.key
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sha256
default_crl_days = 30
policy = anything
unique_subject = no
preserve = yes
copy_extensions = copy
[ anything ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
surname = optional
givenName = optional
serialNumber = optional
dnQualifier = optional
commonName = supplied
[ client_ext ]
basicConstraints = CA:FALSE
keyUsage = digitalSignature
extendedKeyUsage = clientAuth
[ server_ext ]
basicConstraints = CA:FALSE
keyUsage = digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
[ req ]
distinguished_name = dn
[ dn ]
`;

export interface Issued {
  cert: string;
  key: string;
  certPath: string;
  keyPath: string;
}

/**
 * A certification authority for the CNS tests, run with Debian's openssl: client certificates
 * as CNS cards carry them (codice fiscale in serialNumber and in the CN), expired ones, revoked
 * ones listed in a CRL, and a server certificate for the loopback.
 */
export function createTestCa(name: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'varco-pki-'));
  const cnf = path.join(dir, 'openssl.cnf');
  writeFileSync(cnf, CONFIG(dir));
  writeFileSync(path.join(dir, 'index.txt'), '');
  writeFileSync(path.join(dir, 'serial'), '1000\n');
  writeFileSync(path.join(dir, 'crlnumber'), '1000\n');
  const ssl = (...args: string[]) => execFileSync('/usr/bin/openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  /** `openssl req` options: a new unencrypted P-256 key, written to `keyFile`. */
  const newP256Key = (keyFile: string) => ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile];
  ssl(
    'req',
    '-x509',
    ...newP256Key('ca.key'),
    '-out',
    'ca.pem',
    '-days',
    '3650',
    '-subj',
    `/C=IT/O=${name}/CN=${name} CA`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  let n = 0;

  const issue = (subject: string, o: { ext?: 'client_ext' | 'server_ext'; notBefore?: Date; notAfter?: Date } = {}): Issued => {
    const base = `cert${++n}`;
    ssl('req', '-new', ...newP256Key(`${base}.key`), '-out', `${base}.csr`, '-subj', subject, '-multivalue-rdn');
    ssl(
      'ca',
      '-batch',
      '-config',
      cnf,
      '-in',
      `${base}.csr`,
      '-out',
      `${base}.pem`,
      '-notext',
      '-extensions',
      o.ext ?? 'client_ext',
      '-startdate',
      asn1(o.notBefore ?? new Date(Date.now() - 86_400_000)),
      '-enddate',
      asn1(o.notAfter ?? new Date(Date.now() + 365 * 86_400_000)),
    );
    const certPath = path.join(dir, `${base}.pem`);
    const keyPath = path.join(dir, `${base}.key`);
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), certPath, keyPath };
  };

  return {
    dir,
    caPath: path.join(dir, 'ca.pem'),
    caPem: () => readFileSync(path.join(dir, 'ca.pem'), 'utf8'),
    /** A CNS-like client certificate for this codice fiscale. */
    cns: (cf: string, o: { notBefore?: Date; notAfter?: Date; surname?: string; given?: string } = {}) =>
      issue(
        `/C=IT/O=${name}/OU=Carta Nazionale dei Servizi/SN=${o.surname ?? 'ROSSI'}/GN=${o.given ?? 'MARIO'}/serialNumber=IT:${cf}/CN=${cf}\\/7420091000049623.FmN9ssIvj2FK6Fv0mh=`,
        o,
      ),
    /** Any client certificate with this subject. */
    client: (subject: string) => issue(subject),
    server: () => issue('/CN=127.0.0.1', { ext: 'server_ext' }),
    /** Revokes the certificate and writes the CRL; returns the CRL's path. */
    revoke: (issued: Issued): string => {
      ssl('ca', '-config', cnf, '-revoke', issued.certPath);
      return crl();
    },
    /** The CRL; `expired`: one whose next update was due yesterday. */
    crl: (o: { expired?: boolean } = {}) => crl(o.expired),
  };

  function crl(expired = false): string {
    const out = path.join(dir, expired ? 'crl-expired.pem' : 'crl.pem');
    const day = 86_400_000;
    ssl(
      'ca',
      '-config',
      cnf,
      '-gencrl',
      '-out',
      out,
      ...(expired ? ['-crl_lastupdate', asn1(new Date(Date.now() - 2 * day)), '-crl_nextupdate', asn1(new Date(Date.now() - day))] : []),
    );
    return out;
  }
}
