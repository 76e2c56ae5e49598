import type pg from 'pg';
import { analyze } from './analyze';

/**
 * Daily range partitions of the raw-event tables, keyed by the day the collector RECEIVED the
 * event (`received_at`, bigint ms, UTC). Partitioning by arrival rather than by the client's timestamp
 * means a client can never make us create partitions for arbitrary dates, partitions are only
 * ever needed for today and tomorrow, and retention drops whole days with `DROP TABLE`.
 */
const DAY_MS = 86_400_000;

/** `2026-11-23` for a UTC instant. */
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const compact = (day: string) => day.replaceAll('-', '');
export const partitionName = (table: string, day: string) => `${table}_p${compact(day)}`;

/**
 * Creates the partitions for `days` that do not exist yet; safe when several processes race.
 * Each new partition is analyzed at once, so the planner never meets a partition without statistics.
 */
export async function createDailyPartitions(client: pg.ClientBase, table: string, days: string[]): Promise<void> {
  const created: string[] = [];
  await client.query('BEGIN');
  try {
    // Serialises creators of this table's partitions: CREATE TABLE IF NOT EXISTS alone can
    // still fail with a catalog unique violation when two sessions race.
    // The key includes the schema: advisory locks are per database, schemas (tests) are not.
    await client.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':partition:' || $1))", [table]);
    for (const day of days) {
      const name = partitionName(table, day);
      const exists = await client.query<{ r: string | null }>('SELECT to_regclass($1)::text AS r', [name]);
      if (exists.rows[0]!.r) continue;
      const start = Date.parse(`${day}T00:00:00Z`);
      await client.query(`CREATE TABLE ${name} PARTITION OF ${table} FOR VALUES FROM (${start}) TO (${start + DAY_MS})`);
      created.push(name);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
  await analyze(client, created);
}

/** Existing partitions of `table` in the current schema, with the day each one holds. */
export async function listPartitions(client: Pick<pg.Pool, 'query'>, table: string): Promise<{ name: string; day: string }[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name
       FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = $1 AND p.relnamespace = current_schema()::regnamespace
      ORDER BY c.relname`,
    [table],
  );
  return rows
    .map((r) => {
      const m = /_p(\d{4})(\d{2})(\d{2})$/.exec(r.name);
      return m ? { name: r.name, day: `${m[1]}-${m[2]}-${m[3]}` } : null;
    })
    .filter((p): p is { name: string; day: string } => p !== null);
}

/**
 * Remembers which partitions exist so the ingest path asks PostgreSQL only once per day and
 * table; it creates today's and tomorrow's together so midnight never waits on DDL.
 */
export function createPartitionCache(pool: pg.Pool) {
  const known = new Set<string>();
  const pending = new Map<string, Promise<void>>();
  return {
    async ensure(table: string, receivedMs: number): Promise<void> {
      const day = dayOf(receivedMs);
      const key = `${table}:${day}`;
      if (known.has(key)) return;
      let p = pending.get(key);
      if (!p) {
        p = (async () => {
          const client = await pool.connect();
          try {
            await createDailyPartitions(client, table, [day, dayOf(receivedMs + DAY_MS)]);
            known.add(key);
          } finally {
            client.release();
            pending.delete(key);
          }
        })();
        pending.set(key, p);
      }
      await p;
    },
    /** Forget everything (after retention dropped partitions). */
    reset: () => known.clear(),
  };
}
