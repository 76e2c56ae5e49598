/**
 * The read side of the analytics API: one implementation per engine
 * (`store/<engine>/analytics*.ts`), reached through `Store.analytics`. Every analytics answer
 * reads the read models the processor keeps (`sums`, `contents`; see `rollups/readmodel.ts`),
 * never a scan of raw events; raw events are read only as the newest N rows of an index range
 * (activity feed, selector drill-down) and by the export.
 */
import type { SketchRow, SumRow } from '../store/readmodel-sql';
import type { Aggregator, ContentKind, Granularity } from '../store/types';
import type { DashboardReads } from './dashboard-reader';

/** Scope every read shares: one org, one environment. */
export interface Scope {
  orgKey: string;
  env: string;
}

/** Summed counters of one content × metric × period. */
export interface SeriesRow {
  contentKind: ContentKind;
  contentId: string;
  period: string;
  metric: string;
  value: number;
}

/** Counter totals per content × metric × dim over a period range. */
export interface TotalRow {
  contentKind: ContentKind;
  contentId: string;
  metric: string;
  dim: string;
  value: number;
}

/** A raw event as exported (NDJSON line or CSV row). */
export interface ExportRow {
  id: string;
  ts: string;
  type: string;
  env: string;
  content_kind: string;
  content_id: string;
  session_id: string;
  client_id: string;
  url: string | null;
  /** the validated event as received */
  data: Record<string, unknown>;
}

/** Keyset cursor of the export: the last row's `(ts, seq)`. */
export interface ExportCursor {
  ts: number;
  seq: number;
}

/** One entry of the activity feed, as answered. */
export interface ActivityRow {
  ts: string;
  event_id: string;
  type: string;
  client_id: string;
  session_id: string;
  content_kind: string;
  content_id: string;
  detail: Record<string, unknown>;
}

/** Keyset cursor of the activity feed (newest first): the last row's `(ts, event_id)`. */
export interface ActivityCursor {
  ts: number;
  eventId: string;
}

export type ActivityBy =
  | { by: 'user'; clientId: string }
  | { by: 'session'; sessionId: string }
  | { by: 'content'; contentKind: ContentKind; contentId: string };

/** An admin action kept in the audit log. */
export interface AuditEntry {
  orgKey: string;
  /** who: the API key's label / id, or the JWT subject */
  actor: string;
  /** e.g. `export`, `delete_user`, `journey_settings` */
  action: string;
  /** what it acted on (journey key, client id, date range...) */
  target: string;
  detail?: Record<string, unknown>;
}

export interface AuditRow extends Omit<AuditEntry, 'detail'> {
  id: number;
  ts: string;
  detail: Record<string, unknown>;
}

/** What a user deletion removed. */
export interface DeletionResult {
  rawEvents: number;
  activity: number;
  pixelRecords: number;
  /** counters decremented (distinct keys) */
  counters: number;
}

/** The read side; the dashboard's own reads are declared in `dashboard-reader.ts`. */
export interface AnalyticsReader extends DashboardReads {
  /** Sums counters (`dim` = '') per content × period × metric. `contentIds` undefined = every content of the kind. */
  series(q: Scope & {
    contentKind: ContentKind;
    contentIds?: string[];
    metrics: string[];
    granularity: Granularity;
    fromPeriod: string;
    toPeriod: string;
  }): Promise<SeriesRow[]>;
  /** Counter totals over a period range per content × metric × dim, for the given kinds and metrics. */
  totals(q: Scope & {
    contentKinds: ContentKind[];
    contentId?: string;
    metrics: string[];
    /** true: only per-dimension rows (dim != ''); false: only totals (dim = '') */
    byDim: boolean;
    /** `day` (periods `YYYY-MM-DD`) in UTC, `hour` (`YYYY-MM-DDTHH`) for other zones */
    granularity: Granularity;
    fromPeriod: string;
    toPeriod: string;
  }): Promise<TotalRow[]>;
  /**
   * Read-model sums of some contents and metrics: the day rows of `days` (one per day, or summed
   * per content × metric × dim with `grouped`) and the quarter-hour rows listed in `quarters`.
   */
  sums(q: Scope & {
    contentKind: ContentKind;
    contentIds: string[];
    metrics: string[];
    days?: { from: number; to: number };
    quarters: number[];
    grouped: boolean;
  }): Promise<SumRow[]>;
  /** Read-model sketch rows (stored counts) of some contents and metrics, like {@link AnalyticsReader.sums} (never grouped). */
  sketches(q: Scope & {
    contentKind: ContentKind;
    contentIds: string[];
    metrics: string[];
    days?: { from: number; to: number };
    quarters: number[];
  }): Promise<SketchRow[]>;
  /** Contents of the given kinds that have read-model sums. */
  contents(q: Scope & { contentKinds: ContentKind[] }): Promise<{ contentKind: ContentKind; contentId: string }[]>;
  /** Newest raw events of one type and content in `[start, end)` (selector drill-down). */
  recentEvents(q: Scope & { contentKind?: ContentKind; contentId?: string; type: string; start: number; end: number; limit: number }): Promise<ExportRow[]>;
  /** One page of the export, oldest first, after the cursor. */
  exportPage(q: Scope & { start: number; end: number; after?: ExportCursor; limit: number }): Promise<{ rows: ExportRow[]; next?: ExportCursor }>;
  /** One page of the activity feed, newest first, before the cursor. */
  activity(q: Scope & ActivityBy & { before?: ActivityCursor; limit: number }): Promise<{ rows: ActivityRow[]; next?: ActivityCursor }>;
  /**
   * Removes every raw event, activity entry and pixel record of a user (clientId / uid) in one
   * transaction and subtracts the counters their processed events had added (`aggregate` is the
   * processor's own function, so the correction is exact).
   */
  deleteUser(orgKey: string, clientId: string, aggregate: Aggregator): Promise<DeletionResult>;
  audit(entry: AuditEntry): Promise<void>;
  listAudit(q: { orgKey: string; beforeId?: number; limit: number }): Promise<{ rows: AuditRow[]; next?: number }>;
}
