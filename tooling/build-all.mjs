// Builds the workspaces in dependency order (npm's own --workspaces order is alphabetical).
import { existsSync, readFileSync } from 'node:fs';
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const order = ['packages/core', 'packages/browser', 'packages/node', 'packages/react', 'collector'];
const examples = existsSync('examples')
  ? readdirSync('examples').map((d) => `examples/${d}`).filter((d) => existsSync(`${d}/package.json`))
  : [];
for (const dir of [...order, ...examples]) {
  if (!existsSync(`${dir}/package.json`)) continue;
  const pkg = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
  if (!pkg.scripts?.build) continue;
  console.log(`\n> build ${pkg.name}`);
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build failed in ${dir}`);
    process.exit(r.status ?? 1);
  }
}
