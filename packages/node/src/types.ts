/** Public types of `@waymark/node`. */
import type { EventProps, KnownEventType, Plugin, Tracker, TrackerOptions, WaymarkEvent } from '@waymark/core';

/**
 * Who and where an event belongs to, per call. On a server one tracker serves many visitors, so
 * `sessionId` and `clientId` come with the call (or from {@link NodeTracker.withIdentity});
 * left out, the tracker's own ids are used (right for a batch job that is one "visitor").
 */
export interface TrackContext {
  sessionId?: string;
  clientId?: string;
  /** the page or resource the event is about; default empty */
  url?: string;
  referrer?: string;
}

/** Properties a custom event may carry. */
export type CustomProps = Record<string, string | number | boolean | null>;

/** `track()` of a tracker whose identity is fixed (see {@link NodeTracker.withIdentity}). */
export interface ScopedTracker {
  track<K extends KnownEventType>(type: K, props: EventProps<K>, context?: TrackContext): WaymarkEvent | null;
  track(type: string, props?: CustomProps, context?: TrackContext): WaymarkEvent | null;
  /** The identity every event of this scope carries. */
  readonly identity: Readonly<Required<Pick<TrackContext, 'sessionId' | 'clientId'>>> & TrackContext;
}

/** What {@link NodeTracker.shutdown} left behind. */
export interface ShutdownResult {
  /** events not delivered before the timeout: in the spool for the next process, or lost without one */
  pending: number;
}

/** Options of {@link createNodeTracker}. Every value but `org` and `endpoint` has a default. */
export interface NodeTrackerOptions
  extends Pick<
    TrackerOptions,
    'org' | 'journey' | 'endpoint' | 'env' | 'debug' | 'flushAt' | 'flushBytes' | 'flushInterval' | 'sessionTimeout' | 'beforeSend' | 'plugins'
  > {
  /** a directory for the on-disk spool: batches survive crashes and collector outages; default none (memory) */
  spoolDir?: string;
  /** most batches kept while the collector is failing (memory and spool); the oldest are dropped beyond it; default 1 000 */
  maxQueuedBatches?: number;
  /** oldest age (ms) of a batch waiting for delivery; default 7 days */
  maxQueueAge?: number;
  /** abort one HTTP request after this many ms; default 10 000 */
  requestTimeout?: number;
  /** gzip bodies of at least this many bytes when that saves bytes; default 1 024; 0 disables */
  gzipThreshold?: number;
  /** extra HTTP headers on every ingest request */
  headers?: Record<string, string>;
  /** flush (and wait up to `shutdownTimeout`) on SIGTERM, SIGINT and beforeExit; default false */
  handleSignals?: boolean;
  /** how long the signal handler waits for delivery (ms); default 5 000 */
  shutdownTimeout?: number;
  /** the fetch to use; default the global `fetch` */
  fetch?: typeof fetch;
}

/** The server-side tracker. No method throws into the host application. */
export interface NodeTracker extends ScopedTracker {
  /** A tracker whose events carry this identity; missing ids are generated once, here. */
  withIdentity(context?: TrackContext): ScopedTracker;
  /** Sends everything buffered and every queued batch that is due; resolves when that attempt is over. */
  flush(): Promise<void>;
  /**
   * Stops tracking, then keeps delivering (through backoff) until everything is delivered or
   * `timeout` ms (default 5 000) passed. What is left stays in the spool for the next process.
   */
  shutdown(options?: { timeout?: number }): Promise<ShutdownResult>;
  /** Events flushed by the core but not yet acknowledged by the collector. */
  readonly pendingEvents: number;
  /** The core tracker underneath (`on`, `use`, `optOut`, `options`). */
  readonly core: Tracker;
  use(plugin: Plugin): void;
}
