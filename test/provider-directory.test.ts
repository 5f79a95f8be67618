import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IdentityProvider, loadIdentityProviders } from '../src/config/identity-providers.js';
import { loadTrustAnchors, type TrustAnchorConfig } from '../src/config/trust-anchors.js';
import { createProviderDirectory, type DirectoryOptions, slugOf } from '../src/federation/directory.js';
import { TrustError } from '../src/federation/trust/statements.js';
import { providerMetadata, SPID_OP_MARK, standardFederation, startStandInFederation, type StandInFederation } from './support/federation.js';

/**
 * Issue 15: the SPID and CIE buttons come from the federations, not from a hand-kept file: the
 * providers below a trust anchor (and its intermediates) whose chains resolve, on the stand-in
 * federation's real signed statements.
 */
let fed: StandInFederation;
let world: Awaited<ReturnType<typeof standardFederation>>;
const warnings: { o: object; msg: string }[] = [];

beforeEach(async () => {
  fed = await startStandInFederation();
  world = await standardFederation(fed);
  warnings.length = 0;
});
afterEach(() => fed.close());

const anchor = (o: Partial<TrustAnchorConfig> = {}): TrustAnchorConfig => ({
  entityId: world.ta.id,
  kind: 'spid',
  jwks: world.ta.jwks,
  requiredTrustMarks: [],
  providers: undefined,
  allowHttp: true,
  ...o,
});

const directory = (o: Partial<DirectoryOptions> = {}) =>
  createProviderDirectory({
    anchors: [anchor()],
    pinned: [],
    clientId: 'https://varco.example',
    allowInternal: true,
    now: () => fed.now,
    log: { warn: (w, msg) => warnings.push({ o: w, msg }) },
    ...o,
  });

describe('the providers listed', () => {
  it('are those below the anchor and below its intermediate, with their chain’s name, level 2 and 3 only', async () => {
    world.spid.metadata.openid_provider = { ...world.spid.metadata.openid_provider, organization_name: 'Gestore SPID di prova' };
    const entries = await directory().ready();
    expect(entries.map((e) => e.issuer).sort()).toEqual([world.cie.id, world.spid.id].sort());
    const spid = entries.find((e) => e.issuer === world.spid.id);
    expect(spid).toEqual({
      id: slugOf(world.spid.id),
      kind: 'spid',
      name: 'Gestore SPID di prova',
      issuer: world.spid.id,
      clientId: 'https://varco.example',
      acrValues: ['https://www.spid.gov.it/SpidL2', 'https://www.spid.gov.it/SpidL3'],
      allowHttp: true,
      source: 'federation',
      anchor: world.ta.id,
    });
    expect(spid?.id).toMatch(/^[a-z0-9][a-z0-9._-]{1,40}$/);
    // The intermediate is read for its list, never offered as a provider.
    expect(entries.some((e) => e.issuer === world.intermediario.id)).toBe(false);
  });

  it('leave out a provider without the trust mark the anchor requires, and say why in the log', async () => {
    const entries = await directory({ anchors: [anchor({ requiredTrustMarks: [SPID_OP_MARK] })] }).ready();
    expect(entries.map((e) => e.issuer)).toEqual([world.spid.id]);
    expect(warnings).toContainEqual({ o: expect.objectContaining({ provider: world.cie.id, reason: 'trust_mark' }), msg: 'provider refused: trust chain' });
  });

  it('leave out a provider whose metadata names another issuer, or offers level 1 only', async () => {
    world.cie.metadata.openid_provider = providerMetadata('https://someone-else.example', ['CIE_L1', 'CIE_L2']);
    const l1 = await fed.add('op-l1');
    l1.metadata.openid_provider = providerMetadata(l1.id, ['https://www.spid.gov.it/SpidL1']);
    fed.subordinate(world.ta, l1);
    const entries = await directory().ready();
    expect(entries.map((e) => e.issuer)).toEqual([world.spid.id]);
    expect(warnings.map((w) => w.o)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ provider: world.cie.id, reason: 'metadata' }),
        expect.objectContaining({ provider: l1.id, reason: 'metadata' }),
      ]),
    );
  });

  it('leave out a provider that states no keys for its ID tokens', async () => {
    const { jwks_uri: _dropped, ...keyless } = providerMetadata(world.cie.id, ['CIE_L2']);
    world.cie.metadata.openid_provider = keyless;
    expect((await directory().ready()).map((e) => e.issuer)).toEqual([world.spid.id]);
    expect(warnings).toContainEqual({ o: expect.objectContaining({ provider: world.cie.id, reason: 'metadata' }), msg: 'provider refused: trust chain' });
  });

  it('are only those the configuration names, when it names them', async () => {
    const entries = await directory({ anchors: [anchor({ kind: 'cie', providers: [world.cie.id] })] }).ready();
    expect(entries.map((e) => [e.issuer, e.kind])).toEqual([[world.cie.id, 'cie']]);
    expect(fed.hits.get('/ta/list')).toBeUndefined();
  });

  it('come after the pinned development providers, which have no chain', async () => {
    const pinned: IdentityProvider = {
      id: 'pinned',
      kind: 'spid',
      name: 'Pinned',
      issuer: 'http://127.0.0.1:1',
      clientId: 'x',
      acrValues: ['https://www.spid.gov.it/SpidL2'],
    };
    const d = directory({ pinned: [pinned] });
    const entries = await d.ready();
    expect(entries[0]).toMatchObject({ id: 'pinned', source: 'pinned' });
    expect(await d.chainOf(entries[0]!)).toBeUndefined();
  });

  it('of one anchor are listed when another anchor fails (a wrong pinned key)', async () => {
    const wrong = anchor({ kind: 'cie', jwks: world.intermediario.jwks });
    const entries = await directory({ anchors: [wrong, anchor({ entityId: world.ta.id, providers: [world.spid.id] })] }).ready();
    expect(entries.map((e) => e.issuer)).toEqual([world.spid.id]);
    expect(warnings).toContainEqual({ o: expect.objectContaining({ anchor: world.ta.id }), msg: 'federation list unreadable' });
  });
});

