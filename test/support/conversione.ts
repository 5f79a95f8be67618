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

/** The document form of a conversion request's first step (GET/POST /pin/dispositivo/documento). */
export type DocumentForm = Record<'tipo' | 'numero' | 'ente' | 'rilascio' | 'scadenza', string>;

/** The identity document a conversion request's first step accepts. */
export const IDENTITY_CARD: DocumentForm = {
  tipo: 'carta_identita',
  numero: 'CA12345AB',
  ente: 'Comune di Pisa',
  rilascio: '15/01/2020',
  scadenza: '15/01/2030',
};

/** A valid passport, the other document the tests enter. */
export const PASSPORT: DocumentForm = {
  tipo: 'passaporto',
  numero: 'YA1234567',
  ente: 'Questura di Roma',
  rilascio: '01/02/2021',
  scadenza: '01/02/2031',
};

/** A conversion request's first step: opens the document form and posts `doc`; returns the answer to the post. */
export async function enterDocument(client: Client, doc: DocumentForm) {
  await client.get('/pin/dispositivo/documento');
  return client.post('/pin/dispositivo/documento', doc);
}

/** The client's conversion request gets `doc` as its document and stands at the upload step. */
export async function draftWithDocument(client: Client, doc: DocumentForm = IDENTITY_CARD): Promise<Client> {
  await enterDocument(client, doc);
  await client.get('/pin/dispositivo/modulo');
  return client;
}

/** A logged-in citizen (see loggedInCitizen) whose conversion request has its document and stands at the upload step. */
export async function citizenWithDraft(t: TestApp, hasher: PinHasher) {
  const { c, client } = await loggedInCitizen(t, hasher);
  await draftWithDocument(client);
  return { c, client };
}
