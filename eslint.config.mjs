import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/**
 * The module boundaries, in two dimensions: `type:` (what a project is, which layer it may reach) and
 * `scope:` (whose it is). Production code may not import `type:testing` (libs/testing) except the
 * e2e apps, which are tests themselves; test files may, and a service scope's tests may also start
 * the Stripe emulator (`scope:emulator`) to stand in for Stripe. Everything else applies to tests as
 * to production code, so a writer test cannot reach the API's outbox store either.
 */
function boundaries({ tests }) {
  const testing = tests ? ['type:testing'] : [];
  const emulator = tests ? ['scope:emulator'] : [];
  return {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [
      {
        sourceTag: 'type:app',
        onlyDependOnLibsWithTags: ['type:domain', 'type:data-access', 'type:contracts', 'type:util', ...testing],
      },
      {
        sourceTag: 'type:domain',
        onlyDependOnLibsWithTags: ['type:domain', 'type:data-access', 'type:contracts', 'type:util', ...testing],
      },
      {
        sourceTag: 'type:data-access',
        onlyDependOnLibsWithTags: ['type:data-access', 'type:contracts', 'type:util', ...testing],
      },
      { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:util', ...testing] },
      { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', ...testing] },
      // The test helpers start processes, databases and brokers; they build on util libs only.
      { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:util', 'type:contracts', 'type:testing'] },
      {
        sourceTag: 'type:e2e',
        onlyDependOnLibsWithTags: ['type:util', 'type:contracts', 'type:data-access', 'type:domain', 'type:testing'],
      },
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:api', 'scope:shared', ...emulator] },
      { sourceTag: 'scope:sync', onlyDependOnLibsWithTags: ['scope:sync', 'scope:shared', ...emulator] },
      { sourceTag: 'scope:ingress', onlyDependOnLibsWithTags: ['scope:ingress', 'scope:shared', ...emulator] },
      { sourceTag: 'scope:writer', onlyDependOnLibsWithTags: ['scope:writer', 'scope:shared', ...emulator] },
      { sourceTag: 'scope:emulator', onlyDependOnLibsWithTags: ['scope:emulator', 'scope:shared'] },
      { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:emulator', 'scope:shared'] },
      // The model test drives every scope's domain functions in one process (apps/sync-model).
      {
        sourceTag: 'scope:system',
        onlyDependOnLibsWithTags: ['scope:api', 'scope:sync', 'scope:writer', 'scope:emulator', 'scope:shared'],
      },
      // The operator's CLI acts on the whole system, so it may use every scope's libs (apps still only libs).
      {
        sourceTag: 'scope:ops',
        onlyDependOnLibsWithTags: [
          'scope:api',
          'scope:sync',
          'scope:ingress',
          'scope:writer',
          'scope:shared',
          ...emulator,
        ],
      },
    ],
  };
}

export default [
  { ignores: ['**/dist', '**/node_modules', '.local/**', '.nx/**', 'coverage/**', 'jest.config.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': ['error', boundaries({ tests: false })],
    },
  },
  {
    // Executable entry points stay plain CommonJS so node runs them without a build step.
    files: ['**/bin/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests are checked too, against the same scopes; they may also use the test helpers and the emulator.
    files: ['**/*.test.ts', '**/test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries({ tests: true })] },
  },
  // Formatting is Prettier's (`npm run format`); this turns off the lint rules that would disagree with it.
  prettier,
];
