import { readFileSync } from 'node:fs';
import { packageConfig } from '../tooling/rollup.mjs';
import dashboard from './rollup.dashboard.mjs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const external = [...Object.keys(pkg.dependencies ?? {}), '@waymark/core'];

const [js, ...types] = packageConfig({
  entries: { index: 'src/index.ts', cli: 'src/cli.ts', testing: 'src/testing.ts', 'processor-worker': 'src/processor-worker.ts' },
  external,
});
// the CLI is run directly (`bin`): only its entry gets the shebang
for (const out of js.output) out.banner = (chunk) => (chunk.isEntry && chunk.name === 'cli' ? '#!/usr/bin/env node' : '');
// the CLI and the worker are not importable: no declarations for them
export default [js, ...types.filter((t) => t.input !== 'src/cli.ts' && t.input !== 'src/processor-worker.ts'), dashboard];
