import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTrustResolver, type TrustOptions } from '../src/federation/trust/chain.js';
import { TrustError } from '../src/federation/trust/statements.js';
import { CIE_OP_MARK, SPID_OP_MARK, standardFederation, startStandInFederation, type StandInEntity, type StandInFederation } from './support/federation.js';

/**
 * Issue 15: trust chains of OpenID Federation 1.0, resolved against a stand-in federation the
 * test builds (trust anchor → intermediate → SPID provider; trust anchor → CIE provider), on real
 * signed statements over HTTP.
 */
let fed: StandInFederation;
let world: Awaited<ReturnType<typeof standardFederation>>;

beforeEach(async () => {
  fed = await startStandInFederation();
  world = await standardFederation(fed);
});
afterEach(() => fed.close());

const resolver = (o: Partial<TrustOptions> = {}) =>
  createTrustResolver({
    anchors: world.anchors,
    allowHttp: true,
    allowInternal: true,
    now: () => fed.now,
    requiredTrustMarks: { openid_provider: [] },
    ...o,
  });

async function refusal(promise: Promise<unknown>): Promise<TrustError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TrustError)) throw new Error(`expected a TrustError, got ${String(error)}`);
  return error;
}

/**
 * `entity` signs with a key its superior does not state (`resign` gives it the new key; the
 * superior's statement keeps the old ones): the SPID provider's chain is refused, naming `entity`.
 */
async function expectUnstatedKeyRefused(entity: StandInEntity, superior: StandInEntity, resign: (e: StandInEntity) => Promise<void>) {
  const stated = entity.jwks;
  await resign(entity);
  fed.subordinate(superior, entity, { jwks: stated });
  const error = await refusal(resolver().resolve(world.spid.id, 'openid_provider'));
  expect(error.reason).toBe('signature');
  expect(error.message).toContain(entity.id);
}

describe('a valid chain', () => {
  it('resolves a SPID provider through the intermediate, with the merged policy applied', async () => {
    const chain = await resolver().resolve(world.spid.id, 'openid_provider');
    expect(chain.path).toEqual([world.spid.id, world.intermediario.id, world.ta.id]);
    expect(chain.anchor).toBe(world.ta.id);
    expect(chain.statements).toHaveLength(4);
    expect(chain.jwks.keys.map((k) => k.kid)).toEqual(world.spid.jwks.keys.map((k) => k.kid));
    // the anchor's subset_of drops HS256, the intermediate's drops client_secret_basic
    expect(chain.metadata.id_token_signing_alg_values_supported).toEqual(['RS256']);
    expect(chain.metadata.token_endpoint_auth_methods_supported).toEqual(['private_key_jwt']);
    expect(chain.metadata.issuer).toBe(world.spid.id);
    expect(chain.exp).toBe(fed.now + 3600);
  });

  it('resolves a CIE provider right below the anchor and checks its trust mark', async () => {
    const chain = await resolver({ requiredTrustMarks: { openid_provider: [CIE_OP_MARK] } }).resolve(world.cie.id, 'openid_provider');
    expect(chain.path).toEqual([world.cie.id, world.ta.id]);
    expect(chain.trustMarks.map((m) => [m.type, m.iss])).toEqual([[CIE_OP_MARK, world.ta.id]]);
  });

  it('accepts a trust mark issued by an issuer the anchor allows (the intermediate, by its own chain)', async () => {
    const chain = await resolver({ requiredTrustMarks: { openid_provider: [SPID_OP_MARK] } }).resolve(world.spid.id, 'openid_provider');
    expect(chain.trustMarks.map((m) => [m.type, m.iss, m.sub])).toEqual([[SPID_OP_MARK, world.intermediario.id, world.spid.id]]);
  });

  it('uses the metadata the superior states over the subject’s own', async () => {
    fed.subordinate(world.intermediario, world.spid, { metadata: { openid_provider: { userinfo_endpoint: `${world.spid.id}/userinfo-stated` } } });
    const chain = await resolver().resolve(world.spid.id, 'openid_provider');
    expect(chain.metadata.userinfo_endpoint).toBe(`${world.spid.id}/userinfo-stated`);
  });
});

