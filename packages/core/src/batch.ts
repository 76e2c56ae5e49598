import type { BatchContext } from './events';

/** A serialised batch and the number of events in it. */
export interface Body {
  body: string;
  count: number;
}

/** What the collector takes in one request: 500 events, 1 MiB (kept under it with room to spare). */
export const MAX_EVENTS = 500;
export const MAX_BYTES = 9e5;

/** UTF-8 length in bytes. */
export const utf8Length = (s: string) => new TextEncoder().encode(s).length;

/**
 * Serialises events into `POST /api/ingest` batches of at most `max` UTF-8 bytes (never more than
 * the collector takes) and {@link MAX_EVENTS} events each, in order, halving the list until each
 * part fits. The dropped counters ride on the first part. A single event larger than `max` still
 * goes out alone: the collector decides.
 */
export function toBodies(events: unknown[], max: number, context: BatchContext): Body[] {
  const body = JSON.stringify({ schemaVersion: 1, context, events });
  const h = events.length >> 1;
  return h && (events.length > MAX_EVENTS || utf8Length(body) > Math.min(max, MAX_BYTES))
    ? [...toBodies(events.slice(0, h), max, context), ...toBodies(events.slice(h), max, { ...context, dropped: undefined })]
    : [{ body, count: events.length }];
}

