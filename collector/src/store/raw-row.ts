/** The `raw_events` row shape, which both engines share column for column, and its mapping. */
import type { ContentKind, EventSource, StoredEvent } from './types';

/** A `raw_events` row as the SQLite and PostgreSQL drivers return it. */
export interface RawRow {
  seq: number;
  org: string;
  env: string;
  kind: string;
  content_id: string;
  ts: number;
  event_id: string;
  session_id: string;
  client_id: string;
  type: string;
  source: string;
  received_at: number;
  json: string;
}

export function rowToEvent(r: RawRow): StoredEvent {
  return {
    seq: r.seq,
    orgKey: r.org,
    env: r.env,
    contentKind: r.kind as ContentKind,
    contentId: r.content_id,
    ts: r.ts,
    eventId: r.event_id,
    sessionId: r.session_id,
    clientId: r.client_id,
    type: r.type,
    source: r.source as EventSource,
    receivedAt: r.received_at,
    json: r.json,
  };
}
