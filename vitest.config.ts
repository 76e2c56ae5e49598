import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests import every workspace package from source, so no build is needed for unit tests;
// subpath `@waymark/<pkg>/<name>` maps to `packages/<pkg>/src/<name>.ts` (the exports map
// of each package follows the same convention).
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@waymark\/collector$/, replacement: `${root}collector/src/index.ts` },
      { find: /^@waymark\/collector\/(.+)$/, replacement: `${root}collector/src/$1.ts` },
      { find: /^@waymark\/(core|browser|react|node)$/, replacement: `${root}packages/$1/src/index.ts` },
      { find: /^@waymark\/(core|browser|react|node)\/(.+)$/, replacement: `${root}packages/$1/src/$2.ts` },
    ],
  },
  test: {
    include: [
      'packages/*/test/**/*.test.{ts,tsx}',
      'packages/*/e2e/**/*.test.ts',
      'collector/test/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
      'tooling/test/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    benchmark: { include: ['packages/*/bench/**/*.bench.ts', 'collector/bench/**/*.bench.ts'] },
  },
});
