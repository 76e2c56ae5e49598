/**
 * The contracts between the core tracker and the platforms (browser, Node) that host it.
 * The core never touches a DOM or Node global itself: a platform hands it these pieces.
 */
import type { BatchContext, Environment, EventProps, KnownEventType, WaymarkEvent } from './events';

/** Outcome of one send. Send paths never throw: every failure becomes one of these. */
export type SendResult =
  | { status: 'delivered' }
  /** network error, 429, 5xx: keep the batch and try again, not before `retryAfterMs` when given */
  | { status: 'retryable'; reason: string; retryAfterMs?: number }
  /** any other 4xx: the collector will never accept it; drop it (logged in debug) */
  | { status: 'rejected'; reason: string; code?: number };

/** How a batch is handed to the network. */
export interface SendOptions {
  /** the page is being hidden or closed: use a transport that survives it (sendBeacon) */
  beacon?: boolean;
}

/**
 * Sends one serialised batch (`body` is the JSON of a {@link Batch}).
 * Implementations: fetch with keepalive and sendBeacon (browser), node http (Node).
 */
export interface Transport {
  send(body: string, options?: SendOptions): Promise<SendResult>;
}

/** Small synchronous key-value storage for ids, session and consent (localStorage in browsers). */
export interface KeyValueStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  /** not called by the SDKs (they only overwrite); optional for that reason */
  remove?(key: string): void;
}

/** A batch in the durable queue: stored before it is sent, removed once acknowledged. */
export interface QueuedBatch {
  /** unique, sorts by creation time (a UUID v7) */
  key: string;
  /** serialised batch */
  body: string;
  /** number of events in it (for the dropped counter when it expires) */
  count: number;
  createdAt: number;
  attempts: number;
  /** earliest time (ms since epoch) it may be sent again */
  notBefore: number;
}

/**
 * Durable store of the delivery queue (IndexedDB through idb-keyval in browsers, the spool in
 * Node, memory otherwise). A put resolves once the batch is durable. Methods may reject; the
 * queue then falls back to memory.
 */
export interface QueueStore {
  put(batch: QueuedBatch): Promise<void>;
  /** every queued batch, oldest first */
  list(): Promise<QueuedBatch[]>;
  remove(key: string): Promise<void>;
}

/** Timer functions; Node's are unref'd so they never keep a process alive. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Lifecycle signals a platform forwards to the tracker. */
export type LifecycleEvent = 'hide' | 'show' | 'online';

/** Everything a platform supplies. Only `transport` is required. */
export interface Platform {
  transport: Transport;
  /** beacon transport for page hide; falls back to `transport` */
  beaconTransport?: Transport;
  storage?: KeyValueStorage;
  queueStore?: QueueStore;
  timers?: Timers;
  now?: () => number;
  /** Runs `fn` while holding an exclusive lock shared by every tab (Web Locks); resolves to undefined when the lock is held elsewhere */
  withLock?: <T>(name: string, fn: () => Promise<T>) => Promise<T | undefined>;
  /** Subscribes to lifecycle signals; returns an unsubscribe function */
  onLifecycle?: (listener: (event: LifecycleEvent) => void) => () => void;
  /** Current page URL and referrer (empty on servers) */
  location?: () => { url: string; referrer?: string };
  /** Batch context the platform knows: language, deviceClass */
  context?: () => Partial<BatchContext>;
  /** Privacy signals: Do Not Track and Global Privacy Control */
  privacySignals?: () => { doNotTrack?: boolean; globalPrivacyControl?: boolean };
  /** Console used in debug mode */
  console?: Pick<Console, 'log' | 'warn'>;
}

/**
 * Why events were dropped, reported by `on('drop')`: `rejected` (the collector refused them for
 * good), `queue_overflow` (an outage's backlog passed `maxQueuedBatches`: the oldest go),
 * `too_old` (waited longer than `maxQueueAge`), `before_send` (the hook returned null),
 * `opted_out`. The first three are lost on the way and counted, per reason, in the next batch's
 * `context.dropped`.
 */
export type DropReason = 'queue_overflow' | 'too_old' | 'rejected' | 'before_send' | 'opted_out';

