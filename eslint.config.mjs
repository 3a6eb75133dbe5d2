import nx from '@nx/eslint-plugin';

/** Which projects may import which, by tag. Libraries never import apps; stores never import each other. */
const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:lib', 'type:tooling'] },
  // core is the bottom: it imports no other library. The wire contract, the client and the operations
  // libraries (health, metrics) each sit on it and never on each other, except the client on the contract.
  { sourceTag: 'layer:core', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'layer:protocol', onlyDependOnLibsWithTags: ['layer:core'] },
  { sourceTag: 'layer:client', onlyDependOnLibsWithTags: ['layer:core', 'layer:protocol'] },
  { sourceTag: 'layer:ops', onlyDependOnLibsWithTags: ['layer:core'] },
  { sourceTag: 'layer:store-support', onlyDependOnLibsWithTags: ['layer:core', 'layer:store-support'] },
  { sourceTag: 'layer:store', onlyDependOnLibsWithTags: ['layer:core', 'layer:store-support'] },
  { sourceTag: 'layer:sdk', onlyDependOnLibsWithTags: ['layer:core', 'layer:sdk'] },
  { sourceTag: 'layer:game', onlyDependOnLibsWithTags: ['layer:core', 'layer:sdk'] },
  { sourceTag: 'layer:host', onlyDependOnLibsWithTags: ['layer:core', 'layer:protocol', 'layer:sdk', 'layer:store', 'layer:store-support'] },
];

/** Extra dependencies tests may have: real games to host, for the layers that host games. */
const testOnlyTags = { 'layer:host': ['layer:game'] };

/** Tests and benchmarks may also use the workspace's tooling (helpers that start real services). */
const testDepConstraints = depConstraints.map((c) => ({
  ...c,
  onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:tooling', ...(testOnlyTags[c.sourceTag] ?? [])],
}));

const testFiles = ['**/*.spec.ts', '**/tests/**/*.ts', '**/bench/**/*.ts', '**/examples/**/*.ts', '**/testing/**/*.ts'];

export default [
  { ignores: ['**/dist', '**/node_modules', '**/coverage', 'reports', '.nx'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: testFiles,
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints: testDepConstraints },
      ],
      // Tests index into arrays they just built; an assertion there reads better than a guard.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Build configuration, not library code: every library's tsup config uses the shared one in tools/tsup.
    files: ['**/tsup.config.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['tools/**/*.ts', '**/bench/**/*.ts', '**/examples/**/*.ts', 'apps/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
];
