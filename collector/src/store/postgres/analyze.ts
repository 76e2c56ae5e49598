/**
 * Planner statistics after the collector changes tables in bulk. Autovacuum may be off (some
 * servers, some managed setups during bulk loads), and a never-analyzed table is planned from
 * guesses; so the collector analyzes what it has just created, purged or loaded instead of
 * waiting for a daemon that may never come. The hot reads do not depend on these statistics
 * (their indexes have the reads' order); the others plan better with them.
 */
import type pg from 'pg';

/** Raw events and what is stored next to them, per event. */
export const RAW_TABLES = ['raw_events', 'event_ids', 'outbox', 'activity', 'pixel_records'] as const;
/** What `rebuildRollups` rewrites. */
export const ROLLUP_TABLES = ['counters', 'rm_entities', 'rm_sums', 'rm_sketches', 'rm_contents'] as const;

/** `ANALYZE` of each table (a partitioned table: the parent and every partition). */
export async function analyze(db: Pick<pg.ClientBase, 'query'>, tables: readonly string[]): Promise<void> {
  for (const t of tables) await db.query(`ANALYZE ${t}`);
}
