/**
 * Opens (and fills once) the store of the export benchmark: a SQLite file or a PostgreSQL database
 * named by the environment, filled through `store.append` and the processor (`analytics-generate.ts`)
 * only when it holds no event yet, so a second run measures the same data.
 *
 *   WAYMARK_BENCH_DB=/tmp/pg-bench/1m.db                                  # SQLite file
 *   WAYMARK_BENCH_PG=postgres://postgres@127.0.0.1:5432/wm_pg_bench        # PostgreSQL database
 *   WAYMARK_BENCH_EVENTS=1000000                                           # events when it is empty
 */
import { createSqliteStore } from '../src/store/sqlite/index';
import type { Store } from '../src/store/types';
import { ORG, generate } from './analytics-generate';

export async function openBenchStore(log: (m: string) => void = console.log): Promise<Store> {
  const total = Number(process.env.WAYMARK_BENCH_EVENTS ?? 1_000_000);
  const pgUrl = process.env.WAYMARK_BENCH_PG;
  let store: Store;
  if (pgUrl) {
    const { createPostgresStore } = await import('../src/store/postgres/index');
    store = createPostgresStore({ url: pgUrl, max: 4 });
  } else {
    store = createSqliteStore({ filename: process.env.WAYMARK_BENCH_DB ?? '/tmp/pg-bench/export.db' });
  }
  await store.migrate();
  if ((await store.countEvents(ORG)) === 0) await generate(store, total, log);
  return store;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const store = await openBenchStore();
  console.log(`${store.engine}: ${(await store.countEvents(ORG)).toLocaleString('en')} raw events`);
  await store.close();
}
