/**
 * The whole collector test suite, run a second time on PostgreSQL: `WAYMARK_TEST_STORE=postgres`
 * makes every test helper (`startTestCollector`, the analytics harness, child collectors) open a
 * PostgreSQL store in a schema of its own instead of SQLite. This file starts that run as a child
 * `vitest run`, so the plain `npm test` (and CI) covers both engines. The PostgreSQL-only tests
 * (this folder, `scale/`) are not repeated. Under `CI=true` a missing PostgreSQL fails here.
 *
 * A test that opens the engine itself should open its store with `testStoreFor(dataDir)` (from
 * `src/store/postgres/testing.ts`, falling back to SQLite); one that can only ever run on SQLite
 * says so with a line `// waymark-test-store: sqlite-only`, and one that runs on both engines by
 * itself (`test/helpers/engines.ts`) with `// waymark-test-store: both-engines`; both are left out
 * of this run.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findPostgres } from './pg-test-db';

const nested = process.env.WAYMARK_TEST_STORE === 'postgres';
const available = nested ? null : await findPostgres();
const root = fileURLToPath(new URL('../../..', import.meta.url));
const vitest = fileURLToPath(new URL('../../../node_modules/vitest/vitest.mjs', import.meta.url));

/** Test files marked `// waymark-test-store: sqlite-only` or `both-engines`. */
function leftOut(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts') && /\/\/ waymark-test-store: (sqlite-only|both-engines)/.test(readFileSync(join(dir, f), 'utf8')))
    .map((f) => relative(root, join(dir, f)));
}

describe.skipIf(nested || !available)('the collector test suite on PostgreSQL', () => {
  it('passes with WAYMARK_TEST_STORE=postgres', async () => {
    const skip = leftOut(join(root, 'collector/test')).flatMap((f) => ['--exclude', f]);
    const args = ['run', 'collector/test', '--exclude', 'collector/test/postgres/**', '--exclude', 'collector/test/scale/**', ...skip, '--reporter', 'dot'];
    const child = spawn(process.execPath, [vitest, ...args], {
      cwd: root,
      env: { ...process.env, WAYMARK_TEST_STORE: 'postgres', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    out = out.replace(/\x1b\[[0-9;]*m/g, '');
    const summary = out.split('\n').filter((l) => /Test Files|Tests |FAIL|failed/.test(l)).join('\n');
    // on failure the assertion message carries the child's report
    expect(code, `${summary}\n\n${out.slice(-8000)}`).toBe(0);
    expect(out).toMatch(/Test Files\s+\d+ passed/);
  }, 1_200_000);
});
