/**
 * SQLite implementation of the analytics read side ({@link AnalyticsReader}). Counter reads hit
 * the `counters` primary key `(org, env, kind, content_id, granularity, period, ...)` as a range;
 * raw-event reads are bounded by `(org, kind, content_id, ts)`, the `raw_events_content` index.
 */
import type Database from 'better-sqlite3';
import type { AnalyticsReader, BucketRow, SeriesRow, SlimEvent, TotalRow } from '../../analytics/reader';
import { toExportRow } from './analytics-rows';
import type { ContentKind } from '../types';
import { createFeedReads } from './analytics-feed';
import { createUserDeletion } from './analytics-delete';
import { createDashboardReads } from './dashboard';

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Creates the analytics reader over an open store connection. Statements are prepared lazily. */
export function createSqliteAnalytics(db: Database.Database): AnalyticsReader {
  const cache = new Map<string, Database.Statement>();
  const stmt = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const rawWhere = 'org = ? AND kind = ? AND content_id = ? AND ts >= ? AND ts < ? AND env = ?';

  return {
    ...createFeedReads(db, stmt),
    ...createUserDeletion(db),
    ...createDashboardReads(db, stmt),

    async series(q) {
      const ids = q.contentIds;
      const sql = `SELECT kind AS contentKind, content_id AS contentId, period, metric, value FROM counters
        WHERE org = ? AND env = ? AND kind = ? ${ids ? `AND content_id IN (${marks(ids.length)})` : ''}
          AND granularity = ? AND period >= ? AND period <= ? AND metric IN (${marks(q.metrics.length)}) AND dim = ''`;
      return stmt(sql).all(q.orgKey, q.env, q.contentKind, ...(ids ?? []), q.granularity, q.fromPeriod, q.toPeriod, ...q.metrics) as SeriesRow[];
    },

    async totals(q) {
      const sql = `SELECT kind AS contentKind, content_id AS contentId, metric, dim, SUM(value) AS value FROM counters
        WHERE org = ? AND env = ? AND kind IN (${marks(q.contentKinds.length)}) ${q.contentId !== undefined ? 'AND content_id = ?' : ''}
          AND granularity = ? AND period >= ? AND period <= ? AND metric IN (${marks(q.metrics.length)})
          AND dim ${q.byDim ? "<> ''" : "= ''"}
        GROUP BY kind, content_id, metric, dim`;
      const args = [q.orgKey, q.env, ...q.contentKinds, ...(q.contentId !== undefined ? [q.contentId] : []), q.granularity, q.fromPeriod, q.toPeriod, ...q.metrics];
      return stmt(sql).all(...args) as TotalRow[];
    },

    async rawBuckets(q) {
      const sql = `SELECT ((ts - CAST(? AS INTEGER)) / 3600000) * 3600000 + CAST(? AS INTEGER) AS bucket, type, COUNT(*) AS count FROM raw_events
        WHERE ${rawWhere} AND type IN (${marks(q.types.length)}) GROUP BY bucket, type`;
      return stmt(sql).all(q.shiftMs, q.shiftMs, q.orgKey, q.contentKind, q.contentId, q.start, q.end, q.env, ...q.types) as BucketRow[];
    },

    async stepReach(q) {
      const base = [q.orgKey, 'tour', q.tourId, q.start, q.end, q.env];
      const started = stmt(`SELECT COUNT(DISTINCT client_id) AS n FROM raw_events WHERE ${rawWhere} AND type = 'TourStarted'`).get(...base) as { n: number };
      const steps = stmt(
        `SELECT json_extract(json, '$.stepIndex') AS step_index, MIN(json_extract(json, '$.stepId')) AS step_id,
           COUNT(DISTINCT client_id) AS users
         FROM raw_events WHERE ${rawWhere} AND type = 'StepViewed' GROUP BY 1 ORDER BY 1`,
      ).all(...base) as { step_index: number; step_id: string; users: number }[];
      return { started: started.n, steps };
    },

    async eachEvent(q, visit) {
      const sql = `SELECT client_id AS clientId, session_id AS sessionId, type, ts, json FROM raw_events
        WHERE ${rawWhere} AND type IN (${marks(q.types.length)}) ORDER BY ts, event_id`;
      for (const row of stmt(sql).iterate(q.orgKey, q.contentKind, q.contentId, q.start, q.end, q.env, ...q.types)) visit(row as SlimEvent);
    },

    async recentEvents(q) {
      const content = q.contentKind !== undefined && q.contentId !== undefined;
      const sql = content
        ? `SELECT * FROM raw_events WHERE ${rawWhere} AND type = ? ORDER BY ts DESC, event_id DESC LIMIT ?`
        : `SELECT * FROM raw_events INDEXED BY raw_events_ts WHERE ts >= ? AND ts < ? AND org = ? AND env = ? AND type = ? ORDER BY ts DESC, event_id DESC LIMIT ?`;
      const args = content
        ? [q.orgKey, q.contentKind as ContentKind, q.contentId, q.start, q.end, q.env, q.type, q.limit]
        : [q.start, q.end, q.orgKey, q.env, q.type, q.limit];
      return (stmt(sql).all(...args) as Parameters<typeof toExportRow>[0][]).map(toExportRow);
    },
  };
}