describe('a chain that fails is refused with its reason', () => {
  it('an expired subordinate statement', async () => {
    fed.subordinate(world.intermediario, world.spid, { lifetime: -120 });
    const error = await refusal(resolver().resolve(world.spid.id, 'openid_provider'));
    expect(error.reason).toBe('expired');
    expect(error.message).toContain(`statement of ${world.intermediario.id} about ${world.spid.id} has expired`);
  });

  it('an expired entity configuration of the anchor', async () => {
    world.ta.lifetime = -120;
    expect((await refusal(resolver().resolve(world.cie.id, 'openid_provider'))).reason).toBe('expired');
  });

  it('a wrong signature: the intermediate’s statements signed with a key it does not publish', async () => {
    world.intermediario.forge = true;
    const error = await refusal(resolver().resolve(world.spid.id, 'openid_provider'));
    expect(error.reason).toBe('signature');
  });

  it('an anchor whose configuration is not signed with the pinned key', async () => {
    const other = await fed.add('altro-ta');
    const error = await refusal(resolver({ anchors: [{ entityId: world.ta.id, jwks: other.jwks }] }).resolve(world.cie.id, 'openid_provider'));
    expect(error.reason).toBe('signature');
  });

  it('a revoked key: the provider signs with a key its superior no longer states', async () => {
    await expectUnstatedKeyRefused(world.spid, world.intermediario, (e) => fed.rotate(e));
  });

  it('a policy that removes every value of an essential parameter', async () => {
    fed.subordinate(world.intermediario, world.spid, {
      metadataPolicy: { openid_provider: { acr_values_supported: { subset_of: ['https://www.spid.gov.it/SpidL9'], essential: true } } },
    });
    const error = await refusal(resolver().resolve(world.spid.id, 'openid_provider'));
    expect(error.reason).toBe('policy');
    expect(error.message).toContain('acr_values_supported is essential and missing');
  });

  it('policies of the anchor and the intermediate that contradict each other', async () => {
    fed.subordinate(world.ta, world.intermediario, {
      metadataPolicy: { openid_provider: { token_endpoint_auth_methods_supported: { value: ['private_key_jwt'] } } },
    });
    fed.subordinate(world.intermediario, world.spid, {
      metadataPolicy: { openid_provider: { token_endpoint_auth_methods_supported: { value: ['client_secret_basic'] } } },
    });
    expect((await refusal(resolver().resolve(world.spid.id, 'openid_provider'))).reason).toBe('policy');
  });

  it('a critical policy operator it does not understand', async () => {
    fed.subordinate(world.intermediario, world.spid, {
      metadataPolicy: { openid_provider: { acr_values_supported: { regexp: '^https' } } },
      claims: { metadata_policy_crit: ['regexp'] },
    });
    expect((await refusal(resolver().resolve(world.spid.id, 'openid_provider'))).reason).toBe('policy');
  });

  it('a missing trust mark', async () => {
    world.spid.trustMarks = [];
    const error = await refusal(resolver({ requiredTrustMarks: { openid_provider: [SPID_OP_MARK] } }).resolve(world.spid.id, 'openid_provider'));
    expect(error.reason).toBe('trust_mark');
    expect(error.message).toContain(`carries no trust mark ${SPID_OP_MARK}`);
  });

  it('a trust mark from an issuer the anchor does not allow', async () => {
    world.spid.trustMarks = [{ trust_mark_type: SPID_OP_MARK, trust_mark: await fed.trustMark(world.cie, world.spid, SPID_OP_MARK) }];
    const error = await refusal(resolver({ requiredTrustMarks: { openid_provider: [SPID_OP_MARK] } }).resolve(world.spid.id, 'openid_provider'));
    expect(error.reason).toBe('trust_mark');
    expect(error.message).toContain('may not issue');
  });

  it('an expired trust mark, and one made out to another entity', async () => {
    const required = { requiredTrustMarks: { openid_provider: [CIE_OP_MARK] } };
    world.cie.trustMarks = [{ trust_mark_type: CIE_OP_MARK, trust_mark: await fed.trustMark(world.ta, world.cie, CIE_OP_MARK, { lifetime: -120 }) }];
    expect((await refusal(resolver(required).resolve(world.cie.id, 'openid_provider'))).reason).toBe('trust_mark');
    world.cie.trustMarks = [{ trust_mark_type: CIE_OP_MARK, trust_mark: await fed.trustMark(world.ta, world.spid, CIE_OP_MARK) }];
    expect((await refusal(resolver(required).resolve(world.cie.id, 'openid_provider'))).reason).toBe('trust_mark');
  });

  it('no path to an anchor Varco accepts', async () => {
    const other = await fed.add('altro-ta');
    const lonely = await fed.add('op-isolato', { metadata: { openid_provider: {} } });
    fed.subordinate(other, lonely);
    const error = await refusal(resolver().resolve(lonely.id, 'openid_provider'));
    expect(error.reason).toBe('no_path');
  });

  it('a superior that does not state the subject (its fetch endpoint answers 404)', async () => {
    world.intermediario.subordinates.delete(world.spid.id);
    expect((await refusal(resolver().resolve(world.spid.id, 'openid_provider'))).reason).toBe('no_path');
  });

  it('more intermediates than the anchor’s constraints allow', async () => {
    fed.subordinate(world.ta, world.intermediario, { constraints: { max_path_length: 0 } });
    const error = await refusal(resolver().resolve(world.spid.id, 'openid_provider'));
    expect(error.reason).toBe('no_path');
    expect(error.message).toContain('allows 0 intermediates');
  });

  it('a subject without metadata of the type asked', async () => {
    expect((await refusal(resolver().resolve(world.intermediario.id, 'openid_provider'))).reason).toBe('entity_type');
  });
});

