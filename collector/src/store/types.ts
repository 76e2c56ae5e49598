/**
 * The storage contract of the collector. Nothing above this file speaks SQL: the HTTP layer,
 * the processor and the retention job only call a {@link Store}. One implementation per engine
 * (SQLite embedded by default, PostgreSQL for scale-out).
 *
 * The write path is an outbox pipeline, designed so that several collector
 * processes and separate processor processes can share one database:
 *
 * 1. {@link Store.append} writes a batch in ONE transaction: each raw event is inserted unless an
 *    event with the same `(orgKey, eventId)` already exists (then it is neither stored nor counted),
 *    and every newly inserted event is put in the outbox in the same transaction (PostgreSQL: one
 *    row per event; SQLite: one row per commit, covering the range of raw seqs it inserted).
 * 2. {@link Store.processOutbox} claims a bounded number of outbox rows (on PostgreSQL with
 *    `FOR UPDATE SKIP LOCKED`, so any number of processors can run), hands them to a pure
 *    aggregation function (which lives once, above the engines, in `rollups/`), applies the result
 *    (counters, activity entries, pixel records) and deletes the claimed rows, all in one
 *    transaction. A crash before commit leaves the rows for the next claim: nothing counted twice.
 */
import type { AnalyticsReader } from '../analytics/reader';
import type { DeadLetterStore } from './dead-letters';
import type { EntityUpdate, SketchDelta, SumDelta } from '../rollups/readmodel';

/** What a raw event belongs to: the `content` part of the `tenant#content` partition key. */
export type ContentKind = 'journey' | 'tour' | 'content' | 'site' | 'none';

/** Where an event came from; retention differs per source (90 days SDK, 60 days pixel). */
export type EventSource = 'sdk' | 'pixel';

/**
 * One raw event as stored. Keyed like `Events.Interactions`:
 * partition `orgKey#kind:contentId`, sort `ts#eventId` (see {@link rawKey}).
 */
export interface RawEvent {
  orgKey: string;
  /** `prod`, `staging` or `dev` (the batch context's `env`; pixel events are `prod`) */
  env: string;
  contentKind: ContentKind;
  /** tour id, content id, journey key or pixel site; `''` when kind is `none` */
  contentId: string;
  /** event time, ms since the epoch (UTC) */
  ts: number;
  /** client-generated id (SDK) or generated eid (pixel); unique per org */
  eventId: string;
  /** sessionId (SDK) or sid (pixel) */
  sessionId: string;
  /** clientId (SDK) or uid (pixel) */
  clientId: string;
  /** the event's `_tag`, or `pixel` */
  type: string;
  source: EventSource;
  /** the validated event, serialised as JSON (no IP address, no cookie: none is ever added) */
  json: string;
}

/** A raw event as read back, with its storage sequence number (monotonic per store). */
export interface StoredEvent extends RawEvent {
  seq: number;
  /** when the collector stored it, ms since the epoch */
  receivedAt: number;
}

/** The key strings of a raw event: `tenant#content` and `timestamp#id`. */
export function rawKey(e: Pick<RawEvent, 'orgKey' | 'contentKind' | 'contentId' | 'ts' | 'eventId'>): { pk: string; sk: string } {
  const content = e.contentKind === 'none' ? '' : `${e.contentKind}:${e.contentId}`;
  return { pk: `${e.orgKey}#${content}`, sk: `${new Date(e.ts).toISOString()}#${e.eventId}` };
}

/** Result of {@link Store.append}. */
export interface AppendResult {
  /** events newly stored (each got one outbox row) */
  inserted: number;
  /** events whose id was already stored: ignored, not counted */
  duplicates: number;
  /** events of an erased user (a tombstone): acknowledged and discarded, neither stored nor counted */
  erased?: number;
}

/**
 * Counter granularity: `hour` periods look like `2025-05-10T14`, `day` periods `2025-05-10`;
 * `minute` periods (`2025-05-10T14:05`) exist only for the per-environment event count.
 */
export type Granularity = 'minute' | 'hour' | 'day';

/**
 * One counter increment, keyed per org × env × content × metric × dimension × period.
 * `dim` is `''` for the content's total, or a step id / step key / field key / selector /
 * `field#errorType` for per-dimension breakdowns (see `rollups/metrics.ts` for the full list).
 */
export interface CounterDelta {
  orgKey: string;
  env: string;
  contentKind: ContentKind;
  contentId: string;
  metric: string;
  dim: string;
  granularity: Granularity;
  period: string;
  value: number;
}

/** A stored counter (same key, absolute value). */
export type Counter = CounterDelta;

/**
 * An activity-feed entry (`Activity.UserEvents`), readable by user
 * (`orgKey`+`clientId`), by content (`orgKey`+`contentKind`+`contentId`) and by session.
 */
export interface ActivityEntry {
  orgKey: string;
  env: string;
  clientId: string;
  sessionId: string;
  contentKind: ContentKind;
  contentId: string;
  ts: number;
  eventId: string;
  type: string;
  /** small JSON summary (step, field, selector...), never user input */
  detail: string;
}

/** A merged session or user record of the raw-URL pixel. */
export interface PixelRecord {
  orgKey: string;
  /** `sid` for sessions, `uid` for users */
  id: string;
  site: string;
  sid: string;
  uid: string;
  /** last eid seen */
  eid: string;
  /** last event time, ms */
  unixtimestamp: number;
  /** merged properties, later events win */
  props: Record<string, string>;
}

/** One pixel event's contribution to a session or user record (merged by `mergePixelRecord`). */
export interface PixelUpdate {
  kind: 'session' | 'user';
  record: PixelRecord;
}

