/**
 * Dead letters on SQLite (see `../dead-letters.ts`): the processor's apply step isolated inside
 * the claim's transaction, the failed events recorded, and the admin's list and retry.
 */
import type Database from 'better-sqlite3';
import { DEAD_LETTER_COLUMNS, deadLetterFromRow, deadLetterValues, type DeadLetterStore } from '../dead-letters';
import { isolateSync, type FailedEntry } from '../isolate';
import { rowToEvent, type RawRow } from '../raw-row';
import type { Aggregator, StoredEvent } from '../types';

/** The apply step the processor isolates: everything for a list of claimed events, in the caller's transaction. */
export type ApplyStep = (events: StoredEvent[], aggregate: Aggregator) => void;

export interface SqliteDeadLetters {
  /** Applies `events` with the apply step, isolating failures; call inside a transaction. Returns the number dead-lettered. */
  applyIsolated(events: StoredEvent[], aggregate: Aggregator): number;
  readonly store: DeadLetterStore;
}

export function createSqliteDeadLetters(db: Database.Database, applyStep: ApplyStep): SqliteDeadLetters {
  let s: ReturnType<typeof prepare> | undefined;
  const st = () => (s ??= prepare(db));
  // called inside the claim's transaction, a transaction function runs as a SAVEPOINT
  const savepoint = db.transaction((fn: () => void) => fn());

  const record = (failed: FailedEntry[]) => {
    const now = Date.now();
    for (const f of failed) st().record.run(...deadLetterValues(f, now));
    return failed.length;
  };
  const applyIsolated = (events: StoredEvent[], aggregate: Aggregator) =>
    record(isolateSync(events, (part) => applyStep(part, aggregate), savepoint));

  const retry = db.transaction((orgKey: string, ids: number[] | undefined, limit: number, aggregate: Aggregator) => {
    const letters = (ids ? st().takeIds.all(orgKey, JSON.stringify(ids), limit) : st().take.all(orgKey, limit)) as { id: number; raw_seq: number }[];
    const raw = st().raw.all(JSON.stringify(letters.map((l) => l.raw_seq))) as RawRow[];
    const failed = isolateSync(raw.map(rowToEvent), (part) => applyStep(part, aggregate), savepoint);
    const failedSeqs = new Set(failed.map((f) => f.event.seq));
    for (const l of letters) if (!failedSeqs.has(l.raw_seq)) st().remove.run(l.id);
    record(failed);
    return { retried: letters.length, applied: raw.length - failed.length, failed: failed.length, gone: letters.length - raw.length };
  });

  return {
    applyIsolated,
    store: {
      async list({ orgKey, beforeId, limit }) {
        const rows = (st().list.all(orgKey, beforeId ?? Number.MAX_SAFE_INTEGER, limit + 1) as Record<string, unknown>[]).map(deadLetterFromRow);
        return rows.length > limit ? { rows: rows.slice(0, limit), next: rows[limit - 1]!.id } : { rows };
      },
      async count(orgKey) {
        return (orgKey === undefined ? st().countAll.get() : st().countOrg.get(orgKey)) as number;
      },
      async retry({ orgKey, ids, limit }, aggregate) {
        // IMMEDIATE: the write lock first, as the processor's claims take it
        return retry.immediate(orgKey, ids, limit, aggregate);
      },
    },
  };
}

function prepare(db: Database.Database) {
  return {
    record: db.prepare(
      `INSERT INTO dead_letters (${DEAD_LETTER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (raw_seq) DO UPDATE SET error_code = excluded.error_code, error = excluded.error,
         failed_at = excluded.failed_at, attempts = dead_letters.attempts + 1`,
    ),
    list: db.prepare('SELECT * FROM dead_letters WHERE org = ? AND id < ? ORDER BY id DESC LIMIT ?'),
    countAll: db.prepare('SELECT count(*) FROM dead_letters').pluck(),
    countOrg: db.prepare('SELECT count(*) FROM dead_letters WHERE org = ?').pluck(),
    take: db.prepare('SELECT id, raw_seq FROM dead_letters WHERE org = ? ORDER BY id LIMIT ?'),
    takeIds: db.prepare('SELECT id, raw_seq FROM dead_letters WHERE org = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY id LIMIT ?'),
    raw: db.prepare('SELECT * FROM raw_events WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq'),
    remove: db.prepare('DELETE FROM dead_letters WHERE id = ?'),
  };
}
