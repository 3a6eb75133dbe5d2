import { defineConfig } from 'tsup';

/** The CLI as one file to run with plain node; the workspace's libraries are bundled, npm packages stay external. */
export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: ['cjs'],
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: true,
  noExternal: [/^@gamebuddies\//],
  tsconfig: 'tsconfig.json',
  banner: { js: '#!/usr/bin/env node' },
});
