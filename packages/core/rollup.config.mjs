import { packageConfig } from '../../tooling/rollup.mjs';

const config = packageConfig({
  entries: { index: 'src/index.ts', idb: 'src/idb.ts', schema: 'src/schema.ts' },
  external: ['idb-keyval', 'zod'],
});
// the embed build flag's branches inside try blocks are folded too (rollup keeps all of a try block by default)
config[0].treeshake = { tryCatchDeoptimization: false };
export default config;
