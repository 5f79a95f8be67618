import { expect } from 'vitest';
import type { Client } from './app.js';
import type { FormCitizen } from './citizens.js';

/** The web PIN request (seed 001) from its first step to the summary ("Riepilogo"); the first step's answer when it refuses. */
export async function requestToSummary(client: Client, c: FormCitizen, form: Record<string, string> = c.form) {
  await client.get('/pin/richiesta');
  const step1 = await client.post('/pin/richiesta', { codiceFiscale: c.codiceFiscale, residenza: c.residenza });
  if (step1.statusCode !== 303) return step1;
  await client.follow(step1);
  const step2 = await client.post('/pin/richiesta/dati', { ...form, azione: 'avanti' });
  expect(step2.statusCode, /id="error-summary"[\s\S]*?<\/div>/.exec(step2.body)?.[0]).toBe(303);
  return client.follow(step2);
}

/** The web request from the first step to CONFERMA; returns the last page. */
export async function webRequest(client: Client, c: FormCitizen, form: Record<string, string> = c.form) {
  const summary = await requestToSummary(client, c, form);
  if (summary.statusCode !== 200) return summary;
  const confirm = await client.post('/pin/richiesta/riepilogo', { azione: 'conferma' });
  return confirm.statusCode === 303 ? client.follow(confirm) : confirm;
}