describe('the cache', () => {
  it('keeps a chain until its first statement expires, then resolves it again', async () => {
    const trust = resolver();
    fed.subordinate(world.intermediario, world.spid, { lifetime: 600 });
    const first = await trust.resolve(world.spid.id, 'openid_provider');
    expect(first.exp).toBe(fed.now + 600);
    const fetches = () => fed.hits.get('/intermediario/fetch') ?? 0;
    const before = fetches();
    fed.now += 599;
    expect(await trust.resolve(world.spid.id, 'openid_provider')).toBe(first);
    expect(fetches()).toBe(before);
    fed.now += 2;
    const second = await trust.resolve(world.spid.id, 'openid_provider');
    expect(second).not.toBe(first);
    expect(second.exp).toBe(fed.now + 600);
    expect(fetches()).toBe(before + 1);
  });

  it('notices a refused chain at refresh, and remembers a failure only briefly', async () => {
    const trust = resolver({ failureTtlSeconds: 30 });
    await trust.resolve(world.cie.id, 'openid_provider');
    fed.now += 3601;
    world.ta.subordinates.delete(world.cie.id);
    expect((await refusal(trust.resolve(world.cie.id, 'openid_provider'))).reason).toBe('no_path');
    fed.subordinate(world.ta, world.cie);
    expect((await refusal(trust.resolve(world.cie.id, 'openid_provider'))).reason).toBe('no_path');
    fed.now += 31;
    expect((await trust.resolve(world.cie.id, 'openid_provider')).path).toEqual([world.cie.id, world.ta.id]);
  });
});

describe('constraints (OpenID Federation 1.0, section 6.2)', () => {
  const host = () => new URL(world.spid.id).hostname;

  it('naming_constraints: a subordinate outside the names permitted, or within those excluded, is refused', async () => {
    fed.subordinate(world.ta, world.intermediario, { constraints: { naming_constraints: { permitted: ['.spid.example.it'] } } });
    const outside = await refusal(resolver().resolve(world.spid.id, 'openid_provider'));
    expect(outside.reason).toBe('policy');
    expect(outside.message).toContain('outside the names');
    fed.subordinate(world.ta, world.intermediario, { constraints: { naming_constraints: { permitted: [host()], excluded: [] } } });
    expect((await resolver().resolve(world.spid.id, 'openid_provider')).path).toHaveLength(3);
    fed.subordinate(world.ta, world.intermediario, { constraints: { naming_constraints: { excluded: [host()] } } });
    expect((await refusal(resolver().resolve(world.spid.id, 'openid_provider'))).message).toContain('within the names');
  });

  it('allowed_entity_types: an intermediate allowed relying parties only cannot vouch for a provider', async () => {
    fed.subordinate(world.ta, world.intermediario, { constraints: { allowed_entity_types: ['openid_relying_party'] } });
    const error = await refusal(resolver().resolve(world.spid.id, 'openid_provider'));
    expect(error.reason).toBe('policy');
    expect(error.message).toContain('does not allow openid_provider');
    fed.subordinate(world.ta, world.intermediario, { constraints: { allowed_entity_types: ['openid_provider'] } });
    expect((await resolver().resolve(world.spid.id, 'openid_provider')).path).toHaveLength(3);
  });

  it('a constraint Varco does not understand refuses the statement', async () => {
    fed.subordinate(world.ta, world.intermediario, { constraints: { allowed_leaf_entity_types: ['openid_provider'] } });
    expect((await refusal(resolver().resolve(world.spid.id, 'openid_provider'))).reason).toBe('malformed');
  });
});

