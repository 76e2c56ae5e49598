/**
 * Running the collector's own test suite against PostgreSQL: with `WAYMARK_TEST_STORE=postgres`,
 * `startTestCollector` (and the other test harnesses) open a PostgreSQL store instead of SQLite,
 * in a schema of its own per data directory, so parallel test files never meet and a restart on
 * the same data directory finds the same data. The schema is dropped with its directory; schemas
 * whose directory is gone (a test removed it, or a run was killed) are swept on the next start.
 *
 * `WAYMARK_TEST_DATABASE_URL` names the database (default: 127.0.0.1:5432, database `test`, user
 * `postgres`, else `root`). Under `CI=true` an unreachable database fails the test.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import pg from 'pg';
import { createPostgresStore, type PostgresStore } from './index';
import { quoteSchema } from './pool';

/** Which engine the test helpers use (`WAYMARK_TEST_STORE`, default `sqlite`). */
export const testStoreEngine = (): 'sqlite' | 'postgres' => (process.env.WAYMARK_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite');

const candidates = () =>
  process.env.WAYMARK_TEST_DATABASE_URL
    ? [process.env.WAYMARK_TEST_DATABASE_URL]
    : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];

let found: Promise<string> | undefined;
/** The first test database URL that answers (rejects with every attempt's reason otherwise). */
export function testDatabaseUrl(): Promise<string> {
  found ??= (async () => {
    const errors: string[] = [];
    for (const url of candidates()) {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return url;
      } catch (err) {
        errors.push(`${url}: ${(err as Error).message}`);
      } finally {
        await client.end().catch(() => {});
      }
    }
    throw new Error(`WAYMARK_TEST_STORE=postgres but no test database answers: ${errors.join('; ')}`);
  })();
  return found;
}

/** The schema of a data directory: stable across restarts, distinct per directory. */
export const testSchemaFor = (dataDir: string) => `wmt_${createHash('sha1').update(dataDir).digest('hex').slice(0, 20)}`;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: await testDatabaseUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Drops test schemas whose data directory no longer exists (the comment holds the directory). */
async function sweep(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ name: string; dir: string | null }>(
    `SELECT nspname AS name, obj_description(oid, 'pg_namespace') AS dir FROM pg_namespace WHERE nspname LIKE 'wmt\\_%'`,
  );
  for (const r of rows) {
    if (r.dir && !existsSync(r.dir)) await client.query(`DROP SCHEMA IF EXISTS ${quoteSchema(r.name)} CASCADE`).catch(() => {});
  }
}

/** Connection settings of the test store of `dataDir` (for child processes: `DATABASE_URL`, `WAYMARK_DATABASE_SCHEMA`). */
export async function testDatabaseFor(dataDir: string): Promise<{ url: string; schema: string }> {
  const schema = testSchemaFor(dataDir);
  mkdirSync(dataDir, { recursive: true }); // the schema lives as long as its directory (see sweep)
  await admin(async (c) => {
    await sweep(c);
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${quoteSchema(schema)}`).catch((err: { code?: string }) => {
      if (err.code !== '23505' && err.code !== '42P06') throw err;
    });
    await c.query(`COMMENT ON SCHEMA ${quoteSchema(schema)} IS ${pg.escapeLiteral(dataDir)}`);
  });
  return { url: await testDatabaseUrl(), schema };
}

/** A PostgreSQL store for `dataDir` when `WAYMARK_TEST_STORE=postgres`, else undefined (SQLite). */
export async function testStoreFor(dataDir: string): Promise<PostgresStore | undefined> {
  if (testStoreEngine() !== 'postgres') return undefined;
  return createPostgresStore(await testDatabaseFor(dataDir));
}

/** Drops the schema of `dataDir` (call when the directory is removed). No-op on SQLite. */
export async function dropTestStore(dataDir: string): Promise<void> {
  if (testStoreEngine() !== 'postgres') return;
  await admin((c) => c.query(`DROP SCHEMA IF EXISTS ${quoteSchema(testSchemaFor(dataDir))} CASCADE`));
}
