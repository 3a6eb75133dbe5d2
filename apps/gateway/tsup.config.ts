import { defineConfig } from 'tsup';

/** The gateway as one file to run with plain node (the container's entry point); npm packages stay external. */
export default defineConfig({
  entry: { main: 'src/main.ts' },
  format: ['cjs'],
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: true,
  noExternal: [/^@gamebuddies\//],
  tsconfig: 'tsconfig.json',
});