describe('the list over time', () => {
  it('is read again after refreshSeconds (the old list answers while the new one is read)', async () => {
    const d = directory({ refreshSeconds: 600 });
    expect((await d.ready()).length).toBe(2);
    const late = await fed.add('op-nuovo');
    late.metadata.openid_provider = providerMetadata(late.id, ['https://www.spid.gov.it/SpidL2']);
    fed.subordinate(world.ta, late);
    fed.now += 599;
    expect((await d.entries()).length).toBe(2);
    expect((await d.ready()).length).toBe(2);
    fed.now += 2;
    expect((await d.entries()).length).toBe(2);
    expect((await d.ready()).map((e) => e.issuer)).toContain(late.id);
  });

  it('a listed provider whose chain fails since is refused at the login, with the reason', async () => {
    const d = directory();
    const entries = await d.ready();
    const spid = entries.find((e) => e.issuer === world.spid.id);
    if (!spid) throw new Error('not listed');
    expect((await d.chainOf(spid))?.path).toEqual([world.spid.id, world.intermediario.id, world.ta.id]);
    world.intermediario.subordinates.delete(world.spid.id);
    fed.now += 3601;
    const error = await d.chainOf(spid).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TrustError);
    expect((error as TrustError).reason).toBe('no_path');
  });
});

describe('ids', () => {
  it.each([
    ['https://id.example.it', 'id-example-it'],
    ['https://login.example.it/oidc/op', 'login-example-it-oidc-op'],
    ['http://127.0.0.1:8443/spid-op', '127-0-0-1-8443-spid-op'],
  ])('%s is %s', (entityId, id) => expect(slugOf(entityId)).toBe(id));

  it('a long entity id gets a short id with a hash, still valid in a URL', () => {
    const id = slugOf(`https://a-very-long-host-name-of-an-identity-provider.example.it/${'x'.repeat(60)}`);
    expect(id).toMatch(/^[a-z0-9][a-z0-9._-]{1,40}$/);
    expect(id).toMatch(/-[0-9a-f]{7}$/);
  });
});

