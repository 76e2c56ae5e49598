/**
 * The reads the dashboard's endpoints add to the analytics read side (entity lists, pixel
 * sites, the live feed). Each is a bounded read of counters or read models, never a raw-event
 * scan: implemented per engine in `store/<engine>/dashboard.ts`, one SQL text for both where
 * the engines agree.
 */
import type { ContentKind, Granularity } from '../store/types';
import type { ActivityCursor, ActivityRow, Scope } from './reader';

/** A per-dimension counter summed per content × period × metric × dim. */
export interface DimSeriesRow {
  contentId: string;
  period: string;
  metric: string;
  dim: string;
  value: number;
}

/** Pixel session and user records of one site whose latest event lies in a window. */
export interface PixelActivityRow {
  site: string;
  sessions: number;
  users: number;
}

export interface DashboardReads {
  /**
   * Ids of the contents of a kind that have counters in the environment, in key order, at most
   * `limit`: one index seek per id (a skip scan of the counters key), whatever their periods.
   */
  contentIds(q: Scope & { contentKind: ContentKind; limit: number }): Promise<string[]>;
  /** Whether any counter exists for the content in any environment of the org (404 otherwise). */
  contentKnown(q: { orgKey: string; contentKind: ContentKind; contentId: string }): Promise<boolean>;
  /** Per-dimension counters (`dim` <> '') of the given contents, metrics and periods. */
  dimSeries(q: Scope & {
    contentKind: ContentKind;
    contentIds: string[];
    metrics: string[];
    granularity: Granularity;
    fromPeriod: string;
    toPeriod: string;
  }): Promise<DimSeriesRow[]>;
  /** Pixel session and user records of each site whose latest event is in `[start, end)`. */
  pixelActivity(q: { orgKey: string; sites: string[]; start: number; end: number }): Promise<PixelActivityRow[]>;
  /** The environment's activity feed across every content, newest first, before the cursor. */
  latestActivity(q: Scope & { before?: ActivityCursor; limit: number }): Promise<{ rows: ActivityRow[]; next?: ActivityCursor }>;
}
