/**
 * The embedded store: one SQLite file through better-sqlite3, WAL mode, prepared statements.
 * Appends are group-committed: the batches handed to `append` during one turn of the event loop
 * are written by one transaction (each batch all or nothing, as before; the commit, most of an
 * append's cost, is shared), and every caller's promise settles only after that commit.
 * better-sqlite3 is synchronous; the methods still return promises so that callers are the same
 * for every engine.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type {
  AppendResult,
  Aggregator,
  Counter,
  CounterQuery,
  EventQuery,
  JourneySettings,
  PixelRecord,
  PurgeCutoffs,
  PurgeResult,
  RawEvent,
  Store,
  StoredEvent,
} from '../types';
import { migrations } from './migrations';
import { createApplier } from './apply';
import { createSqliteReadModels } from './readmodel';
import { rowToEvent, type RawRow } from '../raw-row';
import { createSqliteAnalytics } from './analytics';
import { groupCommit } from './group-commit';
import { ACTIVITY_WHERE, activityCutoff } from './analytics-feed';
import { createSqliteDeadLetters, type ApplyStep } from './dead-letters';
import { createSqliteErasure } from './erasure';
import { minutePeriod } from '../../rollups/env-events';
import { COUNTER_ENVS, COUNTER_ORGS_SQL, minuteCountersDeleteSql } from '../minute-counters-sql';

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /** path of the database file, or `:memory:` */
  filename: string;
  /**
   * `NORMAL` (default): in WAL mode a committed batch survives a process crash (SIGKILL);
   * only an OS crash or power loss may lose the last transactions. `FULL` survives those too, slower.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** ms to wait for the write lock held by another connection (default 5000) */
  busyTimeoutMs?: number;
  /**
   * Let commits on this connection checkpoint the WAL (default true). The collector turns it off on
   * the request connection when its processor worker checkpoints instead (off the request path).
   */
  autoCheckpoint?: boolean;
}

/** A {@link Store} with access to the underlying connection (for read queries in `analytics*.ts`). */
export interface SqliteStore extends Store {
  readonly engine: 'sqlite';
  readonly db: Database.Database;
  /** copies WAL pages back into the database file without blocking readers or writers */
  checkpoint(): void;
  /**
   * Merges the read models' delta log into their tables now, in one transaction (the processor
   * merges it by itself every few thousand deltas; readers see the same answers either way).
   */
  mergeDeltaLog(): void;
}

