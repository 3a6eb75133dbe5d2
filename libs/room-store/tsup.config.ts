import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  // One copy of shared modules (error classes) across entry points, so instanceof works between them.
  splitting: true,
  dts: { compilerOptions: { composite: false } },
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: true,
  tsconfig: 'tsconfig.lib.json',
});
