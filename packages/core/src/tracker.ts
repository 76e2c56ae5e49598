import type { BatchContext, WaymarkEvent } from './events';
import type { Body } from './batch';
import type { DropReason, Platform, Plugin, SendOptions, SendResult, Tracker, TrackerEvents, TrackerOptions } from './types';
import { MAX_EVENTS, toBodies } from './batch';
import { EMBED } from './build';
import { uuid } from './ids';
import { CUSTOM_NAME, KNOWN_TYPES } from './known';
import { resolveOptions } from './options';
import { createQueue } from './queue';

type Props = Record<string, unknown>;
const KNOWN = new Set(KNOWN_TYPES.split(' '));
const noop = () => {};
// storage keys: session (`<id> <last activity> <start>`), client id, consent
const SID = 'wm_sid';
const CID = 'wm_cid';
const CONSENT = 'wm_consent';
/** What sending gives once the visitor opted out (also mid-drain): the queue drops the batch, nothing goes out. */
const OUT = { status: 'rejected', reason: 'opted_out' } as SendResult;

/**
 * Creates a tracker. `track()` only builds an event and appends it to the buffer. A flush (count,
 * bytes, timer, page hide or `flush()`) serialises the buffer into batches the collector takes,
 * writes all of them to the platform's durable store, and only then sends them (see
 * {@link createQueue}): a crash after a flush began loses nothing.
 * Throws only on misconfiguration; afterwards no method throws into the host.
 */
export function createTracker(options: TrackerOptions): Tracker {
  const o = resolveOptions(options);
  const p = o.platform;
  const { now, timers } = p as Required<Platform>;
  const con = EMBED ? console : p.console || console;
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
  // events lost on the way (refused, overflow, age), per reason, sent as `context.dropped`
  let dropped: { [r: string]: number } = {};
  let sid = '';
  let last = 0;
  let start = 0;
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

  /** `lost`: events given up on the way (refused, overflow, age); the collector hears of them. `why`: for the debug log. */
  const drop = (count: number, reason: DropReason, lost?: 0 | 1, why = '') => {
    if (lost) dropped[reason] = (dropped[reason] || 0) + count;
    log(reason + ' ' + count + ' ' + why);
    emit('drop', { count, reason });
  };

  const ctx = (): BatchContext => {
    const c: BatchContext = { ...(EMBED ? p.context!() : p.context && p.context()), orgKey: o.org, journeyKey: o.journey, env: o.env };
    for (const _ in dropped) {
      c.dropped = dropped;
      dropped = {};
      break;
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
    return r;
  }

  const queue = createQueue(o, send, drop);

  const clientId = () => cid || (kv(CID, (cid = kv(CID) || uuid())), cid);
  // session activity is persisted once per batch (and on page hide), never per event
  const saveSession = () => sid && kv(SID, sid + ' ' + last + ' ' + start);

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
   * The buffer is taken now, and every batch of it is in the store before the first request;
   * it leaves the store only once acknowledged (or refused for good).
   */
  const flush = (so?: SendOptions): Promise<void> => {
    if (so && so.beacon) return hide();
    queue.add(take());
    // an opted-out visitor's stored batches are forgotten, also one a request in flight put back
    return (off ? queue.clear() : queue.drain()).then(noop);
  };

  /**
   * Page hide: what this page handed to the queue and is not acknowledged goes by beacon too,
   * then the buffer; what the beacon refuses stays in the queue.
   */
  const hide = () => {
    queue.hide();
    return Promise.all(take().map((b) => send(b, true).then((r): unknown => r.status == 'retryable' && queue.add([b]).then(() => void queue.drain())))).then(noop);
  };

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
  const fixed = 288 + o.org.length + (o.journey || '').length + o.version.length;
  function build(type: string, props: Props | undefined | 0, t: number): WaymarkEvent {
    const l = EMBED ? p.location!() : p.location ? p.location() : { url: '' };
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
    // what JSON adds around the values: key names, quotes, the ids and the timestamp; kept at or
    // above the real size, so that a batch cut by this estimate is serialised once
    size = fixed + type.length + l.url.length + (l.referrer || '').length;
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
    o.debug && log(e._tag + ': ' + ((e as Props).stepKey || e.sessionId));
    emit('event', e);
    // while a send is under way the buffer grows to a full batch: a burst goes out in few requests
    if (buf.length >= (queue.busy ? MAX_EVENTS : o.flushAt)) flush();
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
        add(build('session_start', 0, t));
        emit('session', { sessionId: sid, previous });
      }
    }
    last = t;
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
      queue.clear();
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
    get pending() {
      return queue.pending;
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
    ((EMBED || p.onLifecycle) &&
      safe(p.onLifecycle!)((ev) => {
        emit('lifecycle', ev);
        if (ev == 'hide') hide();
        if (ev == 'online') queue.drain(true);
      })) ||
    noop;

  if (!off) safe(touch)(now());
  if (!EMBED) (o.plugins || []).forEach(use);
  off ? queue.clear() : queue.drain(true); // batches left by an earlier page or process: delivered at once (an opted-out visitor's are forgotten)
  return api;
}
