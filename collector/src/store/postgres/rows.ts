/** Row ↔ object mapping of `raw_events` / `outbox` rows (same columns as SQLite's). */
import type { ContentKind, EventSource, PixelRecord, RawEvent, StoredEvent } from '../types';

export interface PgRawRow {
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

export function rowToEvent(r: PgRawRow): StoredEvent {
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

/** Column arrays for `unnest(...)`: one round trip per batch whatever its size. */
export function eventColumns(events: readonly RawEvent[]) {
  return [
    events.map((e) => e.orgKey),
    events.map((e) => e.env),
    events.map((e) => e.contentKind),
    events.map((e) => e.contentId),
    events.map((e) => e.ts),
    events.map((e) => e.eventId),
    events.map((e) => e.sessionId),
    events.map((e) => e.clientId),
    events.map((e) => e.type),
    events.map((e) => e.source),
    events.map((e) => e.json),
  ];
}

export interface PgPixelRow {
  org: string;
  kind: string;
  id: string;
  site: string;
  sid: string;
  uid: string;
  eid: string;
  unixtimestamp: number;
  props: string;
}

export function pixelFromRow(r: PgPixelRow): PixelRecord {
  return { orgKey: r.org, id: r.id, site: r.site, sid: r.sid, uid: r.uid, eid: r.eid, unixtimestamp: r.unixtimestamp, props: JSON.parse(r.props) };
}
