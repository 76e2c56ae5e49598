/**
 * Both engines for tests whose one body runs on each (or compares them): SQLite in a temporary
 * file and PostgreSQL in a schema of its own. Files that use it carry the line
 * `// waymark-test-store: both-engines`, so the PostgreSQL re-run of the suite
 * (`test/postgres/whole-suite.test.ts`) leaves them out: they cover PostgreSQL already.
 * Under `CI=true` a missing PostgreSQL fails the file; elsewhere only the SQLite half runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStore, type PostgresStore } from '../../src/store/postgres/index';
import { createSqliteStore, type SqliteStore } from '../../src/store/sqlite/index';
import { startTestCollector, type TestCollector, type TestCollectorOptions } from '../../src/testing';
import { createTestSchema, findPostgres } from '../postgres/pg-test-db';

export type Engine = 'sqlite' | 'postgres';

/** The engines this machine can run: SQLite always, PostgreSQL when it answers (always under CI). */
export const ENGINES: readonly Engine[] = (await findPostgres()) ? ['sqlite', 'postgres'] : ['sqlite'];

/** A fresh, migrated store of `engine`; `dispose()` closes it (if still open) and removes its data. */
export async function openStore(engine: Engine): Promise<{ store: SqliteStore | PostgresStore; dispose(): Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-engine-'));
    const store = createSqliteStore({ filename: join(dir, 'w.db') });
    await store.migrate();
    return {
      store,
      async dispose() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = await createTestSchema('wme');
  if (!schema) throw new Error('PostgreSQL is not available');
  const store = createPostgresStore({ url: schema.url, schema: schema.schema });
  await store.migrate();
  let closed = false;
  const close = store.close.bind(store);
  store.close = async () => {
    if (!closed) await close();
    closed = true;
  };
  return {
    store,
    async dispose() {
      await store.close();
      await schema.drop();
    },
  };
}

/** A test collector (real HTTP) on a fresh store of `engine`; `stop()` also removes the store. */
export async function startEngineCollector(engine: Engine, opts: Omit<TestCollectorOptions, 'store'> = {}): Promise<TestCollector & { engine: Engine }> {
  const { store, dispose } = await openStore(engine);
  const c = await startTestCollector({ ...opts, store });
  return {
    ...c,
    engine,
    async stop() {
      await c.stop();
      await dispose();
    },
  };
}
