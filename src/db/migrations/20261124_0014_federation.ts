import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Issue 7: a session may come from SPID, CIE or CNS, with no PIN behind it.
  await sql`alter table sessions alter column credential_id drop not null`.execute(db);
  await sql`alter table sessions add column auth_method text not null default 'pin' check (auth_method in ('pin', 'spid', 'cie', 'cns'))`.execute(db);
  // The identity provider (SPID/CIE) or certificate issuer (CNS) that vouched for the citizen.
  await sql`alter table sessions add column auth_provider text`.execute(db);
  // A citizen who enters with SPID, CIE or CNS only may have no known residence yet.
  await sql`alter table citizens alter column residenza drop not null`.execute(db);

  await sql`drop function varco_touch_session(text, timestamptz, timestamptz)`.execute(db);
  await sql`
    create function varco_touch_session(p_id_hash text, p_at timestamptz, p_idle_from timestamptz)
    returns table (
      id_hash text, citizen_id uuid, credential_id uuid, level text, must_change_pin text, initial_fingerprints jsonb, role text, created_at timestamptz,
      auth_method text, auth_provider text,
      codice_fiscale text, cognome text, nome text, data_nascita date, intermediario boolean
    )
    language plpgsql as $$
    #variable_conflict use_column
    begin
      perform set_config('synchronous_commit', 'off', true);
      return query
        update sessions s set last_seen_at = p_at
        from citizens c
        where c.id = s.citizen_id and s.id_hash = p_id_hash and s.ended_at is null and s.last_seen_at >= p_idle_from and s.expires_at > p_at
        returning s.id_hash, s.citizen_id, s.credential_id, s.level, s.must_change_pin, s.initial_fingerprints, s.role, s.created_at,
          s.auth_method, s.auth_provider,
          c.codice_fiscale, c.cognome, c.nome, c.data_nascita, c.intermediario;
    end
    $$`.execute(db);

  // One client registry (issue 7): the API's machine clients and the relying parties of the
  // OpenID Provider. A relying party has redirect URIs; the secret is kept sealed (AES-GCM) as
  // the provider must compare it, and its HMAC fingerprint stays for the API's Basic scheme.
  await sql`alter table clients add column redirect_uris jsonb not null default '[]'`.execute(db);
  await sql`alter table clients add column post_logout_redirect_uris jsonb not null default '[]'`.execute(db);
  await sql`alter table clients add column min_level text check (min_level in ('ordinario', 'dispositivo'))`.execute(db);
  await sql`alter table clients add column secret_sealed text`.execute(db);

  // oidc-provider's artefacts (authorization codes, tokens, interactions, its sessions, grants…).
  await sql`
    create table oidc_payloads (
      model text not null,
      id text not null,
      payload jsonb not null,
      grant_id text,
      uid text,
      expires_at timestamptz,
      consumed_at timestamptz,
      primary key (model, id)
    )`.execute(db);
  await sql`create index oidc_payloads_grant on oidc_payloads (grant_id) where grant_id is not null`.execute(db);
  await sql`create index oidc_payloads_uid on oidc_payloads (uid) where uid is not null`.execute(db);
  await sql`create index oidc_payloads_expires on oidc_payloads (expires_at)`.execute(db);

  // Signing keys of the provider and of Varco as a relying party, sealed with the secret key;
  // created once by whichever process starts first.
  await sql`
    create table signing_keys (
      kid text primary key,
      use text not null check (use in ('op', 'rp')),
      sealed_jwk text not null,
      created_at timestamptz not null default now(),
      retired_at timestamptz
    )`.execute(db);
  // One live key per use: processes starting together agree on it.
  await sql`create unique index signing_keys_one_live on signing_keys (use) where retired_at is null`.execute(db);
}
