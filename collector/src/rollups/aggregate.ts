/**
 * The processor's pure step: claimed raw events → counter deltas (hourly and daily), activity
 * entries and pixel record updates. Engine-neutral; every store applies its output.
 */
import type { WaymarkEvent } from '@waymark/core/schema';
import type { ActivityEntry, Aggregation, CounterDelta, PixelUpdate, StoredEvent } from '../store/types';
import { DIM_ONLY_METRICS, incrementsOf, type Increment } from './metrics';

/** Events too frequent and too fine-grained for the activity feed (they stay in raw events). */
const NO_ACTIVITY = new Set(['field_focus', 'field_blur', 'field_change', 'web_vital']);
/** Event fields copied into an activity entry's `detail` (identifiers only, never user input). */
const DETAIL_FIELDS = ['tourId', 'stepId', 'stepIndex', 'contentId', 'cta', 'stepKey', 'fieldKey', 'errorType', 'formKey', 'selector', 'reason', 'completed', 'durationMs'];

/** The stored JSON of a pixel event. */
export interface PixelEventJson {
  si: string;
  unixtimestamp: number;
  eid: string;
  sid: string;
  uid: string;
  props: Record<string, string>;
}

/** Aggregates events (in `seq` order) into one {@link Aggregation}, counters summed per key and sorted. */
export function aggregate(events: readonly StoredEvent[]): Aggregation {
  const sums = new Map<string, CounterDelta>();
  const activity: ActivityEntry[] = [];
  const pixel: PixelUpdate[] = [];
  // events of one batch usually share a timestamp: compute its periods once
  let lastTs = NaN;
  let hour = '';
  let day = '';
  const add = (e: StoredEvent, prefix: string, [metric, dim, value]: Increment) => {
    const dims = dim === undefined ? [''] : DIM_ONLY_METRICS.has(metric) ? [dim] : ['', dim];
    for (const d of dims) {
      for (let g = 0; g < 2; g++) {
        const granularity = g === 0 ? 'hour' : 'day';
        const period = g === 0 ? hour : day;
        const key = `${prefix}${granularity}\u0000${period}\u0000${metric}\u0000${d}`;
        const c = sums.get(key);
        if (c) c.value += value;
        else sums.set(key, { orgKey: e.orgKey, env: e.env, contentKind: e.contentKind, contentId: e.contentId, metric, dim: d, granularity, period, value });
      }
    }
  };
  for (const e of events) {
    if (e.ts !== lastTs) {
      lastTs = e.ts;
      const iso = new Date(e.ts).toISOString();
      hour = iso.slice(0, 13);
      day = iso.slice(0, 10);
    }
    const prefix = `${e.orgKey}\u0000${e.env}\u0000${e.contentKind}\u0000${e.contentId}\u0000`;
    if (e.source === 'pixel') {
      add(e, prefix, ['events', undefined, 1]);
      pixel.push(...pixelUpdates(e));
      continue;
    }
    const event = JSON.parse(e.json) as WaymarkEvent;
    for (const inc of incrementsOf(event)) add(e, prefix, inc);
    if (!NO_ACTIVITY.has(e.type)) activity.push(activityOf(e, event));
  }
  const keys = [...sums.keys()].sort();
  return { counters: keys.map((k) => sums.get(k)!), activity, pixel };
}

function activityOf(e: StoredEvent, event: WaymarkEvent): ActivityEntry {
  const detail: Record<string, unknown> = {};
  for (const f of DETAIL_FIELDS) {
    const v = (event as unknown as Record<string, unknown>)[f];
    if (v !== undefined) detail[f] = v;
  }
  return {
    orgKey: e.orgKey,
    env: e.env,
    clientId: e.clientId,
    sessionId: e.sessionId,
    contentKind: e.contentKind,
    contentId: e.contentId,
    ts: e.ts,
    eventId: e.eventId,
    type: e.type,
    detail: JSON.stringify(detail),
  };
}

function pixelUpdates(e: StoredEvent): PixelUpdate[] {
  const p = JSON.parse(e.json) as PixelEventJson;
  const base = { orgKey: e.orgKey, site: p.si, sid: p.sid, uid: p.uid, eid: p.eid, unixtimestamp: p.unixtimestamp, props: p.props };
  return [
    { kind: 'session', record: { ...base, id: p.sid } },
    { kind: 'user', record: { ...base, id: p.uid } },
  ];
}
