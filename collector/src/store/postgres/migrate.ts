/** Applies `migrations.ts` once per schema, under an advisory lock so concurrent starts are safe. */
import type pg from 'pg';
import { migrations, RAW_PARENTS } from './migrations';
import { createDailyPartitions, dayOf } from './partitions';
import { inTransaction, quoteSchema } from './pool';

export async function migrate(pool: pg.Pool, schema: string | undefined): Promise<void> {
  if (schema) {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteSchema(schema)}`).catch((err: { code?: string }) => {
      // two processes creating the same schema at once: the loser sees a unique violation
      if (err.code !== '23505' && err.code !== '42P06') throw err;
    });
  }
  await inTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':waymark:migrate'))");
    await client.query('CREATE TABLE IF NOT EXISTS waymark_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)');
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM waymark_migrations');
    for (let v = rows[0]!.v ?? 0; v < migrations.length; v++) {
      await client.query(migrations[v]!);
      await client.query('INSERT INTO waymark_migrations (version, applied_at) VALUES ($1, $2)', [v + 1, Date.now()]);
    }
  });
  // today's and tomorrow's partitions exist before the first batch arrives
  const client = await pool.connect();
  try {
    const now = Date.now();
    for (const parent of Object.values(RAW_PARENTS)) await createDailyPartitions(client, parent, [dayOf(now), dayOf(now + 86_400_000)]);
  } finally {
    client.release();
  }
}
