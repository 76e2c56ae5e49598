/**
 * SQLite implementation of the analytics read side ({@link AnalyticsReader}). Read-model sums are
 * ranges and key lists of the `rm_sums` primary key (SQL shared with PostgreSQL,
 * `../readmodel-sql.ts`); counter reads hit the `counters` primary key as a range; the selector
 * drill-down reads the newest rows of the `raw_events_content` index range, bounded by LIMIT.
 */
import type Database from 'better-sqlite3';
import type { AnalyticsReader, SeriesRow, TotalRow } from '../../analytics/reader';
import { contentsSql, sketchesSql, sumsParams, sumsSql, type SketchRow, type SumRow } from '../readmodel-sql';
import { toExportRow } from './analytics-rows';
import { readQuarterRows } from './quarter-columns';
import { createPendingReader, withPendingSketches, withPendingSums } from './pending-deltas';
import type { ContentKind } from '../types';
import { createFeedReads } from './analytics-feed';
import { createUserDeletion } from './analytics-delete';
import { createDashboardReads } from './dashboard';

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Creates the analytics reader over an open store connection. Statements are prepared lazily. */
export function createSqliteAnalytics(db: Database.Database): AnalyticsReader {
  const cache = new Map<string, Database.Statement>();
  const pending = createPendingReader(db);
  // the stored rows and the delta log in one snapshot: a merge in between would count its deltas
  // twice or not at all
  const snapshot = db.transaction(<T>(read: () => T): T => read()) as <T>(read: () => T) => T;
  const stmt = (sql: string) => {
    let s = cache.get(sql);
    if (!s) {
      // key lists of varying length make many texts: keep the cache bounded
      if (cache.size >= 500) cache.clear();
      cache.set(sql, (s = db.prepare(sql)));
    }
    return s;
  };

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

    async sums(q) {
      // quarters are columns of the day rows here (`quarter-columns.ts`)
      const { rows, view } = snapshot(() => {
        const days = q.days
          ? (stmt(sumsSql({ engine: 'sqlite', contentIds: q.contentIds.length, metrics: q.metrics.length, days: true, grouped: q.grouped, quarters: 0 })).all(...sumsParams('sqlite', { ...q, quarters: [] })) as SumRow[])
          : [];
        const quarters = readQuarterRows((sql, params) => stmt(sql).safeIntegers(true).all(...params) as Record<string, unknown>[], q);
        return { rows: quarters.length ? days.concat(quarters) : days, view: pending() };
      });
      return withPendingSums(rows, view, q);
    },

    async sketches(q) {
      const sql = sketchesSql({ engine: 'sqlite', contentIds: q.contentIds.length, metrics: q.metrics.length, days: !!q.days, quarters: q.quarters.length });
      const { rows, view } = snapshot(() => ({ rows: stmt(sql).all(...sumsParams('sqlite', q)) as SketchRow[], view: pending() }));
      return withPendingSketches(rows, view, q);
    },

    async contents(q) {
      const rows = stmt(contentsSql(q.contentKinds.length)).all(q.orgKey, q.env, ...q.contentKinds) as { kind: ContentKind; content_id: string }[];
      return rows.map((r) => ({ contentKind: r.kind, contentId: r.content_id }));
    },

    async recentEvents(q) {
      const content = q.contentKind !== undefined && q.contentId !== undefined;
      const sql = content
        ? `SELECT * FROM raw_events WHERE org = ? AND kind = ? AND content_id = ? AND ts >= ? AND ts < ? AND env = ? AND type = ? ORDER BY ts DESC, event_id DESC LIMIT ?`
        : `SELECT * FROM raw_events INDEXED BY raw_events_ts WHERE ts >= ? AND ts < ? AND org = ? AND env = ? AND type = ? ORDER BY ts DESC, event_id DESC LIMIT ?`;
      const args = content
        ? [q.orgKey, q.contentKind as ContentKind, q.contentId, q.start, q.end, q.env, q.type, q.limit]
        : [q.start, q.end, q.orgKey, q.env, q.type, q.limit];
      return (stmt(sql).all(...args) as Parameters<typeof toExportRow>[0][]).map(toExportRow);
    },
  };
}
