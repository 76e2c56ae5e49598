/** Row ↔ object mapping of `raw_events` / `outbox` rows (same columns as SQLite's). */
import type { PixelRecord, RawEvent } from '../types';

import type { RawRow } from '../raw-row';
export { rowToEvent } from '../raw-row';
/** The same columns as SQLite's; the pool's `numericTypes` parser returns bigint columns as numbers. */
export type PgRawRow = RawRow;

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
