/** A migrated SQLite store in a fresh temporary directory for each test of the calling file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createSqliteStore, type SqliteStore } from '../../src/store/sqlite/index';
import { migrations } from '../../src/store/sqlite/migrations';

/** The current test's store and its directory, set by {@link useSqliteStore} (live bindings). */
export let store: SqliteStore;
export let dir: string;

/** Opens and migrates `<tmp>/waymark-<name>-*\/w.db` before each test; closes and removes it after. */
export function useSqliteStore(name: string): void {
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), `waymark-${name}-`));
    store = createSqliteStore({ filename: join(dir, 'w.db') });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
}

/** Closes the current test's store and puts `next` in its place (closed after the test like the first). */
export async function replaceStore(next: SqliteStore): Promise<void> {
  await store.close();
  store = next;
}

/**
 * Brings `store` to the schema just before the first migration whose text contains `marker`, as a
 * version of the collector without that migration left its file; returns that migration's index.
 */
export function migrateUpTo(store: SqliteStore, marker: string): number {
  const target = migrations.findIndex((m) => m.includes(marker));
  if (target <= 0) throw new Error(`no migration after the first contains ${JSON.stringify(marker)}`);
  for (let v = 0; v < target; v++) {
    store.db.exec(migrations[v]!);
    store.db.pragma(`user_version = ${v + 1}`);
  }
  return target;
}
