/**
 * In-repository bundles use the packages' builds, like users' bundles do. The root tsconfig maps
 * `@waymark/*` to sources only under the `@waymark/source` export condition (for `tsc` and the
 * editor), never through `paths`, which bundlers such as esbuild apply to every file under the
 * repository: an app importing `@waymark/browser` would then get the sources while
 * `@waymark/react`'s build imports the built browser package, two copies with two trackers.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the repository's tooling, without declarations
import { buildAll } from '../build-all.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));

it('an app in the repository bundles each Waymark package once, from its build', async () => {
  buildAll({ log: () => {} });
  const r = await build({
    stdin: {
      contents: `import { getTracker } from '@waymark/browser';\nimport { useTracker } from '@waymark/react';\nimport { createTracker } from '@waymark/core';\nconsole.log(getTracker, useTracker, createTracker);`,
      resolveDir: `${repo}examples/react-app/src`, // governed by the root tsconfig.json
      loader: 'ts',
    },
    absWorkingDir: repo,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    external: ['react', 'react-dom', 'react/jsx-runtime'],
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(r.metafile.inputs).filter((f) => f.startsWith('packages/'));
  expect(inputs.length).toBeGreaterThan(0);
  for (const f of inputs) expect(f).toMatch(/^packages\/(core|browser|react)\/dist\/[\w-]+\.js$/);
});
