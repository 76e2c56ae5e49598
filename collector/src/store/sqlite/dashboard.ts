/**
 * The dashboard reads on SQLite ({@link DashboardReads}): counter skip scans and ranges, pixel
 * records by site, and the environment's newest activity (read from `raw_events`, as the feed).
 */
import type Database from 'better-sqlite3';
import type { DashboardReads, DimSeriesRow } from '../../analytics/dashboard-reader';
import { CONTENT_IDS, CONTENT_KNOWN, dimSeriesSql, pixelActivityRows, pixelActivitySql } from '../dashboard-sql';
import { ACTIVITY_WHERE, activityCutoff, toActivityRow, type ActivityDbRow } from './analytics-feed';

type Stmt = (sql: string) => Database.Statement;

export function createDashboardReads(db: Database.Database, stmt: Stmt): DashboardReads {
  return {
    async contentIds(q) {
      const k = [q.orgKey, q.env, q.contentKind];
      return stmt(CONTENT_IDS).pluck().all(...k, ...k, q.limit) as string[];
    },

    async contentKnown(q) {
      return stmt(CONTENT_KNOWN).get(q.orgKey, q.contentKind, q.contentId) !== undefined;
    },

    async dimSeries(q) {
      if (!q.contentIds.length || !q.metrics.length) return [];
      return stmt(dimSeriesSql(q.contentIds.length, q.metrics.length)).all(
        q.orgKey, q.env, q.contentKind, ...q.contentIds, q.granularity, q.fromPeriod, q.toPeriod, ...q.metrics,
      ) as DimSeriesRow[];
    },

    async pixelActivity(q) {
      if (!q.sites.length) return [];
      const rows = stmt(pixelActivitySql(q.sites.length)).all(q.orgKey, ...q.sites, q.start, q.end) as { site: string; kind: string; n: number }[];
      return pixelActivityRows(q.sites, rows);
    },

    async latestActivity(q) {
      const cur = q.before ?? { ts: Number.MAX_SAFE_INTEGER, eventId: '' };
      // newest first along the time index; the org and env filter runs on the rows it meets
      const rows = stmt(
        `SELECT ts, event_id, type, client_id, session_id, kind, content_id, json FROM raw_events INDEXED BY raw_events_ts
          WHERE ts <= ? AND ts >= ? AND (ts < ? OR event_id < ?) AND org = ? AND env = ? AND ${ACTIVITY_WHERE}
          ORDER BY ts DESC, event_id DESC LIMIT ?`,
      ).all(cur.ts, activityCutoff(db), cur.ts, cur.eventId, q.orgKey, q.env, q.limit) as ActivityDbRow[];
      const last = rows[rows.length - 1];
      return { rows: rows.map(toActivityRow), next: rows.length === q.limit && last ? { ts: last.ts, eventId: last.event_id } : undefined };
    },
  };
}