/** Options of {@link createTracker}. Every value has a default except `org`, `endpoint` and `platform`. */
export interface TrackerOptions {
  /** organisation key (`data-org`) */
  org: string;
  /** journey key (`data-journey`) */
  journey?: string;
  /** ingest URL (`data-endpoint`) */
  endpoint: string;
  /** environment; default `prod` */
  env?: Environment;
  /** log with the `[JourneyEmbed]` prefix; default false */
  debug?: boolean;
  platform: Platform;
  /** flush when this many events are buffered; default 20 (at most 500: a batch the collector takes) */
  flushAt?: number;
  /** flush before the serialised buffer exceeds this many bytes; default 60 000 (below sendBeacon's 64 KiB) */
  flushBytes?: number;
  /** flush this many ms after the first buffered event; default 5 000 */
  flushInterval?: number;
  /** a session ends after this much inactivity (ms); default 30 minutes */
  sessionTimeout?: number;
  /**
   * most batches kept while the collector is failing (an outage's backlog; the oldest are dropped
   * beyond it, as `queue_overflow`); a healthy send path is never capped; default 100
   */
  maxQueuedBatches?: number;
  /** oldest age (ms) of a batch kept for retry; default 7 days */
  maxQueueAge?: number;
  /** redact or drop events: return null to drop */
  beforeSend?: (event: WaymarkEvent) => WaymarkEvent | null;
  /** honour Do Not Track; default false */
  respectDoNotTrack?: boolean;
  /** honour Global Privacy Control; default true */
  respectGlobalPrivacyControl?: boolean;
  /** reported as `embedVersion` on every event */
  version?: string;
  plugins?: Plugin[];
}

/** Arguments of `track()`: known types get their typed fields, custom types free props. */
export type TrackArgs =
  | { [K in KnownEventType]: [type: K, props: EventProps<K>] }[KnownEventType]
  | [type: string, props?: Record<string, string | number | boolean | null>];

/** The tracker every SDK shares. No method throws into the host application. */
export interface Tracker {
  /**
   * Builds the event and appends it to the buffer. Returns the event, or null if dropped.
   * Tracking `session_end` ends the session: the next event starts a new one (with `session_start`),
   * and the ended session gets no second `session_end` when its inactivity timeout passes.
   */
  track(...args: TrackArgs): WaymarkEvent | null;
  /**
   * Takes the buffer, writes it to the durable store, then sends it and every due batch;
   * resolves when that attempt is over.
   */
  flush(options?: SendOptions): Promise<void>;
  /** Events stored in the durable queue and not acknowledged yet. */
  readonly pending: number;
  /**
   * Stops tracking and sending, persisted across reloads. Forgets everything kept for later: the
   * buffer, the batches stored for retry (they are never sent) and the session.
   */
  optOut(): void;
  /** Tracks again from now on, persisted across reloads; after an opt-out in a new session. */
  optIn(): void;
  readonly optedOut: boolean;
  readonly sessionId: string;
  /** When the current session started (ms since epoch); it survives reloads like the session id. */
  readonly sessionStart: number;
  readonly clientId: string;
  /** The options the tracker was created with, with defaults applied. */
  readonly options: Readonly<Required<Pick<TrackerOptions, 'org' | 'endpoint' | 'env' | 'debug'>>> & TrackerOptions;
  /** Adds a plugin after creation. */
  use(plugin: Plugin): void;
  /** Listens to tracker events; returns an unsubscribe function. */
  on<E extends keyof TrackerEvents>(event: E, listener: (payload: TrackerEvents[E]) => void): () => void;
  /** Flushes, detaches plugins and lifecycle listeners, stops timers. */
  shutdown(): Promise<void>;
}

/** Events a tracker emits to plugins and hosts. */
export interface TrackerEvents {
  /** an event was buffered */
  event: WaymarkEvent;
  /** a new session began (after `session_start` was tracked) */
  session: { sessionId: string; previous?: string };
  /** a request was made (batches sent together count as one), with its real outcome */
  send: { count: number; result: SendResult; beacon: boolean };
  /** events were dropped */
  drop: { count: number; reason: DropReason };
  /** the platform reported a lifecycle change */
  lifecycle: LifecycleEvent;
}

/**
 * A plugin: browser auto-tracking, tours, web-vitals and the React bindings are all plugins.
 * `setup` runs once with the tracker; its return value, if a function, runs at shutdown.
 */
export interface Plugin {
  name: string;
  setup(tracker: Tracker): void | (() => void);
}
