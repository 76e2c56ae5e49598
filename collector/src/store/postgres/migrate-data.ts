/**
 * `migrate-data`: moves an installation from its SQLite file to PostgreSQL without loss, and can
 * be re-run safely (after an interruption, or to pick up what the SQLite collector stored since).
 *
 * - Raw events keep their `received_at` (so they land in the right day partitions) and go through
 *   `event_ids`: an event already in PostgreSQL is skipped. They get NO outbox rows: what they
 *   count is carried by the rollups below.
 * - Events still waiting in SQLite's outbox are aggregated here with the processor's own function,
 *   so the copy is the installation as if fully processed.
 * - Rollups: the source's counters (plus those pending events) are recorded per key in a ledger
 *   (`migrated_counters`, per `--source`); each run adds only the difference to what the ledger
 *   says was added before, in one transaction. Counters PostgreSQL collectors added meanwhile are
 *   kept; a re-run adds nothing.
 * - Activity entries (from SQLite's activity table in files written before its feed was read from
 *   the raw events, else derived from those raw events) are inserted unless present; pixel records are merged with the shared rule
 *   (merging a record into itself changes nothing); journey settings keep the newest.
 * - Read models are not copied: once new raw events were copied, the target is marked to have them
 *   filled from its raw events (`rm_fill`), which the collector does when it starts.
 * - Erasures and dead letters: tombstones are copied (an erased user stays erased) and so are dead
 *   letters, pointed at the copied raw events (an event SQLite never counted is not counted either).
 */
import Database from 'better-sqlite3';
import type { WaymarkEvent } from '@waymark/core/schema';
import { activityOf, aggregate } from '../../rollups/aggregate';
import { ACTIVITY_WHERE } from '../sqlite/analytics-feed';
import { rowToEvent, type RawRow } from '../raw-row';
import type { ActivityEntry, ContentKind, CounterDelta, PixelUpdate } from '../types';
import { applyActivity, applyCounters, applyPixel, sortedCounters } from './apply';
import { createPostgresStore } from './index';
import { RAW_PARENTS } from './migrations';
import { createDailyPartitions, dayOf } from './partitions';
import { analyze, RAW_TABLES, ROLLUP_TABLES } from './analyze';
import { inTransaction } from './pool';
import { eventColumns } from './rows';
import { DEAD_LETTER_COLUMNS } from '../dead-letters';

export interface MigrateDataOptions {
  /** the SQLite file */
  from: string;
  /** postgres:// URL */
  to: string;
  schema?: string;
  /** ledger name of this source (default `sqlite`) */
  source?: string;
  log?: (line: string) => void;
}

export interface MigrateDataResult {
  rawEventsSeen: number;
  rawEvents: number;
  counterKeys: number;
  activity: number;
  pixelRecords: number;
  journeySettings: number;
  tombstones: number;
  deadLetters: number;
}

const PAGE = 5000;
const COLS = 'org, env, kind, content_id, ts, event_id, session_id, client_id, type, source';

