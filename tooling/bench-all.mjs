// Runs each workspace's `bench` script, in the order the workspaces depend on each other.
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

for (const dir of ['packages/core', 'packages/browser', 'packages/node', 'packages/react', 'collector']) {
  if (!existsSync(`${dir}/package.json`)) continue;
  const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
  if (!pkg.scripts?.bench) continue;
  console.log(`\n> bench ${pkg.name}`);
  const r = spawnSync('npm', ['run', 'bench', '--silent'], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
