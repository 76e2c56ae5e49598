/**
 * The dashboard reads on PostgreSQL ({@link DashboardReads}), the twin of `../sqlite/dashboard.ts`:
 * the same counter and pixel SQL, and the environment's newest entries of the `activity` table.
 */
import type pg from 'pg';
import type { DashboardReads, DimSeriesRow } from '../../analytics/dashboard-reader';
import { CONTENT_IDS, CONTENT_KNOWN, dimSeriesSql, pixelActivityRows, pixelActivitySql } from '../dashboard-sql';
import { numbered } from './analytics-sql';
import { toActivityRow, type ActivityDbRow } from './analytics-feed';

export function createDashboardReads(pool: pg.Pool): DashboardReads {
  const all = async <T>(sql: string, values: unknown[]) => (await pool.query(numbered(sql), values)).rows as T[];
  return {
    async contentIds(q) {
      const k = [q.orgKey, q.env, q.contentKind];
      return (await all<{ id: string }>(CONTENT_IDS, [...k, ...k, q.limit])).map((r) => r.id);
    },

    async contentKnown(q) {
      return (await all(CONTENT_KNOWN, [q.orgKey, q.contentKind, q.contentId])).length > 0;
    },

    async dimSeries(q) {
      if (!q.contentIds.length || !q.metrics.length) return [];
      return all<DimSeriesRow>(dimSeriesSql(q.contentIds.length, q.metrics.length), [
        q.orgKey, q.env, q.contentKind, ...q.contentIds, q.granularity, q.fromPeriod, q.toPeriod, ...q.metrics,
      ]);
    },

    async pixelActivity(q) {
      if (!q.sites.length) return [];
      return pixelActivityRows(q.sites, await all(pixelActivitySql(q.sites.length), [q.orgKey, ...q.sites, q.start, q.end]));
    },

    async latestActivity(q) {
      const cur = q.before ?? { ts: Number.MAX_SAFE_INTEGER, eventId: '' };
      const rows = await all<ActivityDbRow>(
        `SELECT ts, event_id, type, client_id, session_id, kind, content_id, detail FROM activity
          WHERE org = ? AND env = ? AND ts <= ? AND (ts < ? OR event_id < ?)
          ORDER BY ts DESC, event_id DESC LIMIT ?`,
        [q.orgKey, q.env, cur.ts, cur.ts, cur.eventId, q.limit],
      );
      const last = rows[rows.length - 1];
      return { rows: rows.map(toActivityRow), next: rows.length === q.limit && last ? { ts: last.ts, eventId: last.event_id } : undefined };
    },
  };
}
