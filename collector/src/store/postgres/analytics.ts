/**
 * PostgreSQL implementation of the analytics read side ({@link AnalyticsReader}), the twin of
 * `../sqlite/analytics.ts`: read-model sums with the SQL both engines share (`../readmodel-sql.ts`),
 * counter reads as ranges of the `counters` primary key, and the selector drill-down as the newest
 * rows of the `(org, kind, content_id, ts)` index range of every partition, bounded by LIMIT.
 */
import type pg from 'pg';
import type { AnalyticsReader, SeriesRow, TotalRow } from '../../analytics/reader';
import { contentsSql, sketchesSql, sumsParams, sumsSql, type SketchRow, type SumRow } from '../readmodel-sql';
import type { ContentKind } from '../types';
import { toExportRow } from '../sqlite/analytics-rows';
import { marks, numbered } from './analytics-sql';
import { createFeedReads } from './analytics-feed';
import { createUserDeletion } from './analytics-delete';
import { createDashboardReads } from './dashboard';

const RAW_WHERE = 'org = ? AND kind = ? AND content_id = ? AND ts >= ? AND ts < ? AND env = ?';

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

    sums(q) {
      const sql = sumsSql({ engine: 'postgres', contentIds: q.contentIds.length, metrics: q.metrics.length, days: !!q.days, grouped: q.grouped, quarters: q.quarters.length });
      return all<SumRow>(sql, sumsParams('postgres', q));
    },

    sketches(q) {
      const sql = sketchesSql({ engine: 'postgres', contentIds: q.contentIds.length, metrics: q.metrics.length, days: !!q.days, quarters: q.quarters.length });
      return all<SketchRow>(sql, sumsParams('postgres', q));
    },

    async contents(q) {
      const rows = await all<{ kind: ContentKind; content_id: string }>(contentsSql(q.contentKinds.length), [q.orgKey, q.env, ...q.contentKinds]);
      return rows.map((r) => ({ contentKind: r.kind, contentId: r.content_id }));
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
