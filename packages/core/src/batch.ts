import type { BatchContext, WaymarkEvent } from './events';

/** A serialised batch and the number of events in it. */
export interface Body {
  body: string;
  count: number;
}

/** UTF-8 length in bytes. */
export const utf8Length = (s: string) => new Blob([s]).size;

/**
 * Serialises events into `POST /api/ingest` batches of at most `max` UTF-8 bytes each, in
 * order, halving the list until each part fits (the byte estimate at `track()` usually keeps
 * the buffer under `max`, so this rarely splits). The dropped counter rides on the first part.
 * A single event larger than `max` still goes out alone: the transport decides.
 */
export function toBodies(events: WaymarkEvent[], max: number, context: BatchContext): Body[] {
  const body = JSON.stringify({ schemaVersion: 1, context, events });
  const h = events.length >> 1;
  return h && utf8Length(body) > max
    ? [...toBodies(events.slice(0, h), max, context), ...toBodies(events.slice(h), max, { ...context, dropped: undefined })]
    : [{ body, count: events.length }];
}
