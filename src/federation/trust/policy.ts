import { TrustError } from './statements.js';

/**
 * OpenID Federation 1.0 metadata policy: the policies of a chain's statements merged from the
 * trust anchor down, then applied to the leaf's metadata of one entity type. The standard
 * operators only; another operator is ignored unless a statement lists it in
 * `metadata_policy_crit`, which refuses the chain.
 */
type Value = unknown;
export type ParameterPolicy = Record<string, Value>;
export type TypePolicy = Record<string, ParameterPolicy>;

const OPERATORS = ['value', 'add', 'default', 'one_of', 'subset_of', 'superset_of', 'essential'] as const;
type Operator = (typeof OPERATORS)[number];
const isOperator = (name: string): name is Operator => (OPERATORS as readonly string[]).includes(name);

const policyError = (message: string) => new TrustError('policy', message);

/** Canonical text of a JSON value (arrays as sets), for equality. */
function canonical(value: Value): string {
  if (Array.isArray(value)) return JSON.stringify(value.map(canonical).sort());
  if (value !== null && typeof value === 'object')
    return JSON.stringify(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  return JSON.stringify(value);
}
const same = (a: Value, b: Value) => canonical(a) === canonical(b);

function list(value: Value, where: string): Value[] {
  if (!Array.isArray(value)) throw policyError(`${where} must be an array`);
  return value;
}
const includes = (values: Value[], v: Value) => values.some((x) => same(x, v));
const union = (a: Value[], b: Value[]) => [...a, ...b.filter((v) => !includes(a, v))];
const intersection = (a: Value[], b: Value[]) => a.filter((v) => includes(b, v));

/** Merges a subordinate's policy for one parameter into its superior's (spec §6.1.3.1 of each operator). */
function mergeParameter(superior: ParameterPolicy, subordinate: ParameterPolicy, parameter: string): ParameterPolicy {
  const merged: ParameterPolicy = { ...superior };
  for (const [operator, operand] of Object.entries(subordinate)) {
    if (!isOperator(operator)) {
      merged[operator] = operand;
      continue;
    }
    const where = `${parameter}.${operator}`;
    if (!(operator in merged)) {
      merged[operator] = operand;
      continue;
    }
    const current = merged[operator];
    switch (operator) {
      case 'value':
      case 'default':
        if (!same(current, operand)) throw policyError(`${where}: the superior says ${JSON.stringify(current)}, a subordinate ${JSON.stringify(operand)}`);
        break;
      case 'add':
      case 'superset_of':
        merged[operator] = union(list(current, where), list(operand, where));
        break;
      case 'one_of':
      case 'subset_of': {
        const both = intersection(list(current, where), list(operand, where));
        if (operator === 'one_of' && both.length === 0) throw policyError(`${where}: the superior's and the subordinate's choices have nothing in common`);
        merged[operator] = both;
        break;
      }
      case 'essential':
        merged[operator] = current === true || operand === true;
        break;
    }
  }
  checkConsistent(merged, parameter);
  return merged;
}

/** Operators of one merged policy that contradict each other refuse the chain. */
function checkConsistent(p: ParameterPolicy, parameter: string): void {
  const fail = (what: string) => {
    throw policyError(`${parameter}: ${what}`);
  };
  if ('essential' in p && typeof p.essential !== 'boolean') fail('essential must be true or false');
  if ('value' in p && p.value !== null) {
    const value = p.value;
    if ('one_of' in p && !includes(list(p.one_of, parameter), value)) fail('value is not one of one_of');
    if ('subset_of' in p && !list(value, parameter).every((v) => includes(list(p.subset_of, parameter), v))) fail('value is not a subset of subset_of');
    if ('superset_of' in p && !list(p.superset_of, parameter).every((v) => includes(list(value, parameter), v))) fail('value is not a superset of superset_of');
    if ('add' in p && !list(p.add, parameter).every((v) => includes(list(value, parameter), v))) fail('value does not hold what add adds');
  }
  if ('value' in p && p.value === null && p.essential === true) fail('an essential parameter cannot be removed');
  if ('add' in p && 'subset_of' in p && !list(p.add, parameter).every((v) => includes(list(p.subset_of, parameter), v)))
    fail('add is not a subset of subset_of');
  if ('subset_of' in p && 'superset_of' in p && !list(p.superset_of, parameter).every((v) => includes(list(p.subset_of, parameter), v)))
    fail('superset_of is not a subset of subset_of');
}

/** The policies of a chain for one entity type, trust anchor first, merged into one. */
export function mergePolicies(policies: readonly (TypePolicy | undefined)[], crit: readonly string[]): TypePolicy {
  const merged: TypePolicy = {};
  for (const policy of policies) {
    for (const [parameter, operators] of Object.entries(policy ?? {})) {
      const unknown = Object.keys(operators).filter((o) => !isOperator(o) && crit.includes(o));
      if (unknown.length) throw policyError(`${parameter}: critical operator not understood: ${unknown.join(', ')}`);
      merged[parameter] = mergeParameter(merged[parameter] ?? {}, operators, parameter);
    }
  }
  return merged;
}

/** Applies a merged policy to metadata (operators in the order the specification gives). */
export function applyPolicy(metadata: Record<string, Value>, policy: TypePolicy): Record<string, Value> {
  const result: Record<string, Value> = { ...metadata };
  for (const [parameter, p] of Object.entries(policy)) {
    if ('value' in p) {
      if (p.value === null) delete result[parameter];
      else result[parameter] = p.value;
    }
    if ('add' in p) result[parameter] = parameter in result ? union(list(result[parameter], parameter), list(p.add, parameter)) : p.add;
    if ('default' in p && !(parameter in result)) result[parameter] = p.default;
    if ('one_of' in p && parameter in result && !includes(list(p.one_of, parameter), result[parameter]))
      throw policyError(`${parameter}: ${JSON.stringify(result[parameter])} is not one of ${JSON.stringify(p.one_of)}`);
    if ('subset_of' in p && parameter in result) result[parameter] = intersection(list(result[parameter], parameter), list(p.subset_of, parameter));
    if ('superset_of' in p && parameter in result) {
      const missing = list(p.superset_of, parameter).filter((v) => !includes(list(result[parameter], parameter), v));
      if (missing.length) throw policyError(`${parameter}: lacks ${JSON.stringify(missing)}`);
    }
    if (p.essential === true && (!(parameter in result) || (Array.isArray(result[parameter]) && list(result[parameter], parameter).length === 0)))
      throw policyError(`${parameter} is essential and missing`);
  }
  return result;
}
