/** Raw events for store-level tests, built the way the ingest routes build them. */
import type { RawEvent } from '../../src/store/types';

const TOUR_TYPES = ['TourStarted', 'StepViewed', 'StepCompleted', 'TourCompleted', 'TourDismissed', 'TourRestarted'] as const;

/** A tour event of `org`/`tourId`; `i` picks the type and step. */
export function tourEvent(i: number, o: { org?: string; tour?: string; ts?: number; id?: string; client?: string } = {}): RawEvent {
  const org = o.org ?? 'acme';
  const tourId = o.tour ?? `tour_${i % 3}`;
  const type = TOUR_TYPES[i % TOUR_TYPES.length]!;
  const ts = o.ts ?? Date.UTC(2026, 10, 20, i % 24, i % 60);
  const id = o.id ?? `ev_${i}`;
  const client = o.client ?? `c_${i % 7}`;
  const event: Record<string, unknown> = {
    _tag: type,
    schemaVersion: 1,
    id,
    ts: new Date(ts).toISOString(),
    orgKey: org,
    sessionId: `s_${i % 11}`,
    clientId: client,
    url: 'https://app.example.com/',
    embedVersion: '1.0.0',
    tourId,
  };
  if (type === 'StepViewed' || type === 'StepCompleted') Object.assign(event, { stepId: `step_${i % 4}`, stepIndex: i % 4 });
  return {
    orgKey: org,
    env: 'prod',
    contentKind: 'tour',
    contentId: tourId,
    ts,
    eventId: id,
    sessionId: event.sessionId as string,
    clientId: client,
    type,
    source: 'sdk',
    json: JSON.stringify(event),
  };
}

/** A pixel event of site `test.site` (session `sid`, user `uid`). */
export function pixelEvent(i: number, o: { sid: string; uid: string; ts: number; props: Record<string, string>; org?: string }): RawEvent {
  const org = o.org ?? 'acme';
  const eid = `eid_${i}`;
  const json = { si: 'test.site', unixtimestamp: o.ts, eid, sid: o.sid, uid: o.uid, props: o.props };
  return {
    orgKey: org,
    env: 'prod',
    contentKind: 'site',
    contentId: 'test.site',
    ts: o.ts,
    eventId: eid,
    sessionId: o.sid,
    clientId: o.uid,
    type: 'pixel',
    source: 'pixel',
    json: JSON.stringify(json),
  };
}
