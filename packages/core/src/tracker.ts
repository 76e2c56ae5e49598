import type { BatchContext, WaymarkEvent } from './events';
import type { Body } from './batch';
import type { DropReason, Platform, Plugin, SendOptions, SendResult, Tracker, TrackerEvents, TrackerOptions } from './types';
import { toBodies } from './batch';
import { uuid } from './ids';
import { CUSTOM_NAME, KNOWN_TYPES } from './known';
import { resolveOptions } from './options';
import { createRetryQueue } from './queue';

type Props = Record<string, unknown>;
const KNOWN = new Set(KNOWN_TYPES.split(' '));
const noop = () => {};
// storage keys: session (`<id> <last activity> <start>`), client id, consent
const SID = 'wm_sid';
const CID = 'wm_cid';
const CONSENT = 'wm_consent';
/** What sending gives once the visitor opted out (also mid-drain): the queue drops the batch, nothing goes out. */
const OUT = { status: 'rejected' } as SendResult;

/**
 * Creates a tracker. `track()` only builds an event and appends it to the buffer; batches are
 * serialised and sent at flush (count, bytes, timer, page hide or `flush()`), one request at a
 * time, and kept in the platform's queue store for retry when the collector cannot take them.
 * Throws only on misconfiguration; afterwards no method throws into the host.
 */
