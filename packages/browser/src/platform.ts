/**
 * The browser {@link Platform}: localStorage (memory when blocked), fetch keepalive and
 * sendBeacon transports, the IndexedDB retry queue, Web Locks across tabs, and page lifecycle.
 *
 * Lifecycle uses visibilitychange, pagehide, pageshow and online only: an `unload` or
 * `beforeunload` listener would make the page ineligible for the back/forward cache.
 */
import { createBeaconTransport, createFetchTransport } from '@waymark/core';
import type { BeaconTransportOptions, DeviceClass, KeyValueStorage, LifecycleEvent, Platform } from '@waymark/core';
import { createIdbQueueStore } from '@waymark/core/idb';
import { EMBED } from './build';
import { nav } from './nav';
import { listen, all } from './util';

/**
 * localStorage. It may throw (private mode, blocked storage, quota, sandboxed frames): the core
 * tracker then continues in memory, and the journey state ignores the error.
 */
export const browserStorage = (): KeyValueStorage => ({
  get: (k) => localStorage.getItem(k),
  set: (k, v) => localStorage.setItem(k, v),
});

/**
 * Phones, tablets and the rest, from what the device is rather than what its user agent says: a
 * touch screen as the primary pointer makes a phone when its shorter side is under 600 CSS px
 * (Android's own tablet threshold), else a tablet; anything else is a desktop. This also gets
 * right what user agents hide: iPadOS and "request desktop site" pretend to be desktops.
 */
export const deviceClass = (): DeviceClass =>
  matchMedia('(pointer:coarse)').matches ? (Math.min(screen.width, screen.height) < 600 ? 'mobile' : 'tablet') : 'desktop';

/** Forwards page lifecycle to the tracker: hidden or leaving → `hide`, shown or restored → `show`, back online → `online`. */
function onLifecycle(fn: (e: LifecycleEvent) => void): () => void {
  const d = document;
  return all([
    listen(d, 'visibilitychange', () => fn(d.visibilityState === 'hidden' ? 'hide' : 'show')),
    listen(window, 'pagehide', () => fn('hide')),
    listen(window, 'pageshow', (e: PageTransitionEvent) => e.persisted && fn('show')),
    listen(window, 'online', () => fn('online')),
  ]);
}

/** Creates the browser platform for an ingest `endpoint`. */
export function browserPlatform(endpoint: string): Platform {
  const n = navigator;
  const locks = (n as { locks?: LockManager }).locks;
  // the device does not change while the page lives: classified once, not for every batch
  const device = deviceClass();
  return {
    transport: createFetchTransport({ endpoint }),
    beaconTransport: n.sendBeacon
      ? createBeaconTransport(EMBED ? ({ endpoint } as BeaconTransportOptions) : { endpoint, sendBeacon: n.sendBeacon.bind(n) })
      : undefined,
    // the embed's tracker and journey use localStorage directly
    ...(!EMBED && { storage: browserStorage() }),
    queueStore: createIdbQueueStore(),
    // ifAvailable: a tab that finds the queue busy skips this round instead of queueing behind it
    withLock: locks
      ? <T>(name: string, f: () => Promise<T>) =>
          locks.request(name, { ifAvailable: true }, (l) => (l ? f() : undefined)) as Promise<T | undefined>
      : (_, f) => f(),
    onLifecycle,
    location: () => ({ url: location.href, referrer: nav.ref ?? (document.referrer || undefined) }),
    context: () => ({ language: n.language, deviceClass: device }),
    // the embed's tracker reads them from navigator itself
    ...(!EMBED && {
      privacySignals: () => ({
        doNotTrack: n.doNotTrack == '1',
        globalPrivacyControl: (n as { globalPrivacyControl?: boolean }).globalPrivacyControl === true,
      }),
    }),
  };
}
