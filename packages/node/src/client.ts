/**
 * `createNodeTracker`: the core tracker on a Node platform. This package supplies only the HTTP
 * transport and the spool; the core's durable queue writes every flushed batch to the spool
 * before the first request, sends, classifies, retries and reports drops, as in browsers.
 */
import { createMemoryQueueStore, createMemoryStorage, createTracker, type Platform, type Timers } from '@waymark/core';
import { createHttpTransport } from './http-transport';
import { createIdentityHook, createScope } from './identity';
import { resolveNodeOptions } from './options';
import { installSignalHandlers } from './signals';
import { createSpool } from './spool';
import type { NodeTracker, NodeTrackerOptions, ShutdownResult, TrackContext } from './types';
import { VERSION } from './version';

/** Sessions on servers never end by inactivity: the caller tracks `session_start`/`session_end`. */
const NEVER = Number.MAX_SAFE_INTEGER;

/** Node timers, unref'd: the tracker never keeps a process alive (shutdown() awaits its own). */
const timers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

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
  const platform: Platform = {
    transport: http,
    storage: createMemoryStorage(),
    queueStore: o.spoolDir
      ? createSpool({ dir: o.spoolDir, onCorrupt: (f, e) => log(`spool file ${f} unreadable, moved aside: ${(e as Error)?.message}`) })
      : createMemoryQueueStore(),
    timers,
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
    maxQueuedBatches: o.maxQueuedBatches,
    maxQueueAge: o.maxQueueAge,
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
        // through backoff and Retry-After, until everything is acknowledged or the time is up
        while (core.pending && Date.now() < deadline) {
          await sleep(Math.min(100, deadline - Date.now()));
          await within(core.flush(), deadline - Date.now(), undefined);
        }
      } catch (err) {
        log(`shutdown: ${(err as Error)?.message}`);
      }
      // Past the deadline: stop waiting for a slow collector (the batch stays in the spool).
      http.abort();
      uninstall();
      const pending = core.pending;
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
      } catch (err) {
        log(`flush: ${(err as Error)?.message}`);
      }
    },
    shutdown,
    get pendingEvents() {
      return core.pending;
    },
    core,
    use: (plugin) => core.use(plugin),
  } as NodeTracker;
}

/** Alias of {@link createNodeTracker}, named like the browser SDK's entry point. */
export const init = createNodeTracker;
