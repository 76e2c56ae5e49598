/**
 * Per-call identity on top of the core tracker. The core builds every event with its own
 * session and client ids; on a server each call belongs to some visitor, so the ids (and url,
 * referrer) of the call are applied in the core's `beforeSend` hook, which runs synchronously
 * inside `track()`. Nothing can interleave between setting the call's context and that hook.
 *
 * The core would be simpler to wrap if `track()` took these overrides itself; until then this
 * is the one place that knows.
 */
import type { Tracker, WaymarkEvent } from '@waymark/core';
import { uuid } from '@waymark/core';
import type { CustomProps, ScopedTracker, TrackContext } from './types';

/** The schema's limit for `sessionId` and `clientId`. */
const ID_MAX = 64;
const validId = (v: unknown) => v === undefined || (typeof v === 'string' && v.length > 0 && v.length <= ID_MAX);

/** Why a context cannot be used, or undefined when it can. */
export function contextProblem(ctx: TrackContext | undefined): string | undefined {
  if (!ctx) return undefined;
  for (const k of ['sessionId', 'clientId'] as const) {
    if (!validId(ctx[k])) return `expected ${k} to be a string of 1 to ${ID_MAX} characters, got ${JSON.stringify(ctx[k]) ?? typeof ctx[k]}`;
  }
  for (const k of ['url', 'referrer'] as const) {
    if (ctx[k] !== undefined && typeof ctx[k] !== 'string') return `expected ${k} to be a string, got ${typeof ctx[k]}`;
  }
  return undefined;
}

export interface IdentityHook {
  /** The `beforeSend` to give the core: applies the current call's context, then the user's hook. */
  beforeSend(event: WaymarkEvent): WaymarkEvent | null;
  /** Runs a core `track()` with `ctx` applied to the event it builds. */
  trackWith(core: Tracker, ctx: TrackContext | undefined, type: string, props: object | undefined): WaymarkEvent | null;
  /** Called once the core tracker exists: from then on session events are the caller's. */
  ready(): void;
}

export function createIdentityHook(userBeforeSend: ((e: WaymarkEvent) => WaymarkEvent | null) | undefined, log: (m: string) => void): IdentityHook {
  let current: TrackContext | undefined;
  let building = true;
  return {
    beforeSend(event) {
      // The core opens a session for the process as it is created. A server cannot see a
      // visitor's inactivity, so sessions on servers are the caller's to start and end.
      if (building && event._tag === 'session_start') return null;
      const c = current;
      if (c) {
        if (c.sessionId) event.sessionId = c.sessionId;
        if (c.clientId) event.clientId = c.clientId;
        if (c.url !== undefined) event.url = c.url;
        if (c.referrer !== undefined) event.referrer = c.referrer;
      }
      return userBeforeSend ? userBeforeSend(event) : event;
    },
    trackWith(core, ctx, type, props) {
      const problem = contextProblem(ctx);
      if (problem) {
        log(`ignored ${type}: ${problem}`);
        return null;
      }
      current = ctx;
      try {
        return (core.track as (t: string, p?: object) => WaymarkEvent | null)(type, props);
      } finally {
        current = undefined;
      }
    },
    ready() {
      building = false;
    },
  };
}

/**
 * A scoped tracker: every event carries `identity`; per-call context still wins. Missing ids are
 * generated here, once, so all events of the scope share them.
 */
export function createScope(
  track: (ctx: TrackContext | undefined, type: string, props: object | undefined) => WaymarkEvent | null,
  ctx: TrackContext = {},
): ScopedTracker {
  const problem = contextProblem(ctx);
  if (problem) throw new TypeError(`[JourneyEmbed] ${problem}`);
  const identity = { ...ctx, sessionId: ctx.sessionId ?? uuid(), clientId: ctx.clientId ?? uuid() };
  return {
    identity,
    track: ((type: string, props?: CustomProps, more?: TrackContext) =>
      track(more ? { ...identity, ...more } : identity, type, props)) as ScopedTracker['track'],
  };
}
