import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { composite: false } },
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: true,
  tsconfig: 'tsconfig.lib.json',
});
