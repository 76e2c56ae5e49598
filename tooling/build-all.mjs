// Builds the workspaces in dependency order (npm's own --workspaces order is alphabetical), and
// only those whose inputs changed: each build leaves a fingerprint of its inputs (its files
// outside dist/ and tests, the shared build config, the lockfile, and the fingerprints of the
// workspaces it depends on) in node_modules/.cache/waymark-build/. `--force` rebuilds everything.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const order = ['packages/core', 'packages/browser', 'packages/node', 'packages/react', 'collector'];
/** what every build reads besides its own directory */
const SHARED = ['tooling/rollup.mjs', 'tsconfig.json', 'package-lock.json'];
/** not build inputs: outputs, tests, benchmarks, docs, local data */
const SKIP_DIRS = new Set(['dist', 'node_modules', 'test', 'e2e', 'bench', 'docs', '.waymark-data']);
const stamps = join(root, 'node_modules', '.cache', 'waymark-build');

/** The buildable workspaces, in build order: `{ dir, pkg }`. */
export function workspaces() {
  const examples = readdirSync(join(root, 'examples'))
    .map((d) => `examples/${d}`)
    .filter((d) => existsSync(join(root, d, 'package.json')));
  return [...order, ...examples]
    .filter((dir) => existsSync(join(root, dir, 'package.json')))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => pkg.scripts?.build);
}

function files(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!SKIP_DIRS.has(name) && !name.startsWith('.')) files(path, out);
    } else if (!name.endsWith('.md') && !name.endsWith('.tsbuildinfo')) out.push(path);
  }
  return out;
}

function fingerprint(dir, depPrints) {
  const h = createHash('sha256');
  for (const f of [...SHARED.map((s) => join(root, s)), ...files(join(root, dir))]) {
    if (!existsSync(f)) continue;
    h.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  }
  for (const p of depPrints) h.update(p);
  return h.digest('hex');
}

/** The files a consumer of the workspace loads must exist (a deleted dist/ is rebuilt). */
function outputsExist(dir, pkg) {
  const targets = [pkg.main, pkg.module, pkg.types, ...Object.values(pkg.bin ?? {})].filter((t) => typeof t === 'string' && t.includes('dist/'));
  if (!targets.length) targets.push(existsSync(join(root, dir, 'index.html')) ? 'dist/index.html' : 'dist');
  return targets.every((t) => existsSync(join(root, dir, t)));
}

const stampFile = (pkg) => join(stamps, `${pkg.name.replace(/[@/]/g, '_')}.json`);

function readStamp(pkg) {
  try {
    return JSON.parse(readFileSync(stampFile(pkg), 'utf8')).fingerprint;
  } catch {
    return undefined;
  }
}

function writeStamp(pkg, fp) {
  mkdirSync(stamps, { recursive: true });
  // write then rename: a copied node_modules (hard links) never sees this file change in place
  const tmp = `${stampFile(pkg)}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ fingerprint: fp, builtAt: new Date().toISOString() }));
  renameSync(tmp, stampFile(pkg));
}

/**
 * Builds what changed. Returns the names of the workspaces built.
 * @param {{ force?: boolean, log?: (line: string) => void }} [o]
 */
export function buildAll(o = {}) {
  const unlock = lock();
  try {
    return buildUnlocked(o);
  } finally {
    unlock();
  }
}

/** One build at a time (test files that need the builds start together): the others wait, then find it current. */
function lock() {
  const dir = join(stamps, '.lock');
  mkdirSync(stamps, { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(dir);
      return () => rmSync(dir, { recursive: true, force: true });
    } catch {
      // a lock left by a killed build: no build of everything takes 15 minutes
      if (existsSync(dir) && Date.now() - statSync(dir).mtimeMs > 15 * 60_000) rmSync(dir, { recursive: true, force: true });
      if (waited > 20 * 60_000) throw new Error(`waited 20 minutes for ${dir}; remove it if no build is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

function buildUnlocked(o) {
  const log = o.log ?? ((l) => console.log(l));
  const prints = new Map();
  const built = [];
  for (const { dir, pkg } of workspaces()) {
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }).filter((d) => prints.has(d));
    const fp = fingerprint(dir, deps.map((d) => prints.get(d)));
    prints.set(pkg.name, fp);
    if (!o.force && readStamp(pkg) === fp && outputsExist(dir, pkg)) continue;
    log(`\n> build ${pkg.name}`);
    const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: join(root, dir), stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`build failed in ${dir} (exit ${r.status})`);
    writeStamp(pkg, fp);
    built.push(pkg.name);
  }
  log(built.length ? `\nbuilt ${built.join(', ')}` : `build is current (${prints.size} workspaces unchanged since their last build)`);
  return built;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    buildAll({ force: process.argv.includes('--force') });
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
