/**
 * The read side of the analytics API: one implementation per engine
 * (`store/<engine>/analytics*.ts`), reached through `Store.analytics`. Counters are read from the
 * rollups; only what counters cannot answer (distinct users, medians, last status) reads raw
 * events, always bounded by org, content and time so the `(org, kind, content_id, ts)` index serves it.
 */
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

/** Raw-event counts per shifted hour bucket (for zones with a sub-hour UTC offset). */
export interface BucketRow {
  /** UTC ms of the bucket start (already shifted back: a local hour start) */
  bucket: number;
  type: string;
  count: number;
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

/** One raw event reduced to what per-user / per-session analytics need. */
export interface SlimEvent {
  clientId: string;
  sessionId: string;
  type: string;
  ts: number;
  /** the event's JSON, parsed lazily by the caller */
  json: string;
}

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
  /** Raw-event counts per hour bucket shifted by `shiftMs` (sub-hour zones). */
  rawBuckets(q: Scope & { contentKind: ContentKind; contentId: string; types: string[]; start: number; end: number; shiftMs: number }): Promise<BucketRow[]>;
  /** Distinct users who started a tour, and per step index the distinct users who viewed it. */
  stepReach(q: Scope & { tourId: string; start: number; end: number }): Promise<{
    started: number;
    steps: { step_index: number; step_id: string; users: number }[];
  }>;
  /** Raw events of one content in `[start, end)`, ordered by `(ts, event id)`; visited one by one. */
  eachEvent(
    q: Scope & { contentKind: ContentKind; contentId: string; types: string[]; start: number; end: number },
    visit: (e: SlimEvent) => void,
  ): Promise<void>;
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
