/**
 * Dead letters on PostgreSQL (see `../dead-letters.ts`; twin of `../sqlite/dead-letters.ts`): the
 * processor's apply step isolated inside the claim's transaction with savepoints, the failed
 * events recorded, and the admin's list and retry. A retry runs like a claim (the rollups lock
 * shared, so never beside a rebuild or a deletion) and locks the dead letters it takes.
 */
import type pg from 'pg';
import { DEAD_LETTER_COLUMNS, deadLetterFromRow, deadLetterValues, type DeadLetterStore } from '../dead-letters';
import { isolateAsync, type FailedEntry } from '../isolate';
import type { Aggregator, StoredEvent } from '../types';
import { ROLLUPS_LOCK } from './locks';
import { inTransaction } from './pool';
import { rowToEvent, type PgRawRow } from './rows';

/** The apply step the processor isolates: everything for a list of claimed events, in the client's transaction. */
export type ApplyStep = (client: pg.ClientBase, events: StoredEvent[], aggregate: Aggregator) => Promise<void>;

/** Runs `fn` inside a savepoint: rolled back (and rethrown) when it throws. */
async function savepoint(client: pg.ClientBase, fn: () => Promise<void>): Promise<void> {
  await client.query('SAVEPOINT waymark_apply');
  try {
    await fn();
  } catch (err) {
    await client.query('ROLLBACK TO SAVEPOINT waymark_apply');
    throw err;
  }
  await client.query('RELEASE SAVEPOINT waymark_apply');
}

async function record(client: pg.ClientBase, failed: FailedEntry[]): Promise<number> {
  const now = Date.now();
  for (const f of failed) {
    await client.query(
      `INSERT INTO dead_letters (${DEAD_LETTER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (raw_seq) DO UPDATE SET error_code = excluded.error_code, error = excluded.error,
         failed_at = excluded.failed_at, attempts = dead_letters.attempts + 1`,
      deadLetterValues(f, now),
    );
  }
  return failed.length;
}

/** Applies `events` with `applyStep`, isolating failures, inside the client's transaction; resolves to the number dead-lettered. */
export async function applyIsolated(client: pg.ClientBase, events: StoredEvent[], aggregate: Aggregator, applyStep: ApplyStep): Promise<number> {
  const failed = await isolateAsync(events, (part) => applyStep(client, part, aggregate), (fn) => savepoint(client, fn));
  return record(client, failed);
}

export function createPostgresDeadLetters(pool: pg.Pool, applyStep: ApplyStep): DeadLetterStore {
  return {
    async list({ orgKey, beforeId, limit }) {
      const { rows } = await pool.query('SELECT * FROM dead_letters WHERE org = $1 AND id < $2 ORDER BY id DESC LIMIT $3', [
        orgKey,
        beforeId ?? Number.MAX_SAFE_INTEGER,
        limit + 1,
      ]);
      const all = rows.map(deadLetterFromRow);
      return all.length > limit ? { rows: all.slice(0, limit), next: all[limit - 1]!.id } : { rows: all };
    },
    async count(orgKey) {
      const { rows } =
        orgKey === undefined
          ? await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM dead_letters')
          : await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM dead_letters WHERE org = $1', [orgKey]);
      return rows[0]!.n;
    },
    retry({ orgKey, ids, limit }, aggregate) {
      return inTransaction(pool, async (client) => {
        await client.query(`SELECT pg_advisory_xact_lock_shared(${ROLLUPS_LOCK})`);
        const { rows: letters } = await client.query<{ id: number; raw_seq: number }>(
          `SELECT id, raw_seq FROM dead_letters WHERE org = $1 AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))
            ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`,
          [orgKey, ids ?? null, limit],
        );
        const { rows: raw } = await client.query<PgRawRow>('SELECT * FROM raw_events WHERE seq = ANY($1::bigint[]) ORDER BY seq', [letters.map((l) => l.raw_seq)]);
        const failed = await isolateAsync(raw.map(rowToEvent), (part) => applyStep(client, part, aggregate), (fn) => savepoint(client, fn));
        const failedSeqs = new Set(failed.map((f) => f.event.seq));
        await client.query('DELETE FROM dead_letters WHERE id = ANY($1::bigint[])', [letters.filter((l) => !failedSeqs.has(l.raw_seq)).map((l) => l.id)]);
        await record(client, failed);
        return { retried: letters.length, applied: raw.length - failed.length, failed: failed.length, gone: letters.length - raw.length };
      });
    },
  };
}