describe('discovery that meets broken or hostile federations', () => {
  it('a list that cannot be read costs only its own entries: the anchor’s other providers stay', async () => {
    world.intermediario.list = { not: 'a list' };
    const entries = await directory().ready();
    expect(entries.map((e) => e.issuer)).toEqual([world.cie.id]);
    expect(warnings).toContainEqual({ o: expect.objectContaining({ list: `${world.intermediario.id}/list` }), msg: 'federation list unreadable' });
  });

  it('entries of a list that are not entity ids are left out, the others read', async () => {
    world.ta.list = ['not a url', 42, 'https://bad host.example', world.cie.id];
    const entries = await directory().ready();
    expect(entries.map((e) => e.issuer)).toEqual([world.cie.id]);
    expect(warnings).toContainEqual({ o: expect.objectContaining({ skipped: 3 }), msg: 'federation list: entries that are not entity ids left out' });
  });

  it('asks the lists for providers and intermediates, and follows an intermediate’s list only once its own chain resolves', async () => {
    const rogue = await fed.add('intermediario-falso');
    const stray = await fed.add('op-falso');
    stray.metadata.openid_provider = providerMetadata(stray.id, ['https://www.spid.gov.it/SpidL2']);
    fed.subordinate(rogue, stray);
    // The anchor lists it, but states nothing about it: its chain does not resolve, so its list is not read.
    world.ta.subordinates.set(rogue.id, {});
    world.ta.list = undefined;
    const d = directory();
    const entries = await d.ready();
    expect(entries.map((e) => e.issuer).sort()).toEqual([world.cie.id, world.spid.id].sort());
    expect(fed.hits.get('/intermediario-falso/list')).toBeUndefined();
    expect(fed.hits.get('/intermediario/list')).toBeGreaterThan(0);
  });

  it('never makes the login page wait: on a cold start the list is what is known, the federation’s providers once read', async () => {
    const d = directory();
    expect(await d.entries()).toEqual([]);
    expect(d.loading()).toBe(true);
    expect((await d.ready()).map((e) => e.issuer).sort()).toEqual([world.cie.id, world.spid.id].sort());
    expect(d.loading()).toBe(false);
    expect((await d.entries()).length).toBe(2);
  });

  it('an anchor that cannot be read at a refresh keeps its last list', async () => {
    const d = directory({ refreshSeconds: 60 });
    expect((await d.ready()).length).toBe(2);
    world.ta.forge = true;
    fed.now += 61;
    expect((await d.ready()).length).toBe(2);
    expect(warnings).toContainEqual({ o: expect.objectContaining({ anchor: world.ta.id }), msg: 'federation list unreadable' });
  });

  it('two providers whose ids would be the same (id.poste and id-poste) get distinct ids, whatever order the list gives, and are found by issuer', async () => {
    const dot = await fed.add('id.poste');
    const dash = await fed.add('id-poste');
    for (const op of [dot, dash]) {
      op.metadata.openid_provider = providerMetadata(op.id, ['https://www.spid.gov.it/SpidL2']);
      fed.subordinate(world.ta, op);
    }
    expect(slugOf(dot.id)).toBe(slugOf(dash.id));
    const ids = async () => {
      const d = directory();
      const entries = await d.ready();
      const byIssuer = Object.fromEntries(entries.map((e) => [e.issuer, e.id]));
      expect((await d.findByIssuer('spid', dot.id))?.issuer).toBe(dot.id);
      expect(await d.findByIssuer('cie', dot.id)).toBeUndefined();
      return byIssuer;
    };
    const first = await ids();
    expect(first[dot.id]).not.toBe(first[dash.id]);
    world.ta.subordinates = new Map([...world.ta.subordinates].reverse());
    expect(await ids()).toEqual(first);
  });

  it('a provider whose chain, once resolved again, no longer holds (another issuer) is refused at the login', async () => {
    const d = directory();
    const cie = (await d.ready()).find((e) => e.issuer === world.cie.id);
    if (!cie) throw new Error('not listed');
    world.cie.metadata.openid_provider = providerMetadata('https://altro.example', ['CIE_L2']);
    fed.now += 3601;
    const error = await d.chainOf(cie).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TrustError);
    expect(error instanceof TrustError && error.reason).toBe('metadata');
  });
});

/** A configuration file holding `content`, as an operator writes it. */
function configFile(content: unknown) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'varco-fed-')), 'file.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('VARCO_TRUST_ANCHORS', () => {
  const load = (anchors: unknown[]) => {
    const file = configFile({ anchors });
    return () => loadTrustAnchors(file, true);
  };
  const jwks = () => world.ta.jwks;

  it('an anchor that names no providers must name the trust marks that make an entity one of them', () => {
    expect(load([{ entityId: 'https://registry.example.it', kind: 'spid', jwks: jwks() }])).toThrow(/needs "requiredTrustMarks"/);
    expect(load([{ entityId: 'https://registry.example.it', kind: 'spid', jwks: jwks(), requiredTrustMarks: [] }])).toThrow(/needs "requiredTrustMarks"/);
    expect(load([{ entityId: 'https://registry.example.it', kind: 'spid', jwks: jwks(), requiredTrustMarks: [SPID_OP_MARK] }])()).toHaveLength(1);
    expect(load([{ entityId: 'https://registry.example.it', kind: 'spid', jwks: jwks(), providers: ['https://id.example.it'] }])()).toHaveLength(1);
  });

  it('an entity id with whitespace or control characters is refused', () => {
    expect(load([{ entityId: 'https://registry.example.it/a b', kind: 'spid', jwks: jwks(), requiredTrustMarks: [SPID_OP_MARK] }])).toThrow(/no whitespace/);
    expect(load([{ entityId: 'https://registry.example.it/a\tb', kind: 'spid', jwks: jwks(), requiredTrustMarks: [SPID_OP_MARK] }])).toThrow(/no whitespace/);
  });
});

describe('VARCO_FEDERATION_FILE', () => {
  const load = (logo: string) => () =>
    loadIdentityProviders(
      configFile({ providers: [{ id: 'prova', kind: 'spid', name: 'Prova', issuer: 'https://id.example.it', logo }] }),
      'https://varco.example',
      false,
    );

  it('a pinned logo is a path of the portal: a remote image (each citizen’s browser calling a third party) is refused', () => {
    expect(load('/assets/spid-prova.svg')()[0]?.logo).toBe('/assets/spid-prova.svg');
    for (const remote of ['https://tracker.example/logo.svg', '//tracker.example/logo.svg', '/assets/../../etc', 'data:image/svg+xml,<svg/>'])
      expect(load(remote), remote).toThrow(/a path under \/assets\//);
  });
});