describe('the resolver under attack', () => {
  const requests = () => [...fed.hits.values()].reduce((a, b) => a + b, 0);

  it('an intermediate’s statement signed with a key only it claims (its superior states another) is refused', async () => {
    await expectUnstatedKeyRefused(world.intermediario, world.ta, (e) => fed.addStatementKey(e));
  });

  it('authority hints that fan out (5 × 5 × 5) cost a bounded number of requests, and only the first 3 hints are tried', async () => {
    // Every entity names five superiors that are themselves not anchors, each naming five more.
    const layers: string[][] = [];
    for (let depth = 0; depth < 3; depth++) {
      const layer: string[] = [];
      for (let k = 0; k < 5; k++) layer.push((await fed.add(`hint-${depth}-${k}`)).id);
      layers.push(layer);
    }
    layers.forEach((layer, depth) => layer.forEach((id) => (fed.entity(id.split('/').pop() ?? '').authorityHints = layers[depth + 1] ?? [])));
    world.spid.authorityHints = [...(layers[0] ?? []), world.intermediario.id];
    const before = requests();
    const error = await refusal(resolver({ maxDepth: 4 }).resolve(world.spid.id, 'openid_provider'));
    expect(error.reason).toBe('no_path');
    // The real superior is the sixth hint: never tried. Without a bound, 5 + 25 + 125 configurations and as many fetches.
    expect(fed.hits.get('/intermediario/fetch')).toBeUndefined();
    expect(requests() - before).toBeLessThanOrEqual(24);
  });

  it('a superior that cannot be read is asked once, not by every resolution, until failureTtlSeconds', async () => {
    // An entity id the stand-in does not serve: its configuration answers 404.
    const dead = `${fed.base}/morto`;
    const asked = () => fed.hits.get('/morto/.well-known/openid-federation') ?? 0;
    world.spid.authorityHints = [dead, world.intermediario.id];
    world.cie.authorityHints = [dead, world.ta.id];
    const trust = resolver({ failureTtlSeconds: 120 });
    expect((await trust.resolve(world.spid.id, 'openid_provider')).path).toHaveLength(3);
    expect(asked()).toBe(1);
    expect((await trust.resolve(world.cie.id, 'openid_provider')).path).toHaveLength(2);
    expect(asked()).toBe(1);
    // Both the chain and the remembered failure expired: the superior is asked again.
    fed.now += 3601;
    expect((await trust.resolve(world.cie.id, 'openid_provider')).path).toHaveLength(2);
    expect(asked()).toBe(2);
  });

  it('an entity on an internal address is not reached in production (by its address, or by a name that resolves to it)', async () => {
    const byAddress = await refusal(resolver({ allowInternal: false }).resolve(world.spid.id, 'openid_provider'));
    expect(byAddress.reason).toBe('unreachable');
    expect(byAddress.message).toContain('an internal address');
    const byName = await refusal(resolver({ allowInternal: false }).resolve(world.spid.id.replace('127.0.0.1', 'localhost'), 'openid_provider'));
    expect(byName.reason).toBe('unreachable');
    expect(byName.message).toContain('resolves to an internal address');
    expect(fed.hits.get('/spid-op/.well-known/openid-federation')).toBeUndefined();
  });

  it('an answer larger than 100 kB is refused, without reading it all', async () => {
    world.ta.list = Array.from({ length: 5000 }, (_, k) => `${fed.base}/nessuno-${k}-${'x'.repeat(20)}`);
    const { federationGet } = await import('../src/federation/trust/fetch.js');
    const error = await refusal(federationGet(`${world.ta.id}/list`, { accept: 'application/json', allowHttp: true, allowInternal: true }));
    expect(error.reason).toBe('malformed');
    expect(error.message).toContain('too large');
  });

  it('a chain whose statement has just expired (within the clock tolerance) is kept a while, not resolved on every request', async () => {
    fed.subordinate(world.ta, world.cie, { lifetime: -30 });
    const trust = resolver();
    const fetches = () => fed.hits.get('/ta/fetch') ?? 0;
    const first = await trust.resolve(world.cie.id, 'openid_provider');
    const before = fetches();
    expect(first.exp).toBeLessThan(fed.now);
    expect(await trust.resolve(world.cie.id, 'openid_provider')).toBe(first);
    expect(fetches()).toBe(before);
    fed.now += 9;
    expect(await trust.resolve(world.cie.id, 'openid_provider')).toBe(first);
    fed.now += 2;
    expect(await trust.resolve(world.cie.id, 'openid_provider')).not.toBe(first);
    expect(fetches()).toBe(before + 1);
  });
});
