/**
 * Paged reads of the analytics API on PostgreSQL (twin of `../sqlite/analytics-feed.ts`): the
 * export (oldest first, keyset on `(ts, seq)`), the activity feed (newest first, keyset on
 * `(ts, event_id)`) and the audit log (table created by migration 2).
 */
import type pg from 'pg';
import type { ActivityRow, AnalyticsReader, AuditRow } from '../../analytics/reader';
import { EXPORT_COLUMNS, exportPageOf, type ExportDbRow } from '../../analytics/stored-row';
import { numbered, parseDetail } from './analytics-sql';
import { rangeRead } from './range-read';

type FeedReads = Pick<AnalyticsReader, 'exportPage' | 'activity' | 'audit' | 'listAudit'>;

/** The `activity` columns an activity entry is made of. */
export interface ActivityDbRow {
  ts: number; event_id: string; type: string; client_id: string; session_id: string;
  kind: string; content_id: string; detail: string;
}

/** An `activity` row as an activity entry. */
export function toActivityRow(r: ActivityDbRow): ActivityRow {
  return {
    ts: new Date(r.ts).toISOString(),
    event_id: r.event_id,
    type: r.type,
    client_id: r.client_id,
    session_id: r.session_id,
    content_kind: r.kind,
    content_id: r.content_id,
    detail: parseDetail(r.detail),
  };
}

/**
 * One export page (run through `rangeRead`): one range of `raw_events_export (org, env, ts, seq)`, whose order the row
 * comparison follows, so a page costs the same at row one million as at row one.
 * Parameters: org, env, cursor ts, cursor seq, end (exclusive), limit.
 */
export const EXPORT_PAGE_SQL = numbered(
  `SELECT ${EXPORT_COLUMNS} FROM raw_events
    WHERE org = ? AND env = ? AND (ts, seq) > (?, ?) AND ts < ? ORDER BY ts, seq LIMIT ?`,
);

const FEED_KEYS = {
  user: 'org = ? AND client_id = ?',
  session: 'org = ? AND session_id = ?',
  content: 'org = ? AND kind = ? AND content_id = ?',
} as const;

/**
 * One activity-feed page, newest first: one range of an index ending in (ts, event_id), the
 * primary key for a user, `activity_session_page` / `activity_content_page` otherwise.
 * Parameters: org, the key (client id | session id | kind, content id), cursor ts, cursor event id, env, limit.
 */
export const activityPageSql = (by: keyof typeof FEED_KEYS) =>
  numbered(
    `SELECT ts, event_id, type, client_id, session_id, kind, content_id, detail FROM activity
      WHERE ${FEED_KEYS[by]} AND (ts, event_id) < (?, ?) AND env = ?
      ORDER BY ts DESC, event_id DESC LIMIT ?`,
  );

export function createFeedReads(pool: pg.Pool): FeedReads {
  const all = async <T>(sql: string, values: unknown[]) => (await pool.query(sql, values)).rows as T[];
  const ranged = async <T>(sql: string, values: unknown[]) => (await rangeRead(pool, sql, values)).rows as T[];
  return {
    async exportPage(q) {
      // before the first row of the range: every seq is below MAX_SAFE_INTEGER
      const cur = q.after ?? { ts: q.start - 1, seq: Number.MAX_SAFE_INTEGER };
      const { rows } = await rangeRead<ExportDbRow>(pool, { text: EXPORT_PAGE_SQL, values: [q.orgKey, q.env, cur.ts, cur.seq, q.end, q.limit], rowMode: 'array' });
      return exportPageOf(rows, q.limit);
    },

    async activity(q) {
      const key = q.by === 'user' ? [q.clientId] : q.by === 'session' ? [q.sessionId] : [q.contentKind, q.contentId];
      const cur = q.before ?? { ts: Number.MAX_SAFE_INTEGER, eventId: '' };
      const rows = await ranged<ActivityDbRow>(
        activityPageSql(q.by),
        [q.orgKey, ...key, cur.ts, cur.eventId, q.env, q.limit],
      );
      const last = rows[rows.length - 1];
      return { rows: rows.map(toActivityRow), next: rows.length === q.limit && last ? { ts: last.ts, eventId: last.event_id } : undefined };
    },

    async audit(e) {
      await pool.query('INSERT INTO audit_log (org, ts, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6)', [
        e.orgKey, Date.now(), e.actor, e.action, e.target, JSON.stringify(e.detail ?? {}),
      ]);
    },

    async listAudit(q) {
      const rows = await all<{ id: number; org: string; ts: number; actor: string; action: string; target: string; detail: string }>(
        numbered('SELECT * FROM audit_log WHERE org = ? AND id < ? ORDER BY id DESC LIMIT ?'),
        [q.orgKey, q.beforeId ?? Number.MAX_SAFE_INTEGER, q.limit],
      );
      const last = rows[rows.length - 1];
      return {
        rows: rows.map((r): AuditRow => ({
          id: r.id, orgKey: r.org, ts: new Date(r.ts).toISOString(), actor: r.actor, action: r.action, target: r.target,
          detail: parseDetail(r.detail),
        })),
        next: rows.length === q.limit && last ? last.id : undefined,
      };
    },
  };
}
