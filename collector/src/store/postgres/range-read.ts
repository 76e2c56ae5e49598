/**
 * The hot reads (export pages, activity-feed pages, a user's events) must be index ranges in the
 * index's order whatever the planner's statistics say. Without statistics (a new daily partition,
 * autovacuum off) PostgreSQL estimates about one matching row per partition, and for one row an
 * Append + Sort or a sequential scan looks as cheap as the ordered index scan, and then every page
 * reads and sorts the whole remaining range. So these statements are planned with sorts and
 * sequential scans priced out, for the statement's transaction only: with the indexes they were
 * written for, the ordered index scan (a Merge Append across partitions) is the plan left.
 */
import type pg from 'pg';
import { inTransaction } from './pool';

/** Priced out for the current transaction; `SET LOCAL` ends with it. */
export const INDEX_RANGE_SETTINGS = 'SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off';

/** Runs a query in a transaction of its own under {@link INDEX_RANGE_SETTINGS}. */
export function rangeRead<R extends pg.QueryResultRow>(pool: pg.Pool, sql: string, values: unknown[]): Promise<pg.QueryResult<R>>;
/** The same with rows as arrays (`rowMode: 'array'`), `R` the row's tuple type. */
export function rangeRead<R extends unknown[]>(pool: pg.Pool, query: pg.QueryArrayConfig): Promise<pg.QueryArrayResult<R>>;
export function rangeRead(pool: pg.Pool, query: string | pg.QueryArrayConfig, values?: unknown[]): Promise<pg.QueryResult | pg.QueryArrayResult> {
  return inTransaction(pool, async (client) => {
    await client.query(INDEX_RANGE_SETTINGS);
    return typeof query === 'string' ? client.query(query, values) : client.query(query);
  });
}
