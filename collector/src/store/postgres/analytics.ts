/**
 * PostgreSQL implementation of the analytics read side ({@link AnalyticsReader}), the twin of
 * `../sqlite/analytics.ts`: counter reads are ranges of the `counters` primary key; raw-event
 * reads are bounded by `(org, kind, content_id, ts)` (the `raw_events_content` index of every
 * partition).
 */
import type pg from 'pg';
import type { AnalyticsReader, BucketRow, SeriesRow, SlimEvent, TotalRow } from '../../analytics/reader';
import { toExportRow } from '../sqlite/analytics-rows';
import { marks, numbered } from './analytics-sql';
import { createFeedReads } from './analytics-feed';
import { createUserDeletion } from './analytics-delete';
import { createDashboardReads } from './dashboard';

const RAW_WHERE = 'org = ? AND kind = ? AND content_id = ? AND ts >= ? AND ts < ? AND env = ?';
const PAGE = 5000;

export function createPostgresAnalytics(pool: pg.Pool): AnalyticsReader {
  const all = async <T>(sql: string, values: unknown[]) => (await pool.query(numbered(sql), values)).rows as T[];

  return {
    ...createFeedReads(pool),
    ...createUserDeletion(pool),
    ...createDashboardReads(pool),

    series(q) {
      const ids = q.contentIds;
      return all<SeriesRow>(
        `SELECT kind AS "contentKind", content_id AS "contentId", period, metric, value FROM counters
          WHERE org = ? AND env = ? AND kind = ? ${ids ? `AND content_id IN (${marks(ids.length)})` : ''}
            AND granularity = ? AND period >= ? AND period <= ? AND metric IN (${marks(q.metrics.length)}) AND dim = ''`,
        [q.orgKey, q.env, q.contentKind, ...(ids ?? []), q.granularity, q.fromPeriod, q.toPeriod, ...q.metrics],
      );
    },

    totals(q) {
      return all<TotalRow>(
        `SELECT kind AS "contentKind", content_id AS "contentId", metric, dim, SUM(value) AS value FROM counters
          WHERE org = ? AND env = ? AND kind IN (${marks(q.contentKinds.length)}) ${q.contentId !== undefined ? 'AND content_id = ?' : ''}
            AND granularity = ? AND period >= ? AND period <= ? AND metric IN (${marks(q.metrics.length)})
            AND dim ${q.byDim ? "<> ''" : "= ''"}
          GROUP BY kind, content_id, metric, dim`,
        [q.orgKey, q.env, ...q.contentKinds, ...(q.contentId !== undefined ? [q.contentId] : []), q.granularity, q.fromPeriod, q.toPeriod, ...q.metrics],
      );
    },

    rawBuckets(q) {
      return all<BucketRow>(
        `SELECT ((ts - ?::bigint) / 3600000) * 3600000 + ?::bigint AS bucket, type, COUNT(*) AS count FROM raw_events
          WHERE ${RAW_WHERE} AND type IN (${marks(q.types.length)}) GROUP BY 1, type`,
        [q.shiftMs, q.shiftMs, q.orgKey, q.contentKind, q.contentId, q.start, q.end, q.env, ...q.types],
      );
    },

    async stepReach(q) {
      const base = [q.orgKey, 'tour', q.tourId, q.start, q.end, q.env];
      const started = await all<{ n: number }>(`SELECT COUNT(DISTINCT client_id) AS n FROM raw_events WHERE ${RAW_WHERE} AND type = 'TourStarted'`, base);
      const steps = await all<{ step_index: number; step_id: string; users: number }>(
        `SELECT (json::jsonb ->> 'stepIndex')::int AS step_index, MIN(json::jsonb ->> 'stepId') AS step_id, COUNT(DISTINCT client_id) AS users
           FROM raw_events WHERE ${RAW_WHERE} AND type = 'StepViewed' GROUP BY 1 ORDER BY 1`,
        base,
      );
      return { started: started[0]!.n, steps };
    },

    async eachEvent(q, visit) {
      // keyset pages instead of a server-side cursor: no transaction stays open between pages
      let after: { ts: number; id: string } | undefined;
      for (;;) {
        const rows = await all<SlimEvent & { event_id: string }>(
          `SELECT client_id AS "clientId", session_id AS "sessionId", type, ts, json, event_id FROM raw_events
            WHERE ${RAW_WHERE} AND type IN (${marks(q.types.length)}) ${after ? 'AND (ts, event_id) > (?, ?)' : ''}
            ORDER BY ts, event_id LIMIT ${PAGE}`,
          [q.orgKey, q.contentKind, q.contentId, q.start, q.end, q.env, ...q.types, ...(after ? [after.ts, after.id] : [])],
        );
        for (const { event_id: _, ...e } of rows) visit(e);
        if (rows.length < PAGE) return;
        const last = rows[rows.length - 1]!;
        after = { ts: last.ts, id: last.event_id };
      }
    },

    async recentEvents(q) {
      const content = q.contentKind !== undefined && q.contentId !== undefined;
      const rows = content
        ? await all<Parameters<typeof toExportRow>[0]>(
            `SELECT * FROM raw_events WHERE ${RAW_WHERE} AND type = ? ORDER BY ts DESC, event_id DESC LIMIT ?`,
            [q.orgKey, q.contentKind, q.contentId, q.start, q.end, q.env, q.type, q.limit],
          )
        : await all<Parameters<typeof toExportRow>[0]>(
            `SELECT * FROM raw_events WHERE ts >= ? AND ts < ? AND org = ? AND env = ? AND type = ? ORDER BY ts DESC, event_id DESC LIMIT ?`,
            [q.start, q.end, q.orgKey, q.env, q.type, q.limit],
          );
      return rows.map(toExportRow);
    },
  };
}
