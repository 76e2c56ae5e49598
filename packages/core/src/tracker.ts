import type { BatchContext, WaymarkEvent } from './events';
import type { Body } from './batch';
import type { DropReason, Plugin, SendOptions, SendResult, Tracker, TrackerOptions } from './types';
import { toBodies } from './batch';
import { createEmitter } from './emitter';
import { uuid } from './ids';
import { CUSTOM_NAME, KNOWN_TYPES } from './known';
import { resolveOptions } from './options';
import { createRetryQueue } from './queue';
import { createSession } from './session';
import { safeStorage } from './store/memory';

const KNOWN = new Set(KNOWN_TYPES.split(' '));
const CONSENT = 'wm_consent';
const DROPPED = 'wm_drop';
type Props = Record<string, unknown>;

/**
 * Creates a tracker. `track()` only builds an event and appends it to the buffer; batches are
 * serialised and sent at flush (count, bytes, timer, page hide or `flush()`), one request at a
 * time, and kept in the platform's queue store for retry when the collector cannot take them.
 * Throws only on misconfiguration; afterwards no method throws into the host.
 */
export function createTracker(options: TrackerOptions): Tracker {
  const o = resolveOptions(options);
  const p = o.platform;
  const now = p.now || Date.now;
  const timers = p.timers || { setTimeout: (f: () => void, ms: number) => setTimeout(f, ms), clearTimeout: (h: unknown) => clearTimeout(h as number) };
  const con = p.console || console;
  const log = (m: string) => {
    if (o.debug) con.log('[JourneyEmbed] ' + m);
  };
  const st = safeStorage(p.storage);
  const ses = createSession(st, o.sessionTimeout);
  const { on, emit } = createEmitter();
  const beaconT = p.beaconTransport || p.transport;
  let buf: WaymarkEvent[] = [];
  let bytes = 0;
  let timer: unknown;
  let chain = Promise.resolve();
  let dropped = +(st.get(DROPPED) || 0) || 0;
  const teardown: Array<() => void> = [];

  const safe = <A extends unknown[], R>(f: (...a: A) => R, dflt: R) => (...a: A): R => {
    try {
      return f(...a);
    } catch (e) {
      if (o.debug) con.warn('[JourneyEmbed]', e);
      return dflt;
    }
  };

  // consent: an explicit choice wins over the browser's privacy signals
  let sig = false;
  try {
    const s = p.privacySignals ? p.privacySignals() : {};
    sig = !!((o.respectDoNotTrack && s.doNotTrack) || (o.respectGlobalPrivacyControl && s.globalPrivacyControl));
  } catch {}
  const choice = st.get(CONSENT);
  let off = choice == 'out' || (choice != 'in' && sig);

  const drop = (count: number, reason: DropReason) => {
    if (reason == 'queue_overflow' || reason == 'expired') st.set(DROPPED, '' + (dropped += count));
    log(`dropped ${count} (${reason})`);
    emit('drop', { count, reason });
  };

  const ctx = (first: boolean): BatchContext => {
    const c: BatchContext = { ...(p.context ? p.context() : {}), orgKey: o.org, journeyKey: o.journey, env: o.env };
    if (first && dropped) {
      c.dropped = dropped;
      st.set(DROPPED, '' + (dropped = 0));
    }
    return c;
  };

  async function send(b: Body, beacon = false): Promise<SendResult> {
    log(`Flushing ${b.count} events to API`);
    let r: SendResult;
    try {
      r = await (beacon ? beaconT : p.transport).send(b.body, beacon ? { beacon } : undefined);
    } catch {
      r = { status: 'retryable', reason: 'transport_error' };
    }
    emit('send', { count: b.count, result: r, beacon });
    if (r.status == 'rejected') drop(b.count, 'rejected');
    return r;
  }

  const queue = createRetryQueue({
    store: p.queueStore,
    withLock: p.withLock,
    now,
    timers,
    max: o.maxQueuedBatches,
    maxAge: o.maxQueueAge,
    send,
    later: () => void serial(() => queue.drain()),
    drop,
  });

  /** Runs `f` after everything before it: at most one request in flight, order kept. */
  const serial = (f: () => Promise<unknown>) => (chain = chain.then(f).then(noop, noop));
  const noop = () => {};

  const take = () => {
    if (timer != null) timers.clearTimeout(timer);
    timer = undefined;
    const e = buf;
    buf = [];
    bytes = 0;
    ses.save();
    return e.length ? toBodies(e, o.flushBytes, ctx) : [];
  };

  async function sendBuffer() {
    const bodies = take();
    for (let i = 0; i < bodies.length; i++) {
      // behind queued batches or a Retry-After, new batches wait in line
      if (queue.size || queue.blocked) {
        for (; i < bodies.length; i++) await queue.add(bodies[i]!, null);
        return queue.drain();
      }
      const r = await send(bodies[i]!);
      if (r.status == 'retryable') await queue.add(bodies[i]!, r);
    }
  }

  /** Page hide: hand the buffer to sendBeacon now; what it refuses stays in the queue. */
  function hide() {
    return Promise.all(
      take().map((b) => send(b, true).then((r) => (r.status == 'retryable' ? queue.add(b, null) : undefined))),
    ).then(noop, noop);
  }

  const flush = (so?: SendOptions) => (so && so.beacon ? hide() : serial(sendBuffer));

  function build(type: string, props: Props | undefined, t: number, sid = ses.id): WaymarkEvent {
    const l = p.location ? p.location() : { url: '' };
    const e = {
      _tag: type,
      schemaVersion: 1,
      id: uuid(),
      ts: new Date(t).toISOString(),
      orgKey: o.org,
      journeyKey: o.journey,
      sessionId: sid,
      clientId: ses.clientId,
      url: l.url,
      referrer: l.referrer,
      embedVersion: o.version,
    } as Props;
    if (props) {
      if (KNOWN.has(type)) Object.assign(e, props);
      else {
        const c: Props = (e.props = {});
        for (const k in props) {
          const v = props[k];
          if (v === null || typeof v == 'string' || typeof v == 'number' || typeof v == 'boolean') c[k] = v;
        }
      }
    }
    return e as unknown as WaymarkEvent;
  }

  function add(ev: WaymarkEvent, size: number): WaymarkEvent | null {
    let e: WaymarkEvent | null = ev;
    if (o.beforeSend) {
      try {
        e = o.beforeSend(ev);
      } catch {
        e = null;
      }
      if (!e) return drop(1, 'before_send'), null;
    }
    size += 200 + e.url.length;
    if (buf.length && bytes + size > o.flushBytes) flush();
    buf.push(e);
    bytes += size;
    if (o.debug) {
      const x = e as Props;
      log(e._tag + ': ' + (x.stepKey || x.fieldKey || x.tourId || x.contentId || e.sessionId));
    }
    emit('event', e);
    if (buf.length >= o.flushAt) flush();
    else if (timer == null) timer = timers.setTimeout(() => void flush(), o.flushInterval);
    return e;
  }

  /** Starts a session when none runs (first use, or after inactivity); the ended one gets its `session_end`. */
  function touch(t: number) {
    const r = ses.touch(t);
    if (!r) return;
    const old = r.ended;
    if (old) add(build('session_end', { completed: false, durationMs: Math.max(0, old.last - old.start) }, t, old.id), 0);
    add(build('session_start', undefined, t), 0);
    emit('session', { sessionId: ses.id, previous: old && old.id });
  }

  const track = safe((type: string, props?: Props): WaymarkEvent | null => {
    if (off) return null;
    if (!KNOWN.has(type) && !CUSTOM_NAME.test(type)) {
      log(`ignored event type ${JSON.stringify(type)}: expected a letter, then letters, digits, _ . : -`);
      return null;
    }
    const t = now();
    touch(t);
    let size = 0;
    for (const k in props) {
      const v = props[k];
      size += k.length + (typeof v == 'string' ? v.length : 8) + 6;
    }
    return add(build(type, props, t), size);
  }, null);

  const use = safe((pl: Plugin) => {
    const td = pl.setup(api);
    if (typeof td == 'function') teardown.push(td);
  }, undefined);

  const api: Tracker = {
    track: track as Tracker['track'],
    flush: (so) => flush(so).catch(noop),
    optOut: safe(() => {
      st.set(CONSENT, 'out');
      off = true;
      if (buf.length) drop(buf.length, 'opted_out');
      take();
    }, undefined),
    optIn: safe(() => {
      st.set(CONSENT, 'in');
      off = false;
      touch(now());
    }, undefined),
    get optedOut() {
      return off;
    },
    get sessionId() {
      return ses.id;
    },
    get clientId() {
      return off ? '' : ses.clientId;
    },
    options: o,
    use,
    on,
    shutdown: async () => {
      unlisten();
      teardown.splice(0).forEach((f) => safe(f, undefined)());
      await flush();
      queue.stop();
    },
  };

  const unlisten = safe(
    () =>
      (p.onLifecycle &&
        p.onLifecycle((ev) => {
          emit('lifecycle', ev);
          if (ev == 'hide') hide();
          if (ev == 'online') serial(() => queue.drain(true));
        })) ||
      noop,
    noop,
  )();

  if (!off) touch(now());
  (o.plugins || []).forEach(use);
  serial(() => queue.drain()); // batches left by an earlier page or process
  return api;
}
