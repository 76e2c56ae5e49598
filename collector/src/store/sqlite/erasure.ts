/**
 * Erasure tombstones on SQLite: a deleted user (org + clientId, or pixel uid) is remembered, and
 * their events arriving later (an SDK retrying its durable queue, a replayed pixel URL) are
 * discarded at append, inside the append's transaction. Appends and deletions both hold SQLite's
 * write lock, so an event is either stored before the deletion (and erased by it) or discarded.
 * Tombstones last as long as the longest raw-event retention (`purge`).
 */
import type Database from 'better-sqlite3';

export interface SqliteErasure {
  /**
   * For one append transaction: a test of whether an event's user is erased (memoised per user),
   * or `undefined` when no user is (the common case costs one query per transaction).
   */
  checker(): ((orgKey: string, clientId: string) => boolean) | undefined;
  /**
   * Robust's part of a user deletion, inside the deletion's transaction: writes the tombstone and
   * removes the user's dead letters, returning their raw seqs (events never counted).
   */
  begin(orgKey: string, clientId: string, now: number): Set<number>;
  /** Deletes tombstones older than `before` (ms); returns how many. */
  purge(before: number): number;
}

export function createSqliteErasure(db: Database.Database): SqliteErasure {
  let s: ReturnType<typeof prepare> | undefined;
  const st = () => (s ??= prepare(db));
  return {
    checker() {
      if (!st().any.get()) return undefined;
      const seen = new Map<string, boolean>();
      return (orgKey, clientId) => {
        const k = `${orgKey}\u0000${clientId}`;
        let erased = seen.get(k);
        if (erased === undefined) seen.set(k, (erased = st().has.get(orgKey, clientId) !== undefined));
        return erased;
      };
    },
    begin(orgKey, clientId, now) {
      st().put.run(orgKey, clientId, now);
      return new Set(st().dropDead.all(orgKey, clientId) as number[]);
    },
    purge(before) {
      return st().purge.run(before).changes;
    },
  };
}

function prepare(db: Database.Database) {
  return {
    any: db.prepare('SELECT 1 FROM tombstones LIMIT 1').pluck(),
    has: db.prepare('SELECT 1 FROM tombstones WHERE org = ? AND client_id = ?').pluck(),
    // erasing again keeps the user erased from the latest erasure on (idempotent otherwise)
    put: db.prepare(
      'INSERT INTO tombstones (org, client_id, deleted_at) VALUES (?, ?, ?) ON CONFLICT (org, client_id) DO UPDATE SET deleted_at = max(deleted_at, excluded.deleted_at)',
    ),
    dropDead: db.prepare('DELETE FROM dead_letters WHERE org = ? AND client_id = ? RETURNING raw_seq').pluck(),
    purge: db.prepare('DELETE FROM tombstones WHERE deleted_at < ?'),
  };
}