/** What the processor produces from a claim of outbox rows. */
export interface Aggregation {
  counters: CounterDelta[];
  activity: ActivityEntry[];
  pixel: PixelUpdate[];
  /** read models: one partial state per journey session / tour attempt the claim touches */
  entities: EntityUpdate[];
  /** read models: event-level sums per UTC day and quarter hour, one delta per key, sorted */
  sums: SumDelta[];
  /** read models: event-level sketch counts (field engaged time) per UTC day and quarter hour, sorted */
  sketches: SketchDelta[];
}

/**
 * Pure function turning claimed events into counters, activity and pixel updates. A store whose
 * activity feed is read from its raw events (SQLite) passes `{ activity: false }`.
 */
export type Aggregator = (events: StoredEvent[], options?: { activity?: boolean; readModels?: boolean }) => Aggregation;

/** Cut-offs (ms since the epoch) for {@link Store.purgeExpired}: rows older are deleted. */
export interface PurgeCutoffs {
  sdkBefore: number;
  pixelBefore: number;
  activityBefore: number;
  /**
   * Minute counters (the live figure's) of minutes before this go; default: the older of
   * `sdkBefore` and `pixelBefore` (never kept longer than the raw events they count).
   */
  minuteCountersBefore?: number;
}

export interface PurgeResult {
  rawEvents: number;
  activity: number;
  pixelRecords: number;
  /** minute counter rows deleted */
  minuteCounters: number;
}

/** Filter for {@link Store.listEvents} (exports, rebuilds, tests). */
export interface EventQuery {
  orgKey?: string;
  /** inclusive, ms */
  fromTs?: number;
  /** exclusive, ms */
  toTs?: number;
  /** only events with `seq` greater than this (cursor) */
  afterSeq?: number;
  limit: number;
}

/** Filter for {@link Store.readCounters}. */
export interface CounterQuery {
  orgKey?: string;
  env?: string;
  contentKind?: ContentKind;
  contentId?: string;
  granularity?: Granularity;
  metric?: string;
  /** inclusive period bounds, compared as strings (`2025-05-01`, `2025-05-01T00`) */
  fromPeriod?: string;
  toPeriod?: string;
}

/** A journey's settings changed at run time (`PUT /api/journeys/:journey`), persisted in the store. */
export interface JourneySettings {
  orgKey: string;
  journeyKey: string;
  allowedOrigins: string[];
  updatedAt: number;
}

/**
 * The collector's storage. Every method may reject (e.g. database unavailable); the HTTP layer
 * answers 503 with `Retry-After` then. Implementations: `createSqliteStore` (`store/sqlite`).
 */
export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  /** Creates or upgrades the schema; idempotent. */
  migrate(): Promise<void>;
  /** Resolves when the database answers a trivial query (`/health`). */
  ping(): Promise<void>;

  /**
   * One transaction: raw events deduplicated by `(orgKey, eventId)` + every new event in the
   * outbox; events of an erased user (tombstoned by `analytics.deleteUser`) are discarded.
   */
  append(events: readonly RawEvent[]): Promise<AppendResult>;
  /**
   * Claims up to `limit` outbox rows (oldest first), aggregates them with `aggregate` and applies
   * the result, deleting the rows, in one transaction. Resolves to the number of rows processed
   * (SQLite: the number of raw seqs claimed from its outbox ranges, at most `limit`).
   */
  processOutbox(limit: number, aggregate: Aggregator): Promise<number>;
  /** Events in the outbox, not processed yet. */
  outboxBacklog(): Promise<number>;
  /** When the oldest event still in the outbox was stored (ms), or null when the outbox is empty: the processor's lag. */
  oldestPendingAt(): Promise<number | null>;
  /** Events the processor could not apply, and their retry (`dead-letters.ts`). */
  readonly deadLetters: DeadLetterStore;
  /**
   * Deletes every counter of a period starting at or after `fromTs` (a UTC day start) and recomputes
   * them from the raw events with `ts >= fromTs`. Counters of older periods are kept: rollups outlive
   * raw events. Resolves to the number of raw events read. The read models are rebuilt with them,
   * and from then on they count as filled ({@link Store.readModelsPending} false).
   */
  rebuildRollups(fromTs: number, aggregate: Aggregator): Promise<number>;
  /**
   * True while the read models still have to be filled from the retained raw events: a database
   * that had raw events before read models existed, or a PostgreSQL database `migrate-data` copied
   * raw events into. The collector then runs {@link Store.rebuildRollups} once as it starts.
   */
  readModelsPending(): Promise<boolean>;
  /** Deletes expired raw events, activity and pixel records, and old minute counters. Hour and day counters are never purged. */
  purgeExpired(cutoffs: PurgeCutoffs): Promise<PurgeResult>;

  /** Raw events in `seq` order (exports, rebuilds, tests). */
  listEvents(q: EventQuery): Promise<StoredEvent[]>;
  /** Number of raw events of an org (all orgs when omitted). */
  countEvents(orgKey?: string): Promise<number>;
  readCounters(q: CounterQuery): Promise<Counter[]>;
  /** A pixel session (`kind: 'session'`, id = sid) or user (id = uid) record. */
  getPixelRecord(kind: 'session' | 'user', orgKey: string, id: string): Promise<PixelRecord | undefined>;

  /** Journey settings changed at run time, overriding the configuration file. */
  listJourneySettings(): Promise<JourneySettings[]>;
  saveJourneySettings(s: JourneySettings): Promise<void>;

  /** The analytics read side, implemented per engine in `store/<engine>/analytics*.ts`. */
  readonly analytics: AnalyticsReader;

  close(): Promise<void>;
}
