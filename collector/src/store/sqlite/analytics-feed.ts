/**
 * Paged reads of the analytics API on SQLite: the export (oldest first, keyset on `(ts, seq)`),
 * the activity feed (newest first, keyset on `(ts, event_id)`) and the audit log. Keyset pages
 * mean no cursor stays open between pages, so a slow client never holds the connection.
 *
 * The activity feed is read from `raw_events` (no second copy of each event): the SDK events the
 * processor's rule puts in the feed (`inActivityFeed`), newer than the feed's retention
 * cut-off, with the `detail` the processor's rule derives (`activityDetail`).
 */
import type Database from 'better-sqlite3';
import type { WaymarkEvent } from '@waymark/core/schema';
import type { ActivityRow, AnalyticsReader, AuditRow } from '../../analytics/reader';
import { NO_ACTIVITY, activityDetail } from '../../rollups/aggregate';
import { EXPORT_COLUMNS, exportPageOf, type ExportDbRow } from '../../analytics/stored-row';

/** SQL for `inActivityFeed` (rollups/aggregate.ts) on a `raw_events` row. */
export const ACTIVITY_WHERE = `source = 'sdk' AND type NOT IN (${[...NO_ACTIVITY].map((t) => `'${t}'`).join(', ')})`;

/** Events older than this (ms) are no longer in the feed (`retention.activityDays`, kept by the purge). */
export function activityCutoff(db: Database.Database): number {
  return (db.prepare('SELECT ts FROM activity_cutoff WHERE id = 1').pluck().get() as number | undefined) ?? 0;
}

/** The audit log lives beside the analytics reads; created on first use, idempotent. */
const AUDIT_SCHEMA = `
  CREATE TABLE IF NOT EXISTS audit_log (
    id     INTEGER PRIMARY KEY,
    org    TEXT    NOT NULL,
    ts     INTEGER NOT NULL,
    actor  TEXT    NOT NULL,
    action TEXT    NOT NULL,
    target TEXT    NOT NULL,
    detail TEXT    NOT NULL
  );
  CREATE INDEX IF NOT EXISTS audit_log_org ON audit_log (org, id);`;

type Stmt = (sql: string) => Database.Statement;
type FeedReads = Pick<AnalyticsReader, 'exportPage' | 'activity' | 'audit' | 'listAudit'>;

/** The `raw_events` columns an activity entry is made of. */
export interface ActivityDbRow {
  ts: number; event_id: string; type: string; client_id: string; session_id: string;
  kind: string; content_id: string; json: string;
}

/** A `raw_events` row as an activity entry, with the `detail` the processor's rule derives. */
export function toActivityRow(r: ActivityDbRow): ActivityRow {
  return {
    ts: new Date(r.ts).toISOString(),
    event_id: r.event_id,
    type: r.type,
    client_id: r.client_id,
    session_id: r.session_id,
    content_kind: r.kind,
    content_id: r.content_id,
    detail: activityDetail(JSON.parse(r.json) as WaymarkEvent),
  };
}

/**
 * One export page. INDEXED BY: one range of `raw_events_export (org, env, ts)`, which ends in the
 * rowid (= seq), so (ts, seq) is the index's own order and no page sorts or skips.
 * Parameters: org, env, cursor ts, cursor seq, end (exclusive), limit.
 */
export const EXPORT_PAGE_SQL = `SELECT ${EXPORT_COLUMNS} FROM raw_events INDEXED BY raw_events_export
  WHERE org = ? AND env = ? AND (ts, seq) > (?, ?) AND ts < ? ORDER BY ts, seq LIMIT ?`;

export function createFeedReads(db: Database.Database, stmt: Stmt): FeedReads {
  let auditReady = false;
  const ensureAudit = () => {
    if (!auditReady) db.exec(AUDIT_SCHEMA);
    auditReady = true;
  };

  return {
    async exportPage(q) {
      // before the first row of the range: every seq is below MAX_SAFE_INTEGER
      const cur = q.after ?? { ts: q.start - 1, seq: Number.MAX_SAFE_INTEGER };
      const rows = stmt(EXPORT_PAGE_SQL).raw(true).all(q.orgKey, q.env, cur.ts, cur.seq, q.end, q.limit) as ExportDbRow[];
      return exportPageOf(rows, q.limit);
    },

    async activity(q) {
      const [index, where] =
        q.by === 'user'
          ? ['raw_events_client', 'org = ? AND client_id = ?']
          : q.by === 'session'
            ? ['raw_events_session', 'org = ? AND session_id = ?']
            : ['raw_events_content', 'org = ? AND kind = ? AND content_id = ?'];
      const key = q.by === 'user' ? [q.clientId] : q.by === 'session' ? [q.sessionId] : [q.contentKind, q.contentId];
      const cur = q.before ?? { ts: Number.MAX_SAFE_INTEGER, eventId: '' };
      const rows = stmt(
        `SELECT ts, event_id, type, client_id, session_id, kind, content_id, json FROM raw_events INDEXED BY ${index}
         WHERE ${where} AND ts <= ? AND (ts < ? OR event_id < ?) AND ts >= ? AND env = ? AND ${ACTIVITY_WHERE}
         ORDER BY ts DESC, event_id DESC LIMIT ?`,
      ).all(q.orgKey, ...key, cur.ts, cur.ts, cur.eventId, activityCutoff(db), q.env, q.limit) as ActivityDbRow[];
      const last = rows[rows.length - 1];
      return { rows: rows.map(toActivityRow), next: rows.length === q.limit && last ? { ts: last.ts, eventId: last.event_id } : undefined };
    },

    async audit(e) {
      ensureAudit();
      stmt('INSERT INTO audit_log (org, ts, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)').run(
        e.orgKey, Date.now(), e.actor, e.action, e.target, JSON.stringify(e.detail ?? {}),
      );
    },

    async listAudit(q) {
      ensureAudit();
      const rows = stmt('SELECT * FROM audit_log WHERE org = ? AND id < ? ORDER BY id DESC LIMIT ?').all(
        q.orgKey, q.beforeId ?? Number.MAX_SAFE_INTEGER, q.limit,
      ) as { id: number; org: string; ts: number; actor: string; action: string; target: string; detail: string }[];
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

function parseDetail(s: string): Record<string, unknown> {
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return {};
  }
}
