import { type Kysely, sql } from 'kysely';

// Frozen in time: never import application code here.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Hot statements as PL/pgSQL functions: their plans are cached per connection.
  // Every logged-in request touches its session. As a PL/pgSQL function the statement's plan is
  // cached per connection (planning the join cost more than running it), and its commit does not
  // wait for the disk: a touch lost in a database crash only makes a session look idle a moment
  // earlier, never later (R10).
  await sql`
    create function varco_touch_session(p_id_hash text, p_at timestamptz, p_idle_from timestamptz)
    returns table (
      id_hash text, citizen_id uuid, credential_id uuid, level text, must_change_pin text, initial_fingerprints jsonb, role text, created_at timestamptz,
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
          c.codice_fiscale, c.cognome, c.nome, c.data_nascita, c.intermediario;
    end
    $$`.execute(db);
  // The COVID-19 application of the click day (issue 6), as one cached plan: the count of distinct
  // applicants of the IBAN (its row lock serialises them; a person counts once), the application,
  // and its audit record. The art. 31 unique index makes the whole call fail on a second
  // application; the caller answers with the first one's protocol number.
  await sql`
    create function varco_submit_covid(
      p_id uuid, p_protocollo text, p_citizen_id uuid, p_codice_fiscale text, p_categoria text, p_gruppo text, p_dichiarazioni jsonb, p_iban text,
      p_importo_cents integer, p_holder text, p_now timestamptz,
      p_audit_event text, p_audit_actor text, p_audit_ip text, p_audit_channel text, p_audit_details jsonb
    ) returns text
    language plpgsql as $$
    declare
      v_yes boolean;
      v_stato text;
    begin
      -- p_holder: the answer of a remote holder check ('yes', 'no', 'unknown'), or 'table' to read
      -- the iban_holders registry here, in the same statement.
      v_yes := case when p_holder = 'table' then exists (select 1 from iban_holders where iban = p_iban and codice_fiscale = p_codice_fiscale) else p_holder = 'yes' end;
      v_stato := case when v_yes then 'in_istruttoria' else 'in_verifica' end;
      -- Applications naming one IBAN take turns (a lock held to the end of this statement's
      -- transaction), so the check below sees every earlier one, even one sent at the same instant
      -- by the same person: a person counts once per IBAN.
      perform pg_advisory_xact_lock(7401, hashtext(p_iban));
      if not exists (select 1 from covid_applications where iban = p_iban and citizen_id = p_citizen_id) then
        insert into iban_usage (iban, applicants) values (p_iban, 1)
        on conflict (iban) do update set applicants = iban_usage.applicants + 1;
      end if;
      insert into covid_applications (id, protocollo, citizen_id, categoria, gruppo, dichiarazioni, iban, importo_cents, stato, iban_verified_at, iban_checked_at, submitted_at, updated_at)
      values (p_id, p_protocollo, p_citizen_id, p_categoria, p_gruppo, p_dichiarazioni, p_iban, p_importo_cents, v_stato, case when v_yes then p_now end, p_now, p_now, p_now);
      insert into audit_events (event, actor, ip, channel, subject_cf, details)
      values (p_audit_event, p_audit_actor, p_audit_ip, p_audit_channel, p_codice_fiscale, p_audit_details || jsonb_build_object('stato', v_stato));
      return v_stato;
    end
    $$`.execute(db);
  // Sessions are updated on every request: room on each page keeps those updates HOT.
  await sql`alter table sessions set (fillfactor = 70)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('not reversible');
}
