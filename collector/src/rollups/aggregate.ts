/**
 * The processor's pure step: claimed raw events → counter deltas (hourly and daily), activity
 * entries, pixel record updates and the read models' input (entity updates and event-level sums,
 * `readmodel-input.ts`). Engine-neutral; every store applies its output.
 */
import type { WaymarkEvent } from '@waymark/core/schema';
import type { ActivityEntry, Aggregation, CounterDelta, PixelUpdate, RawEvent, StoredEvent } from '../store/types';
import { envEventCounters } from './env-events';
import { DIM_ONLY_METRICS, incrementsOf } from './metrics';
import { pixelIncrements } from './pixel-metrics';
import { readModelInput } from './readmodel-input';

/** Events too frequent and too fine-grained for the activity feed (they stay in raw events). */
export const NO_ACTIVITY: ReadonlySet<string> = new Set(['field_focus', 'field_blur', 'field_change', 'web_vital']);
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

/** Counter deltas of one (org, env, content, hour) group: the hourly and the daily delta per metric × dim. */
interface Group {
  /** sort key prefix of the group's counters: org, env, kind, content id */
  prefix: string;
  hour: string;
  day: string;
  e: StoredEvent;
  /** `metric\u0000dim` → [hourly, daily] */
  sums: Map<string, [CounterDelta, CounterDelta]>;
}

/** Options of {@link aggregate}. */
export interface AggregateOptions {
  /**
   * build the activity entries (default true); false for a store that reads its activity feed
   * from the raw events themselves (SQLite), which then gets `activity: []`
   */
  activity?: boolean;
  /**
   * maintain the read models (default true). false only for the processor benchmark's baseline:
   * the processor as it was before read models, which counted every `session_end` itself
   */
  readModels?: boolean;
}

/** Whether a stored event has an entry in the activity feed (SDK events but the noisy ones). */
export function inActivityFeed(e: { source: string; type: string }): boolean {
  return e.source !== 'pixel' && !NO_ACTIVITY.has(e.type);
}

/** An activity entry's `detail`: the event's identifiers (step, field, selector...), never user input. */
export function activityDetail(event: WaymarkEvent): Record<string, unknown> {
  const detail: Record<string, unknown> = {};
  for (const f of DETAIL_FIELDS) {
    const v = (event as unknown as Record<string, unknown>)[f];
    if (v !== undefined) detail[f] = v;
  }
  return detail;
}

/** Aggregates events (in `seq` order) into one {@link Aggregation}, counters summed per key and sorted. */
export function aggregate(events: readonly StoredEvent[], options: AggregateOptions = {}): Aggregation {
  const withActivity = options.activity !== false;
  const withReadModels = options.readModels !== false;
  const groups = new Map<string, Group>();
  const activity: ActivityEntry[] = [];
  const pixel: PixelUpdate[] = [];
  const rm = readModelInput();
  // events of one batch usually share a timestamp and a content: compute their periods and group once
  let lastTs = NaN;
  let hour = '';
  let day = '';
  let g: Group | undefined;
  const add = (group: Group, metric: string, dim: string, value: number) => {
    const k = `${metric}\u0000${dim}`;
    const c = group.sums.get(k);
    if (c) {
      c[0].value += value;
      c[1].value += value;
      return;
    }
    const { e } = group;
    const base = { orgKey: e.orgKey, env: e.env, contentKind: e.contentKind, contentId: e.contentId, metric, dim };
    group.sums.set(k, [
      { ...base, granularity: 'hour', period: group.hour, value },
      { ...base, granularity: 'day', period: group.day, value },
    ]);
  };
  for (const e of events) {
    if (e.ts !== lastTs) {
      lastTs = e.ts;
      const iso = new Date(e.ts).toISOString();
      hour = iso.slice(0, 13);
      day = iso.slice(0, 10);
      g = undefined;
    }
    if (!g || g.e.orgKey !== e.orgKey || g.e.env !== e.env || g.e.contentKind !== e.contentKind || g.e.contentId !== e.contentId || g.hour !== hour) {
      const prefix = `${e.orgKey}\u0000${e.env}\u0000${e.contentKind}\u0000${e.contentId}\u0000`;
      const gk = `${prefix}${hour}`;
      g = groups.get(gk);
      if (!g) groups.set(gk, (g = { prefix, hour, day, e, sums: new Map() }));
    }
    if (e.source === 'pixel') {
      const p = JSON.parse(e.json) as PixelEventJson;
      // the event, and its properties per name and short value (dimension-only counters)
      for (const [metric, dim, value] of pixelIncrements(p.props)) add(g, metric, dim ?? '', value);
      pixel.push(...pixelUpdates(e, p));
      continue;
    }
    const event = JSON.parse(e.json) as WaymarkEvent;
    for (const [metric, dim, value] of incrementsOf(event)) {
      if (dim === undefined) add(g, metric, '', value);
      else {
        if (!DIM_ONLY_METRICS.has(metric)) add(g, metric, '', value);
        add(g, metric, dim, value);
      }
    }
    if (withActivity && !NO_ACTIVITY.has(e.type)) activity.push(activityOf(e, event));
    if (withReadModels) rm.add(e, event);
    else if (e.type === 'session_end') {
      add(g, 'session_ends', '', 1);
      if ((event as unknown as { completed?: unknown }).completed === true) add(g, 'completions', '', 1);
    }
  }
  // one counter per key, sorted by org, env, kind, content, granularity, period, metric, dim (the
  // order a PostgreSQL implementation needs to avoid deadlocks); the daily deltas of the hours of
  // one day are summed here
  const byKey = new Map<string, CounterDelta>();
  for (const group of groups.values()) {
    for (const [k, [h, d]] of group.sums) {
      byKey.set(`${group.prefix}hour\u0000${h.period}\u0000${k}`, h);
      const dk = `${group.prefix}day\u0000${d.period}\u0000${k}`;
      const prev = byKey.get(dk);
      if (prev) prev.value += d.value;
      else byKey.set(dk, d);
    }
  }
  // every event once more, per environment and minute / hour / day (the dashboard's counts and live figure)
  for (const [k, c] of envEventCounters(events)) {
    const prev = byKey.get(k);
    if (prev) prev.value += c.value;
    else byKey.set(k, c);
  }
  const keys = [...byKey.keys()].sort();
  return { counters: keys.map((k) => byKey.get(k)!), activity, pixel, ...rm.result() };
}

/** The activity entry of an SDK event. */
export function activityOf(e: RawEvent, event: WaymarkEvent): ActivityEntry {
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
    detail: JSON.stringify(activityDetail(event)),
  };
}

function pixelUpdates(e: StoredEvent, p: PixelEventJson): PixelUpdate[] {
  const base = { orgKey: e.orgKey, site: p.si, sid: p.sid, uid: p.uid, eid: p.eid, unixtimestamp: p.unixtimestamp, props: p.props };
  return [
    { kind: 'session', record: { ...base, id: p.sid } },
    { kind: 'user', record: { ...base, id: p.uid } },
  ];
}
