import { readFileSync } from 'node:fs';
import { iifeConfig, packageConfig } from '../../tooling/rollup.mjs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** Puts package.json's version into src/version.ts (tests from source see the placeholder). */
const versionPlugin = {
  name: 'waymark-version',
  transform: (code, id) => (id.endsWith('/src/version.ts') ? code.replace("'0.0.0-dev'", JSON.stringify(version)) : null),
};

/** The embed's build flags (src/build.ts of the browser package and of the core): true in the embed only. */
const embedFlag = {
  name: 'waymark-embed-flag',
  transform: (code, id) => (id.endsWith('/src/build.ts') ? code.replace('EMBED = false', 'EMBED = true') : null),
};

const npm = packageConfig({
  entries: { index: 'src/index.ts', vitals: 'src/vitals.ts' },
  external: ['@waymark/core', 'web-vitals'],
});
npm[0].plugins.unshift(versionPlugin);

// the embed compiles the core from its sources, so that the core's build flag (src/build.ts) is set too
const embed = iifeConfig({
  input: 'src/embed.ts',
  file: 'dist/embed.js',
  tsconfig: './tsconfig.embed.json',
  include: ['browser/src/**/*.ts', 'core/src/**/*.ts'],
  // lhs_constants off: `e==408` as written, not `408==e` (measured -8 B); unsafe_methods: arrow
  // properties become methods (`track(e,t){…}`, -8 B), safe as no object method of the bundle is
  // called with `new` or reads `this`/`arguments`. Both cost the web-vitals add-on 4 B, so only here.
  compress: { lhs_constants: false, unsafe_methods: true },
});
embed.plugins.unshift(versionPlugin, embedFlag);
// the embed's web-vitals add-on, a script of its own so that the embed carries none of web-vitals
const embedVitals = iifeConfig({ input: 'src/embed-vitals.ts', file: 'dist/embed-vitals.js' });

// EMBED_ONLY=1 rebuilds just the two scripts (quick size checks, end-to-end tests)
export default process.env.EMBED_ONLY ? [embed, embedVitals] : [...npm, embed, embedVitals];
