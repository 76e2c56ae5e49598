// Every published package must import cleanly for ESM, CJS and TypeScript users:
// publint checks the package.json/exports, attw checks the types each resolution mode sees.
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const dirs = [...readdirSync('packages').map((d) => `packages/${d}`), 'collector'];
let failed = 0;
for (const dir of dirs) {
  if (!existsSync(`${dir}/package.json`)) continue;
  const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
  if (pkg.private) continue;
  for (const [cmd, args] of [
    ['publint', [dir, '--strict']],
    ['attw', ['--pack', dir, '--profile', 'node16', '--format', 'table-flipped']],
  ]) {
    console.log(`\n> ${cmd} ${pkg.name}`);
    const r = spawnSync('npx', ['--no-install', cmd, ...args], { stdio: 'inherit' });
    if (r.status !== 0) failed++;
  }
}
process.exit(failed ? 1 : 0);