/** Opens (creating if needed) a SQLite store. Call `migrate()` before use. */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
  const db = new Database(options.filename);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  db.pragma('foreign_keys = OFF');
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -32000'); // 32 MB page cache
  if (options.autoCheckpoint === false) db.pragma('wal_autocheckpoint = 0');
  let stmts: ReturnType<typeof prepare> | undefined;
  const s = () => (stmts ??= prepare(db));
  const apply = createApplier(db);
  // the processor's apply step: everything for a list of claimed events, in the caller's transaction
  const applyEvents: ApplyStep = (events, aggregate) => apply(aggregate(events, { activity: false }));
  const dead = createSqliteDeadLetters(db, applyEvents);
  const erasure = createSqliteErasure(db);
  const readModels = createSqliteReadModels(db);
  const group = groupCommit((batches) => s().appendMany.immediate(batches));

  const store: SqliteStore = {
    engine: 'sqlite',
    db,
    checkpoint() {
      db.pragma('wal_checkpoint(PASSIVE)');
    },
    mergeDeltaLog() {
      db.transaction(() => readModels.mergeLog()).immediate();
    },
    analytics: createSqliteAnalytics(db),
    deadLetters: dead.store,
    async migrate() {
      const version = db.pragma('user_version', { simple: true }) as number;
      for (let v = version; v < migrations.length; v++) {
        db.transaction(() => {
          db.exec(migrations[v]!);
          db.pragma(`user_version = ${v + 1}`);
        })();
      }
      stmts = undefined;
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    append(events) {
      return group(events);
    },
    async processOutbox(limit, aggregate) {
      // IMMEDIATE (here and for appends): take the write lock before the first read, so that a
      // commit on the other connection (processor worker) in between cannot fail this transaction
      return s().processOutbox.immediate(limit, aggregate);
    },
    async outboxBacklog() {
      return (s().backlog.get() as { n: number }).n;
    },
    async oldestPendingAt() {
      return (s().oldestPending.get() as number | undefined) ?? null;
    },
    async rebuildRollups(fromTs, aggregate) {
      return s().rebuild.immediate(fromTs, aggregate);
    },
    async readModelsPending() {
      return db.prepare('SELECT pending FROM rm_fill').pluck().get() === 1;
    },
    async purgeExpired(c) {
      return s().purge.immediate(c);
    },
    async listEvents(q) {
      return listEvents(db, q);
    },
    async countEvents(orgKey) {
      const row = orgKey === undefined ? s().countAll.get() : s().countOrg.get(orgKey);
      return (row as { n: number }).n;
    },
    async readCounters(q) {
      return readCounters(db, q);
    },
    async getPixelRecord(kind, orgKey, id) {
      const row = s().pixelGet.get(orgKey, kind === 'session' ? 's' : 'u', id) as PixelRow | undefined;
      return row && pixelFromRow(orgKey, row);
    },
    async listJourneySettings() {
      return (s().journeyList.all() as JourneyRow[]).map((r) => ({
        orgKey: r.org,
        journeyKey: r.journey,
        allowedOrigins: JSON.parse(r.allowed_origins) as string[],
        updatedAt: r.updated_at,
      }));
    },
    async saveJourneySettings(j: JourneySettings) {
      s().journeySave.run(j.orgKey, j.journeyKey, JSON.stringify(j.allowedOrigins), j.updatedAt);
    },
    async close() {
      if (db.open) db.close();
    },
  };

  function prepare(conn: Database.Database) {
    const insertRaw = conn.prepare(
      `INSERT INTO raw_events (seq, org, env, kind, content_id, ts, event_id, session_id, client_id, type, source, received_at, json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org, event_id) DO NOTHING`,
    );
    // The seqs a commit inserts are given here, above every seq stored or still in the outbox:
    // SQLite's own choice (max + 1) would reuse the seq of the newest event once it is erased or
    // purged, and if that seq is still in a waiting outbox range the new event would be counted twice.
    // This connection holds the write lock (IMMEDIATE) for the whole commit.
    const highWater = conn.prepare(
      'SELECT max((SELECT coalesce(max(seq), 0) FROM raw_events), (SELECT coalesce(max(coalesce(raw_last, raw_seq)), 0) FROM outbox))',
    ).pluck();
    const outboxRange = conn.prepare('INSERT INTO outbox (raw_seq, raw_last) VALUES (?, ?)');
    const claimRanges = conn.prepare('SELECT seq, raw_seq AS first, coalesce(raw_last, raw_seq) AS last FROM outbox ORDER BY seq LIMIT ?');
    const readRange = conn.prepare('SELECT * FROM raw_events WHERE seq BETWEEN ? AND ? ORDER BY seq');
    const ackUpTo = conn.prepare('DELETE FROM outbox WHERE seq <= ?');
    const trimRange = conn.prepare('UPDATE outbox SET raw_seq = ? WHERE seq = ?');
    // dead letters were never counted: a rebuild leaves them out as well
    const rebuildRead = conn.prepare(
      'SELECT * FROM raw_events WHERE ts >= ? AND seq > ? AND seq NOT IN (SELECT raw_seq FROM dead_letters) ORDER BY seq LIMIT ?',
    );

    const appendMany = conn.transaction((batches: readonly (readonly RawEvent[])[]): AppendResult[] => {
      const now = Date.now();
      const before = highWater.get() as number;
      let last = before;
      const isErased = erasure.checker(); // events of erased users are acknowledged and discarded
      const results = batches.map((events) => {
        let inserted = 0;
        let erased = 0;
        for (const e of events) {
          if (isErased?.(e.orgKey, e.clientId)) erased++;
          else if (insertRaw.run(last + 1, e.orgKey, e.env, e.contentKind, e.contentId, e.ts, e.eventId, e.sessionId, e.clientId, e.type, e.source, now, e.json).changes) {
            inserted++;
            last++;
          }
        }
        return { inserted, duplicates: events.length - inserted - erased, ...(erased ? { erased } : {}) };
      });
      // one outbox row for the whole commit: every seq in (before, last] was inserted just now
      if (last > before) outboxRange.run(before + 1, last);
      return results;
    });

    const processOutbox = conn.transaction((limit: number, aggregate: Aggregator): number => {
      let budget = Math.max(1, limit);
      let done = 0; // last outbox row fully claimed
      const rows: RawRow[] = [];
      for (const r of claimRanges.all(64) as { seq: number; first: number; last: number }[]) {
        const end = Math.min(r.last, r.first + budget - 1);
        // raw events purged or erased meanwhile are simply absent from the range: nothing to count
        for (const row of readRange.all(r.first, end) as RawRow[]) rows.push(row);
        budget -= end - r.first + 1;
        if (end < r.last) {
          trimRange.run(end + 1, r.seq); // the rest of a large commit waits for the next claim
          break;
        }
        done = r.seq;
        if (budget === 0) break;
      }
      // the read models' delta log first, outside the isolation: a merge that fails fails the run
      if (rows.length) readModels.mergeIfLong();
      // isolated: an event that cannot be applied goes to the dead letters, the rest is applied
      if (rows.length) dead.applyIsolated(rows.map(rowToEvent), aggregate);
      if (done) ackUpTo.run(done);
      return Math.max(1, limit) - budget;
    });

    const rebuild = conn.transaction((fromTs: number, aggregate: Aggregator): number => {
      const day = new Date(fromTs).toISOString().slice(0, 10);
      conn.prepare(`DELETE FROM counters WHERE (granularity = 'day' AND period >= ?) OR (granularity = 'hour' AND period >= ?) OR (granularity = 'minute' AND period >= ?)`).run(day, `${day}T00`, `${day}T00:00`);
      // read models: sums from fromTs and entities started since go, and are rebuilt by the replay
      apply({ counters: readModels.resetFrom(fromTs), activity: [], pixel: [], entities: [], sums: [], sketches: [] });
      // events still in the outbox were never counted: the processor counts them later, not the rebuild
      const ranges = claimRanges.all(1_000_000) as { first: number; last: number }[];
      const pending = (seq: number) => ranges.some((r) => seq >= r.first && seq <= r.last);
      let after = 0;
      let total = 0;
      for (;;) {
        const rows = rebuildRead.all(fromTs, after, 5000) as RawRow[];
        if (rows.length === 0) break;
        const agg = aggregate(rows.filter((r) => !pending(r.seq)).map(rowToEvent), { activity: false });
        apply({ ...agg, pixel: [] });
        readModels.mergeIfLong();
        after = rows[rows.length - 1]!.seq;
        total += rows.length;
      }
      conn.prepare('UPDATE rm_fill SET pending = 0').run();
      return total;
    });

    const purge = conn.transaction((c: PurgeCutoffs): PurgeResult => {
      // the feed's entries that go: those now older than its cut-off, and those whose raw event goes
      const cutoff = activityCutoff(conn);
      const activity = (
        conn.prepare(`SELECT count(*) FROM raw_events WHERE ts >= ? AND ts < ? AND ${ACTIVITY_WHERE}`).pluck().get(cutoff, Math.max(c.activityBefore, c.sdkBefore)) as number
      );
      if (c.activityBefore > cutoff) {
        conn.prepare('INSERT INTO activity_cutoff (id, ts) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET ts = excluded.ts').run(c.activityBefore);
      }
      const raw =
        conn.prepare(`DELETE FROM raw_events WHERE ts < ? AND source = 'sdk'`).run(c.sdkBefore).changes +
        conn.prepare(`DELETE FROM raw_events WHERE ts < ? AND source = 'pixel'`).run(c.pixelBefore).changes;
      const pixelRecords = conn.prepare('DELETE FROM pixel_records WHERE unixtimestamp < ?').run(c.pixelBefore).changes;
      // dead letters live as long as their raw event; tombstones as long as the longest raw retention
      conn.prepare('DELETE FROM dead_letters WHERE NOT EXISTS (SELECT 1 FROM raw_events r WHERE r.seq = dead_letters.raw_seq)').run();
      erasure.purge(Math.min(c.sdkBefore, c.pixelBefore));
      const minuteBefore = minutePeriod(c.minuteCountersBefore ?? Math.min(c.sdkBefore, c.pixelBefore));
      const deleteMinutes = conn.prepare(minuteCountersDeleteSql('sqlite'));
      let minuteCounters = 0;
      for (const org of conn.prepare(COUNTER_ORGS_SQL).pluck().all() as string[]) {
        for (const env of COUNTER_ENVS) minuteCounters += deleteMinutes.run(org, env, minuteBefore).changes;
      }
      return { rawEvents: raw, activity, pixelRecords, minuteCounters };
    });

    return {
      appendMany,
      processOutbox,
      rebuild,
      purge,
      // raw events waiting to be counted (outbox ranges, less what was purged or erased meanwhile)
      backlog: conn.prepare('SELECT count(*) AS n FROM outbox o JOIN raw_events r ON r.seq BETWEEN o.raw_seq AND coalesce(o.raw_last, o.raw_seq)'),
      // when the oldest event still waiting was stored (the processor's lag)
      oldestPending: conn
        .prepare('SELECT r.received_at FROM outbox o JOIN raw_events r ON r.seq BETWEEN o.raw_seq AND coalesce(o.raw_last, o.raw_seq) ORDER BY o.seq, r.seq LIMIT 1')
        .pluck(),
      countAll: conn.prepare('SELECT count(*) AS n FROM raw_events'),
      countOrg: conn.prepare('SELECT count(*) AS n FROM raw_events WHERE org = ?'),
      pixelGet: conn.prepare('SELECT * FROM pixel_records WHERE org = ? AND kind = ? AND id = ?'),
      journeyList: conn.prepare('SELECT * FROM journey_settings'),
      journeySave: conn.prepare(
        `INSERT INTO journey_settings (org, journey, allowed_origins, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (org, journey) DO UPDATE SET allowed_origins = excluded.allowed_origins, updated_at = excluded.updated_at`,
      ),
    };
  }

  return store;
}

