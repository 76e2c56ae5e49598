/**
 * Under `CI=true` the PostgreSQL and Redis tests fail instead of skipping when the service is
 * missing: the helpers reject (the test file then fails to load), outside CI they answer null.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const helper = fileURLToPath(new URL('./pg-test-db.ts', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

async function probe(fn: 'findPostgres' | 'findRedis', ci: boolean): Promise<string> {
  const code = `import(${JSON.stringify(helper)}).then((m) => m.${fn}()).then((v) => console.log('value', v), (e) => console.log('error', e.message))`;
  const env = { ...process.env, CI: ci ? 'true' : '', WAYMARK_TEST_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test', WAYMARK_TEST_REDIS_URL: 'redis://127.0.0.1:1' };
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', code], { cwd: root, env });
  return stdout.trim();
}

describe('test services under CI', () => {
  it('a missing PostgreSQL fails under CI=true and skips otherwise', async () => {
    expect(await probe('findPostgres', true)).toMatch(/^error PostgreSQL is required under CI=true/);
    expect(await probe('findPostgres', false)).toBe('value null');
  });
  it('a missing Redis fails under CI=true and skips otherwise', async () => {
    expect(await probe('findRedis', true)).toMatch(/^error Redis is required under CI=true/);
    expect(await probe('findRedis', false)).toBe('value null');
  });
});