const COPY_RAW_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[],
                       $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::bigint[])
    WITH ORDINALITY AS t(${COLS}, json, received_at, ord)
), fresh AS (
  INSERT INTO event_ids (org, event_id, received_at) SELECT org, event_id, received_at FROM input ORDER BY ord
  ON CONFLICT DO NOTHING RETURNING org, event_id
)
INSERT INTO raw_events (${COLS}, received_at, json)
SELECT ${COLS.split(', ').map((c) => `i.${c}`).join(', ')}, i.received_at, i.json
  FROM input i JOIN fresh f ON f.org = i.org AND f.event_id = i.event_id ORDER BY i.ord`;

const LEDGER_SQL = `CREATE TABLE IF NOT EXISTS migrated_counters (
  source text COLLATE "C" NOT NULL, org text COLLATE "C" NOT NULL, env text COLLATE "C" NOT NULL, kind text COLLATE "C" NOT NULL,
  content_id text COLLATE "C" NOT NULL, granularity text COLLATE "C" NOT NULL, period text COLLATE "C" NOT NULL,
  metric text COLLATE "C" NOT NULL, dim text COLLATE "C" NOT NULL, value bigint NOT NULL,
  PRIMARY KEY (source, org, env, kind, content_id, granularity, period, metric, dim))`;

const keyOf = (c: CounterDelta) => [c.orgKey, c.env, c.contentKind, c.contentId, c.granularity, c.period, c.metric, c.dim].join('\u0000');

export async function migrateData(opts: MigrateDataOptions): Promise<MigrateDataResult> {
  const log = opts.log ?? (() => {});
  const source = opts.source ?? 'sqlite';
  const lite = new Database(opts.from, { readonly: true, fileMustExist: true });
  const pg = createPostgresStore({ url: opts.to, schema: opts.schema });
  try {
    await pg.migrate();
    const result: MigrateDataResult = { rawEventsSeen: 0, rawEvents: 0, counterKeys: 0, activity: 0, pixelRecords: 0, journeySettings: 0, tombstones: 0, deadLetters: 0 };
    const madeDays = new Set<string>();

    // 1. raw events, page by page
    const page = lite.prepare('SELECT * FROM raw_events WHERE seq > ? ORDER BY seq LIMIT ?');
    for (let after = 0; ; ) {
      const rows = page.all(after, PAGE) as RawRow[];
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.seq;
      const client = await pg.pool.connect();
      try {
        for (const r of rows) {
          const parent = RAW_PARENTS[r.source as 'sdk' | 'pixel'];
          const key = `${parent}:${dayOf(r.received_at)}`;
          if (!madeDays.has(key)) {
            await createDailyPartitions(client, parent, [dayOf(r.received_at)]);
            madeDays.add(key);
          }
        }
        const events = rows.map(rowToEvent);
        const res = await client.query(COPY_RAW_SQL, [...eventColumns(events), events.map((e) => e.receivedAt)]);
        result.rawEvents += res.rowCount ?? 0;
      } finally {
        client.release();
      }
      result.rawEventsSeen += rows.length;
      log(`raw events: ${result.rawEventsSeen} read, ${result.rawEvents} new`);
    }

    // 2. what SQLite's processor had not applied yet
    // (one outbox row per event in files of the first schema version, else a range of raw seqs per commit)
    const ranged = (lite.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('outbox') as string[]).includes('raw_last');
    const pendingRows = lite
      .prepare(`SELECT r.* FROM outbox o JOIN raw_events r ON r.seq BETWEEN o.raw_seq AND ${ranged ? 'coalesce(o.raw_last, o.raw_seq)' : 'o.raw_seq'} ORDER BY r.seq`)
      .all() as RawRow[];
    const pending = aggregate(pendingRows.map(rowToEvent));

    // 3. rollups: add the difference between the source's counters and what the ledger recorded
    const sourceCounters = (lite.prepare('SELECT * FROM counters').all() as Record<string, never>[]).map(
      (r): CounterDelta => ({
        orgKey: r.org, env: r.env, contentKind: r.kind as ContentKind, contentId: r.content_id,
        granularity: r.granularity, period: r.period, metric: r.metric, dim: r.dim, value: r.value,
      }),
    );
    const totals = sortedCounters([...sourceCounters, ...pending.counters]);
    result.counterKeys = await inTransaction(pg.pool, async (client) => {
      await client.query(LEDGER_SQL);
      await client.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':waymark:migrate-data'))");
      const { rows } = await client.query('SELECT * FROM migrated_counters WHERE source = $1', [source]);
      const before = new Map<string, number>(
        rows.map((r) => [keyOf({ orgKey: r.org, env: r.env, contentKind: r.kind, contentId: r.content_id, granularity: r.granularity, period: r.period, metric: r.metric, dim: r.dim, value: 0 }), Number(r.value)]),
      );
      const deltas: CounterDelta[] = [];
      for (const c of totals) {
        const k = keyOf(c);
        const d = c.value - (before.get(k) ?? 0);
        before.delete(k);
        if (d !== 0) deltas.push({ ...c, value: d });
      }
      for (const [k, v] of before) {
        const [orgKey, env, contentKind, contentId, granularity, period, metric, dim] = k.split('\u0000') as string[];
        deltas.push({ orgKey: orgKey!, env: env!, contentKind: contentKind as ContentKind, contentId: contentId!, granularity: granularity as 'day', period: period!, metric: metric!, dim: dim!, value: -v });
      }
      await applyCounters(client, deltas);
      await client.query('DELETE FROM migrated_counters WHERE source = $1', [source]);
      for (let i = 0; i < totals.length; i += PAGE) {
        const part = totals.slice(i, i + PAGE);
        await client.query(
          `INSERT INTO migrated_counters SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[])`,
          [source, ...(['orgKey', 'env', 'contentKind', 'contentId', 'granularity', 'period', 'metric', 'dim', 'value'] as const).map((f) => part.map((c) => c[f]))],
        );
      }
      return deltas.length;
    });
    log(`rollups: ${result.counterKeys} counters adjusted`);
    // the copied raw events carry no read models: the collector fills them from the raw events when it starts
    if (result.rawEvents > 0) await pg.pool.query('UPDATE rm_fill SET pending = true');

    // 4. activity (insert unless present): files of schema version 3 and later have no activity
    // table, their feed is read from the raw events (those newer than the feed's cut-off)
    const hasTable = lite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'activity'").get() !== undefined;
    const putActivity = async (entries: ActivityEntry[]) => {
      for (let i = 0; i < entries.length; i += PAGE) {
        const part = entries.slice(i, i + PAGE);
        result.activity += await inTransaction(pg.pool, (client) => applyActivity(client, { counters: [], activity: part, pixel: [], entities: [], sums: [], sketches: [] }));
      }
    };
    if (hasTable) {
      const activity = (lite.prepare('SELECT * FROM activity').all() as Record<string, never>[]).map(
        (r): ActivityEntry => ({
          orgKey: r.org, env: r.env, clientId: r.client_id, sessionId: r.session_id, contentKind: r.kind,
          contentId: r.content_id, ts: r.ts, eventId: r.event_id, type: r.type, detail: r.detail,
        }),
      );
      await putActivity([...activity, ...pending.activity]);
    } else {
      const cutoff = (lite.prepare('SELECT ts FROM activity_cutoff WHERE id = 1').pluck().get() as number | undefined) ?? 0;
      const feedPage = lite.prepare(`SELECT * FROM raw_events WHERE seq > ? AND ts >= ? AND ${ACTIVITY_WHERE} ORDER BY seq LIMIT ?`);
      for (let after = 0; ; ) {
        const rows = feedPage.all(after, cutoff, PAGE) as RawRow[];
        if (rows.length === 0) break;
        after = rows[rows.length - 1]!.seq;
        await putActivity(rows.map((r) => activityOf(rowToEvent(r), JSON.parse(r.json) as WaymarkEvent)));
      }
    }

    // 5. pixel records (merged) and journey settings (newest wins)
    const pixel: PixelUpdate[] = (lite.prepare('SELECT * FROM pixel_records ORDER BY unixtimestamp').all() as Record<string, never>[]).map((r) => ({
      kind: r.kind === 's' ? 'session' : 'user',
      record: { orgKey: r.org, id: r.id, site: r.site, sid: r.sid, uid: r.uid, eid: r.eid, unixtimestamp: r.unixtimestamp, props: JSON.parse(r.props) },
    }));
    const allPixel = [...pixel, ...pending.pixel];
    for (let i = 0; i < allPixel.length; i += PAGE) {
      await inTransaction(pg.pool, (client) => applyPixel(client, allPixel.slice(i, i + PAGE)));
    }
    result.pixelRecords = allPixel.length;
    for (const j of lite.prepare('SELECT * FROM journey_settings').all() as { org: string; journey: string; allowed_origins: string; updated_at: number }[]) {
      const r = await pg.pool.query(
        `INSERT INTO journey_settings AS s (org, journey, allowed_origins, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (org, journey) DO UPDATE SET allowed_origins = excluded.allowed_origins, updated_at = excluded.updated_at
         WHERE excluded.updated_at > s.updated_at`,
        [j.org, j.journey, j.allowed_origins, j.updated_at],
      );
      result.journeySettings += r.rowCount ?? 0;
    }

    // 6. erasures and dead letters (files written before migration 4 have neither)
    const tableExists = (name: string) => lite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
    if (tableExists('tombstones')) {
      const t = lite.prepare('SELECT org, client_id, deleted_at FROM tombstones').all() as { org: string; client_id: string; deleted_at: number }[];
      const r = await pg.pool.query(
        `INSERT INTO tombstones AS t (org, client_id, deleted_at) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
         ON CONFLICT (org, client_id) DO UPDATE SET deleted_at = greatest(t.deleted_at, excluded.deleted_at)`,
        [t.map((x) => x.org), t.map((x) => x.client_id), t.map((x) => x.deleted_at)],
      );
      result.tombstones = r.rowCount ?? 0;
    }
    if (tableExists('dead_letters')) {
      const dead = lite.prepare('SELECT d.*, r.kind, r.content_id FROM dead_letters d JOIN raw_events r ON r.seq = d.raw_seq').all() as Record<string, never>[];
      for (const d of dead) {
        // the copy's seq, found through the raw events' content index
        const r = await pg.pool.query(
          `INSERT INTO dead_letters (${DEAD_LETTER_COLUMNS}, attempts)
           SELECT r.seq, r.org, r.env, r.event_id, r.type, r.source, r.ts, r.received_at, r.session_id, r.client_id, $6, $7, $8, $9
             FROM raw_events r WHERE r.org = $1 AND r.kind = $2 AND r.content_id = $3 AND r.ts = $4 AND r.event_id = $5
           ON CONFLICT (raw_seq) DO NOTHING`,
          [d.org, d.kind, d.content_id, d.ts, d.event_id, d.error_code, d.error, d.failed_at, d.attempts],
        );
        result.deadLetters += r.rowCount ?? 0;
      }
    }
    // a bulk load: the planner's view of every table it filled is stale
    await analyze(pg.pool, [...RAW_TABLES, ...ROLLUP_TABLES, 'dead_letters', 'tombstones']);
    return result;
  } finally {
    lite.close();
    await pg.close();
  }
}
