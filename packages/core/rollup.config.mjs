import { packageConfig } from '../../tooling/rollup.mjs';

export default packageConfig({
  entries: { index: 'src/index.ts', idb: 'src/idb.ts', schema: 'src/schema.ts' },
  external: ['idb-keyval', 'zod'],
});
