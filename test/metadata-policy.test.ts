import { describe, expect, it } from 'vitest';
import { applyPolicy, mergePolicies } from '../src/federation/trust/policy.js';

/** Issue 15: the metadata policy language of OpenID Federation 1.0, merged down a chain and applied to a subject's metadata. */
describe('metadata policy operators (OpenID Federation 1.0 §6.1)', () => {
  const metadata = { grant_types: ['authorization_code', 'refresh_token', 'implicit'], scope: 'openid', logo_uri: 'https://x/logo.svg' };

  it('applies value, add, default, one_of, subset_of, superset_of and essential', () => {
    const policy = mergePolicies(
      [
        { grant_types: { subset_of: ['authorization_code', 'refresh_token'], superset_of: ['authorization_code'] }, contacts: { add: ['ops@ta.example'] } },
        { scope: { one_of: ['openid', 'openid profile'] }, token_endpoint_auth_method: { default: 'private_key_jwt' }, logo_uri: { value: null } },
      ],
      [],
    );
    expect(applyPolicy(metadata, policy)).toEqual({
      grant_types: ['authorization_code', 'refresh_token'],
      scope: 'openid',
      contacts: ['ops@ta.example'],
      token_endpoint_auth_method: 'private_key_jwt',
    });
  });

  it('merges subset_of as an intersection, add and superset_of as a union, essential as an or', () => {
    const merged = mergePolicies(
      [
        { a: { subset_of: ['x', 'y', 'z'], add: ['x'] }, b: { essential: false, superset_of: ['p'] } },
        { a: { subset_of: ['y', 'x'], add: ['y'] }, b: { essential: true, superset_of: ['q'] } },
      ],
      [],
    );
    expect(merged).toEqual({ a: { subset_of: ['x', 'y'], add: ['x', 'y'] }, b: { essential: true, superset_of: ['p', 'q'] } });
  });

  it('refuses what does not comply', () => {
    expect(() => applyPolicy({ scope: 'email' }, mergePolicies([{ scope: { one_of: ['openid'] } }], []))).toThrow(/not one of/);
    expect(() => applyPolicy({ grant_types: ['implicit'] }, mergePolicies([{ grant_types: { superset_of: ['authorization_code'] } }], []))).toThrow(/lacks/);
    expect(() => mergePolicies([{ a: { one_of: ['x'] } }, { a: { one_of: ['y'] } }], [])).toThrow(/nothing in common/);
    expect(() => mergePolicies([{ a: { value: 'x', one_of: ['y'] } }], [])).toThrow(/not one of/);
    expect(() => mergePolicies([{ a: { value: null, essential: true } }], [])).toThrow(/cannot be removed/);
    expect(() => mergePolicies([{ a: { add: ['z'], subset_of: ['x'] } }], [])).toThrow(/add is not a subset/);
  });

  it('ignores an unknown operator unless it is critical', () => {
    expect(applyPolicy({ a: 1 }, mergePolicies([{ a: { regexp: '.' } }], []))).toEqual({ a: 1 });
    expect(() => mergePolicies([{ a: { regexp: '.' } }], ['regexp'])).toThrow(/critical operator/);
  });
});
