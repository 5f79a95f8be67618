import type { PinHasher } from '../../src/security/hasher.js';
import type { Client, TestApp } from './app.js';
import { loggedInCitizen } from './pins.js';

/** A file of a multipart form: its name, its declared type and its bytes. */
export interface UploadFile {
  name: string;
  type: string;
  data: Buffer;
}

/** A multipart/form-data body with the given fields and files. */
export function multipart(fields: Record<string, string>, files: Record<string, UploadFile>) {
  const boundary = '----varco-test-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const [k, f] of Object.entries(files)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`),
      f.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** R15: posts the signed module and the identity document scans, with the client's session and CSRF token. */
export function uploadScans(t: TestApp, client: Client, files: Record<string, UploadFile>) {
  const { payload, contentType } = multipart({ _csrf: client.csrf() }, files);
  return t.app.inject({ method: 'POST', url: '/pin/dispositivo/modulo', payload, headers: { 'content-type': contentType, cookie: client.cookieHeader() } });
}

/** The identity document a conversion request's first step accepts. */
export const IDENTITY_CARD = {
  tipo: 'carta_identita',
  numero: 'CA12345AB',
  ente: 'Comune di Pisa',
  rilascio: '15/01/2020',
  scadenza: '15/01/2030',
};

/** A logged-in citizen (see loggedInCitizen) whose conversion request has its document and stands at the upload step. */
export async function citizenWithDraft(t: TestApp, hasher: PinHasher) {
  const { c, client } = await loggedInCitizen(t, hasher);
  await client.get('/pin/dispositivo/documento');
  await client.post('/pin/dispositivo/documento', IDENTITY_CARD);
  await client.get('/pin/dispositivo/modulo');
  return { c, client };
}
