#!/usr/bin/env node
// The `waymark-collector` command. It exists before any build, so that `npm install` links it
// (npm links no bin whose file is missing) and `npx waymark-collector` in the repository runs
// this package instead of looking the name up in the registry.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('waymark-collector: the collector is not built yet: run `npm run build` (or `npm start`) at the repository root');
  process.exit(1);
}
await import(cli.href);
