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

/**
 * Keeps the outbox, a queue whose every row is deleted once applied, from growing into a file of
 * dead rows when autovacuum is off (a million events left 420 B of dead outbox per event): after
 * every `every` acknowledged rows, `VACUUM (SKIP_LOCKED)` of the outbox makes the space reusable
 * and gives back the empty tail. SKIP_LOCKED: a processor never waits for another one's vacuum.
 */
export function createOutboxVacuum(pool: pg.Pool, every = 20_000) {
  let acked = 0;
  let running: Promise<unknown> | undefined;
  return {
    /** Counts `n` acknowledged rows; starts a vacuum (not awaited, outside any transaction) when due. */
    acked(n: number): void {
      acked += n;
      if (acked < every || running) return;
      acked = 0;
      running = pool
        .query('VACUUM (SKIP_LOCKED, ANALYZE) outbox')
        .catch(() => {}) // a vacuum that fails (database going down) is retried after the next `every` rows
        .finally(() => (running = undefined));
    },
    /** Resolves when no vacuum is running (close waits for it). */
    idle: () => running ?? Promise.resolve(),
  };
}
