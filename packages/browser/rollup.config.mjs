import { readFileSync } from 'node:fs';
import { iifeConfig, packageConfig } from '../../tooling/rollup.mjs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** Puts package.json's version into src/version.ts (tests from source see the placeholder). */
const versionPlugin = {
  name: 'waymark-version',
  transform: (code, id) => (id.endsWith('/src/version.ts') ? code.replace("'0.0.0-dev'", JSON.stringify(version)) : null),
};

const npm = packageConfig({
  entries: { index: 'src/index.ts', vitals: 'src/vitals.ts' },
  external: ['@waymark/core', 'web-vitals'],
});
npm[0].plugins.unshift(versionPlugin);

const embed = iifeConfig({ input: 'src/embed.ts', file: 'dist/embed.js' });
embed.plugins.unshift(versionPlugin);

// EMBED_ONLY=1 rebuilds just the embed (quick size checks)
export default process.env.EMBED_ONLY ? embed : [...npm, embed];
