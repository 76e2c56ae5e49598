import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { packageConfig } from '../../tooling/rollup.mjs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** Puts package.json's version into src/version.ts (tests from source see the placeholder). */
const versionPlugin = {
  name: 'waymark-version',
  transform: (code, id) => (id.endsWith('/src/version.ts') ? code.replace("'0.0.0-dev'", JSON.stringify(version)) : null),
};

// `@waymark/core` stays a dependency (one copy shared with the other SDKs); Node builtins are
// imported as `node:*` in the source, the bare names are listed for completeness.
const config = packageConfig({
  entries: { index: 'src/index.ts', pixel: 'src/pixel.ts' },
  external: ['@waymark/core', ...builtinModules],
});
config[0].plugins.unshift(versionPlugin);
export default config;