interface PixelRow {
  id: string;
  site: string;
  sid: string;
  uid: string;
  eid: string;
  unixtimestamp: number;
  props: string;
}
interface JourneyRow {
  org: string;
  journey: string;
  allowed_origins: string;
  updated_at: number;
}

function pixelFromRow(orgKey: string, r: PixelRow): PixelRecord {
  return { orgKey, id: r.id, site: r.site, sid: r.sid, uid: r.uid, eid: r.eid, unixtimestamp: r.unixtimestamp, props: JSON.parse(r.props) };
}

function listEvents(db: Database.Database, q: EventQuery): StoredEvent[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (q.orgKey !== undefined) (where.push('org = ?'), args.push(q.orgKey));
  if (q.fromTs !== undefined) (where.push('ts >= ?'), args.push(q.fromTs));
  if (q.toTs !== undefined) (where.push('ts < ?'), args.push(q.toTs));
  if (q.afterSeq !== undefined) (where.push('seq > ?'), args.push(q.afterSeq));
  const sql = `SELECT * FROM raw_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq LIMIT ?`;
  return (db.prepare(sql).all(...args, q.limit) as RawRow[]).map(rowToEvent);
}

function readCounters(db: Database.Database, q: CounterQuery): Counter[] {
  const cols: [keyof CounterQuery, string, string][] = [
    ['orgKey', 'org', '='],
    ['env', 'env', '='],
    ['contentKind', 'kind', '='],
    ['contentId', 'content_id', '='],
    ['granularity', 'granularity', '='],
    ['metric', 'metric', '='],
    ['fromPeriod', 'period', '>='],
    ['toPeriod', 'period', '<='],
  ];
  const where: string[] = [];
  const args: unknown[] = [];
  for (const [k, col, op] of cols) {
    if (q[k] !== undefined) (where.push(`${col} ${op} ?`), args.push(q[k]));
  }
  const sql = `SELECT * FROM counters ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY org, env, kind, content_id, granularity, period, metric, dim`;
  return (db.prepare(sql).all(...args) as Record<string, never>[]).map((r) => ({
    orgKey: r.org,
    env: r.env,
    contentKind: r.kind,
    contentId: r.content_id,
    granularity: r.granularity,
    period: r.period,
    metric: r.metric,
    dim: r.dim,
    value: r.value,
  }));
}
