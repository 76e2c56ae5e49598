// `npm start [-- options]`: builds what changed since the last build, then runs the collector's
// `start` command in this process with the options given, e.g. `npm start -- --port 8788`
// (`npm start -- --help` lists them).
import { buildAll } from './build-all.mjs';

try {
  buildAll();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
// the CLI reads process.argv: [node, script, command, ...options]
process.argv.splice(2, 0, 'start');
await import(new URL('../collector/dist/cli.js', import.meta.url).href);
