import { defineConfig, type Options } from 'tsup';

/**
 * How every publishable library is built: ESM and CommonJS with type declarations, for Node 20. Shared
 * modules are split into chunks in both formats, so entry points (`.` and `./testing`) use one copy of the
 * error classes and `instanceof` works between them. Run from the library's folder.
 */
export function libraryConfig(entry: Record<string, string>, overrides: Options = {}): ReturnType<typeof defineConfig> {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    splitting: true,
    dts: { compilerOptions: { composite: false } },
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    clean: true,
    tsconfig: 'tsconfig.lib.json',
    ...overrides,
  });
}
