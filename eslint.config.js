// ESLint (typescript-eslint): the rules that keep the structure of docs/architecture.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What each layer may not import (docs/architecture.md; test/layers.test.ts checks the same). */
const above = {
  domain: [
    'config',
    'db',
    'i18n',
    'security',
    'audit',
    'outbox',
    'sessions',
    'letters',
    'clients',
    'adapters',
    'ui',
    'flows',
    'oidc',
    'federation',
    'cns',
    'catalog',
    'dev',
    'backoffice',
    'server',
  ],
  platform: ['ui', 'flows', 'oidc', 'federation', 'cns', 'catalog', 'dev', 'backoffice', 'server'],
  ui: ['flows', 'oidc', 'federation', 'cns', 'catalog', 'dev', 'backoffice', 'server'],
  features: ['backoffice', 'server'],
  backoffice: ['server'],
};
const boundary = (files, layer) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: above[layer].flatMap((dir) => [`**/${dir}/**`, `../${dir}/*`, `../../${dir}/*`]),
            message: `A ${layer} module may not import a higher layer (docs/architecture.md).`,
          },
        ],
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', '.cache/**', '**/*.js', '**/*.mjs', '!eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'error',
      // A module adds its text keys to `Messages` by an interface that only extends (src/i18n/index.ts).
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'as', objectLiteralTypeAssertions: 'never' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "TSAsExpression > MemberExpression.expression[object.name='req'][property.name=/^(params|query|body)$/]",
          message: 'Type the route (schema or a typed route helper of src/ui/route.ts) instead of casting the request.',
        },
      ],
    },
  },
  {
    // Tests and benches: an assertion on what a test set up itself is a test's own check.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      // A test's fake is often a partial object of a real type, on purpose.
      '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'as', objectLiteralTypeAssertions: 'allow' }],
    },
  },
  boundary(['src/domain/**/*.ts'], 'domain'),
  boundary(['src/{config,db,i18n,security,audit,outbox,sessions,letters,clients,adapters}/**/*.ts'], 'platform'),
  boundary(['src/ui/**/*.ts'], 'ui'),
  boundary(['src/{flows,oidc,federation,cns,catalog,dev}/**/*.ts'], 'features'),
  boundary(['src/backoffice/**/*.ts'], 'backoffice'),
);