export function createTracker(options: TrackerOptions): Tracker {
  const o = resolveOptions(options);
  const p = o.platform;
  const { now, timers } = p as Required<Platform>;
  const con = p.console || console;
  const log = (m: unknown) => o.debug && con.log('[JourneyEmbed] ' + m);
  const listeners: { [k: string]: Set<(x: any) => void> } = {};
  const safe = <A extends unknown[], R>(f: (...a: A) => R) => (...a: A): R | undefined => {
    try {
      return f(...a);
    } catch {}
  };
  // a listener's error is logged in debug, never thrown into the tracker or the host
  const emit = <E extends keyof TrackerEvents>(e: E, x: TrackerEvents[E]) => listeners[e] && listeners[e].forEach((f) => safe(f)(x));

  // storage that throws (Safari private mode, blocked, full) must not stop tracking: ids, session
  // and consent live in closure variables, storage only carries them across reloads
  const kv = (k: string, v?: string): any => {
    try {
      return v ? p.storage!.set(k, v) : p.storage!.get(k);
    } catch {}
  };

  let buf: WaymarkEvent[] = [];
  let bytes = 0;
  let timer: unknown;
  let chain = Promise.resolve();
  let dropped = 0; // events the queue had to drop (overflow, age), sent as `context.dropped`
  let sid = '';
  let last = 0;
  let start = 0;
  let saved = 0;
  let cid = '';
  const teardown: Array<() => void> = [];

  // consent: an explicit choice wins over the browser's privacy signals
  const choice = kv(CONSENT);
  let off = choice
    ? choice == 'out'
    : safe(() => {
        const s = p.privacySignals!();
        return !!((o.respectDoNotTrack && s.doNotTrack) || (o.respectGlobalPrivacyControl && s.globalPrivacyControl));
      })();

  /** `lost`: the queue had to give events up (overflow, age); the collector hears of it. `why`: for the debug log. */
  const drop = (count: number, reason: DropReason, lost?: 0 | 1, why = '') => {
    if (lost) dropped += count;
    log(reason + ' ' + count + ' ' + why);
    emit('drop', { count, reason });
  };

  const ctx = (): BatchContext => {
    const c: BatchContext = { ...(p.context && p.context()), orgKey: o.org, journeyKey: o.journey, env: o.env };
    if (dropped) {
      c.dropped = dropped;
      dropped = 0;
    }
    return c;
  };

  async function send(b: Body, beacon = false): Promise<SendResult> {
    if (off) return OUT;
    log(`Flushing ${b.count} events to API`);
    let r: SendResult;
    try {
      r = await (beacon ? p.beaconTransport || p.transport : p.transport).send(b.body, { beacon });
    } catch {
      r = { status: 'retryable', reason: 'throw' };
    }
    emit('send', { count: b.count, result: r, beacon });
    if (r.status == 'rejected') drop(b.count, 'rejected', 0, r.reason);
    return r;
  }

  /**
   * Runs `f` after everything before it: at most one request in flight, order kept. For an
   * opted-out visitor it forgets the stored batches instead (also one a request in flight put back).
   */
  const serial = (f: () => Promise<unknown>) => (chain = chain.then(() => (off ? queue.forget() : f())).then(noop, noop));

  const queue = createRetryQueue(o, send, drop, () => serial(queue.drain));
  /** Retries without waiting for the backoff (not a Retry-After): on start and when back online. */
  const retryNow = () => serial(() => queue.drain(true));

  const clientId = () => cid || (kv(CID, (cid = kv(CID) || uuid())), cid);
  const saveSession = () => sid && kv(SID, sid + ' ' + (saved = last) + ' ' + start);

  const take = () => {
    timers.clearTimeout(timer);
    timer = undefined;
    const e = buf;
    buf = [];
    bytes = 0;
    saveSession();
    return e.length ? toBodies(e, o.flushBytes, ctx()) : [];
  };

  /**
   * Every batch is stored before it is sent and leaves the store only once acknowledged, so a
   * page closed mid-request loses nothing (the collector drops the duplicate by event id).
   */
  async function sendBuffer() {
    for (const b of take()) await queue.add(b);
    return queue.drain();
  }

  /** Page hide: hand the buffer to the beacon now; what it refuses stays in the queue. */
  const hide = () =>
    Promise.all(take().map((b) => send(b, true).then((r): unknown => r.status == 'retryable' && queue.add(b)))).then(noop);

  const flush = (so?: SendOptions) => (so && so.beacon ? hide() : serial(sendBuffer));

  // toISOString is slow: the date and time to the second are cached, only the ms are new
  let sec = -1;
  let pre = '';
  const iso = (t: number) => {
    const ms = t % 1e3;
    if (t - ms != sec) pre = new Date((sec = t - ms)).toISOString().slice(0, 20);
    return pre + ((ms | 0) + 1e3 + 'Z').slice(1);
  };

  /** Builds an event; `size` gets its estimated serialised size (no serialisation here). */
  let size = 0;
  function build(type: string, props: Props | undefined | 0, t: number): WaymarkEvent {
    const l = p.location ? p.location() : { url: '' };
    const e: Props = {
      _tag: type,
      schemaVersion: 1,
      id: uuid(),
      ts: iso(t),
      orgKey: o.org,
      journeyKey: o.journey,
      sessionId: sid,
      clientId: clientId(),
      url: l.url,
      referrer: l.referrer,
      embedVersion: o.version,
    };
    size = 200 + l.url.length;
    // known types get their typed fields at the top level, custom types a copy under `props`;
    // only flat primitives are kept (a nested value would get the whole batch refused)
    const c: Props = KNOWN.has(type) || !props ? e : (e.props = {});
    for (const k in props as Props) {
      const v = (props as Props)[k];
      // undefined, functions and symbols vanish in JSON
      if (v === null || typeof v != 'object') {
        c[k] = v;
        size += k.length + ('' + v).length + 6;
      }
    }
    return e as WaymarkEvent;
  }

  function add(ev: WaymarkEvent): WaymarkEvent | null {
    const n = size;
    const e = o.beforeSend ? safe(o.beforeSend)(ev) : ev;
    if (!e) return drop(1, 'before_send'), null;
    if (buf.length && bytes + n > o.flushBytes) flush();
    buf.push(e);
    bytes += n;
    if (o.debug) {
      const x = e as Props;
      log(e._tag + ': ' + (x.stepKey || e.sessionId));
    }
    emit('event', e);
    if (buf.length >= o.flushAt) flush();
    else if (timer == null) timer = timers.setTimeout(flush, o.flushInterval);
    return e;
  }

  /**
   * Records activity at `t`. Storage is read only when the session seems over (another tab or an
   * earlier page may have kept it alive); if it is, a `session_end` closes it and a new one starts.
   */
  function touch(t: number) {
    if (!(sid && t - last <= o.sessionTimeout)) {
      const [i, l, s] = (kv(SID) || '').split(' ');
      if (!sid || +l! > last) [sid, last, start] = [i!, +l!, +s!];
      if (!(sid && t - last <= o.sessionTimeout)) {
        const previous = sid || undefined;
        if (sid && last > -1 / 0) add(build('session_end', { completed: false, durationMs: Math.max(0, last - start) || 0 }, t));
        sid = uuid();
        start = t;
        saved = 0;
        add(build('session_start', 0, t));
        emit('session', { sessionId: sid, previous });
      }
    }
    last = t;
    if (t - saved > 5e3) saveSession();
  }

  function track(type: string, props?: Props): WaymarkEvent | null {
    try {
      // every known type is a valid custom name too, so one pattern checks both
      if (off || !CUSTOM_NAME.test(type)) return null;
      const t = now();
      touch(t);
      const e = add(build(type, props, t));
      // the session ended: the next activity starts a new one, and no timeout ends it again (an
      // ended session's last activity is -Infinity, saved at once: the next touch reads storage)
      if (type == 'session_end') (last = -1 / 0), saveSession();
      return e;
    } catch {
      return null;
    }
  }

  const use = safe((pl: Plugin) => {
    const td = pl.setup(api);
    if (typeof td == 'function') teardown.push(td);
  });

  const api: Tracker = {
    track: track as Tracker['track'],
    flush,
    // forgets what it kept: the buffer, the stored batches and the session (an opt-in starts a new one)
    optOut() {
      kv(CONSENT, 'out');
      off = true;
      buf = [];
      last = -1 / 0;
      take();
      flush();
    },
    optIn: safe(() => {
      kv(CONSENT, 'in');
      off = false;
      touch(now());
    }),
    get optedOut() {
      return !!off;
    },
    get sessionId() {
      return sid;
    },
    get sessionStart() {
      return start;
    },
    get clientId() {
      return off ? cid : clientId();
    },
    options: o,
    use,
    on: (e, f) => {
      const s = (listeners[e] ||= new Set());
      s.add(f);
      return () => s.delete(f);
    },
    shutdown: async () => {
      unlisten();
      teardown.splice(0).forEach((f) => safe(f)());
      await flush();
      queue.stop();
    },
  };

  const unlisten =
    (p.onLifecycle &&
      safe(p.onLifecycle)((ev) => {
        emit('lifecycle', ev);
        if (ev == 'hide') hide();
        if (ev == 'online') retryNow();
      })) ||
    noop;

  if (!off) safe(touch)(now());
  (o.plugins || []).forEach(use);
  retryNow(); // batches left by an earlier page or process: their backoff is over (an opted-out visitor's are forgotten)
  return api;
}
