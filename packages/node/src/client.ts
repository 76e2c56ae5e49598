/**
 * `createNodeTracker`: the core tracker on a Node platform. The core buffers and serialises;
 * every batch it flushes is handed to the delivery queue (written to the spool first when one
 * is configured) and sent from there with retries, so a crash or an outage loses nothing.
 */
import { createMemoryStorage, createTracker, type Platform, type Transport } from '@waymark/core';
import { createHttpTransport } from './http-transport';
import { createIdentityHook, createScope } from './identity';
import { resolveNodeOptions } from './options';
import { createOutbox, type OutboxTimers } from './outbox';
import { installSignalHandlers } from './signals';
import { createSpool } from './spool';
import type { NodeTracker, NodeTrackerOptions, ShutdownResult, TrackContext } from './types';
import { VERSION } from './version';

/** Sessions on servers never end by inactivity: the caller tracks `session_start`/`session_end`. */
const NEVER = Number.MAX_SAFE_INTEGER;

/** Node timers: background ones are unref'd so that the tracker never keeps a process alive. */
const outboxTimers: OutboxTimers = {
  setTimeout(fn, ms, keepAlive) {
    const t = setTimeout(fn, ms);
    if (!keepAlive) t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Events in a serialised batch, without parsing it again: the core writes each event as an
 * object that starts with its `_tag` key, right after the array's `[` or a `,`. (A custom
 * property named `_tag` sits after a `:`, inside `props`, and is not counted.)
 */
export function countEvents(body: string): number {
  let n = 0;
  for (let i = body.indexOf('{"_tag":'); i > 0; i = body.indexOf('{"_tag":', i + 8)) {
    const before = body.charCodeAt(i - 1);
    if (before === 91 /* [ */ || before === 44 /* , */) n++;
  }
  return n;
}

/** Resolves to `fallback` if `p` has not settled after `ms` (on a timer that keeps the process up: the caller awaits it). */
function within<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => (t = setTimeout(() => resolve(fallback), Math.max(0, ms))));
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}

/**
 * Creates a server-side tracker.
 *
 * ```ts
 * const tracker = createNodeTracker({ org: 'acme', journey: 'signup', endpoint: 'https://collector.example.com/api/ingest', spoolDir: '/var/lib/myapp/waymark' });
 * tracker.track('step_view', { stepKey: 'verify-email' }, { sessionId, clientId });
 * await tracker.shutdown({ timeout: 5000 });
 * ```
 * Throws a TypeError ("expected …, got …") on misconfiguration; no method throws afterwards.
 */
export function createNodeTracker(options: NodeTrackerOptions): NodeTracker {
  const o = resolveNodeOptions(options);
  const log = (m: string) => {
    if (o.debug) console.log(`[JourneyEmbed] ${m}`);
  };
  const http = createHttpTransport({
    endpoint: o.endpoint,
    timeout: o.requestTimeout,
    gzipThreshold: o.gzipThreshold,
    headers: o.headers,
    fetch: o.fetch,
  });
  const hook = createIdentityHook(o.beforeSend, log);
  const outbox = createOutbox({
    send: (body) => http.send(body),
    store: o.spoolDir ? createSpool({ dir: o.spoolDir, onCorrupt: (f, e) => log(`spool file ${f} unreadable, moved aside: ${(e as Error)?.message}`) }) : undefined,
    maxBatches: o.maxQueuedBatches,
    maxAge: o.maxQueueAge,
    backoff: o.retry,
    timers: outboxTimers,
    now: Date.now,
    log,
  });
  // The core's own retry queue never sees a failure: a batch counts as sent once it is in ours.
  const transport: Transport = {
    async send(body) {
      await outbox.enqueue(body, countEvents(body));
      return { status: 'delivered' };
    },
  };
  const platform: Platform = {
    transport,
    storage: createMemoryStorage(),
    timers: { setTimeout: (fn, ms) => outboxTimers.setTimeout(fn, ms, false), clearTimeout: outboxTimers.clearTimeout },
    now: Date.now,
    location: () => ({ url: '' }),
  };
  const core = createTracker({
    org: o.org,
    journey: o.journey,
    endpoint: o.endpoint,
    env: o.env,
    debug: o.debug,
    flushAt: o.flushAt,
    flushBytes: o.flushBytes,
    flushInterval: o.flushInterval,
    sessionTimeout: NEVER,
    beforeSend: hook.beforeSend,
    version: VERSION,
    plugins: o.plugins,
    platform,
  });
  hook.ready();

  let closed = false;
  let stopping: Promise<ShutdownResult> | undefined;
  const track = (ctx: TrackContext | undefined, type: string, props: object | undefined) =>
    closed ? null : hook.trackWith(core, ctx, type, props);

  async function shutdown({ timeout = o.shutdownTimeout }: { timeout?: number } = {}): Promise<ShutdownResult> {
    if (stopping) return stopping;
    closed = true;
    stopping = (async () => {
      const deadline = Date.now() + timeout;
      try {
        await within(core.shutdown(), timeout, undefined);
        await within(outbox.drain(deadline - Date.now()), deadline - Date.now(), 0);
      } catch (err) {
        log(`shutdown: ${(err as Error)?.message}`);
      }
      // Past the deadline: stop waiting for a slow collector (the batch stays in the spool).
      outbox.close();
      http.abort();
      uninstall();
      const pending = outbox.pendingEvents;
      if (pending) log(`${pending} events not delivered${o.spoolDir ? ', kept in the spool' : ''}`);
      return { pending };
    })();
    return stopping;
  }

  const uninstall = o.handleSignals ? installSignalHandlers(() => shutdown()) : () => {};

  return {
    track: (type: string, props?: object, ctx?: TrackContext) => track(ctx, type, props),
    get identity() {
      return { sessionId: core.sessionId, clientId: core.clientId };
    },
    withIdentity: (ctx?: TrackContext) => createScope(track, ctx),
    async flush() {
      try {
        await core.flush();
        await outbox.flush();
      } catch (err) {
        log(`flush: ${(err as Error)?.message}`);
      }
    },
    shutdown,
    get pendingEvents() {
      return outbox.pendingEvents;
    },
    core,
    use: (plugin) => core.use(plugin),
  } as NodeTracker;
}

/** Alias of {@link createNodeTracker}, named like the browser SDK's entry point. */
export const init = createNodeTracker;
