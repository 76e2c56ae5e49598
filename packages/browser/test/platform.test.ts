// @vitest-environment happy-dom
import { createMemoryQueueStore } from '@waymark/core';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { browserPlatform, browserStorage, deviceClass } from '../src/platform';

afterEach(() => vi.restoreAllMocks());

/** A device: whether its primary pointer is a touch screen, and its screen size in CSS px. */
const device = (coarse: boolean, width: number, height: number) => {
  vi.spyOn(window, 'matchMedia').mockImplementation((q) => ({ matches: q === '(pointer:coarse)' && coarse }) as MediaQueryList);
  vi.spyOn(window, 'screen', 'get').mockReturnValue({ width, height } as Screen);
};

describe('browser platform', () => {
  test('storage uses localStorage', () => {
    const s = browserStorage();
    s.set('wm_test', '1');
    expect(localStorage.getItem('wm_test')).toBe('1');
    expect(s.get('wm_test')).toBe('1');
    localStorage.removeItem('wm_test');
  });

  test('blocked localStorage (private mode, quota) does not stop tracking or the journey state', async () => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    const { init } = await import('../src/sdk');
    const seen: string[] = [];
    const t = init({
      org: 'acme',
      endpoint: 'http://127.0.0.1:9/api/ingest',
      beforeSend: (e) => (seen.push(e._tag), e),
      platform: { transport: { send: async () => ({ status: 'delivered' }) }, queueStore: createMemoryQueueStore() },
    });
    t.step('a');
    t.completeJourney();
    expect(seen).toEqual(['session_start', 'page_view', 'step_view', 'session_end']);
    expect(t.clientId).toMatch(/^[0-9a-f-]{36}$/);
    await t.shutdown();
  });

  test('deviceClass from the primary pointer and the screen, whatever the user agent claims', () => {
    device(true, 393, 852); // a phone
    expect(deviceClass()).toBe('mobile');
    device(true, 852, 393); // the same phone turned sideways
    expect(deviceClass()).toBe('mobile');
    device(true, 820, 1180); // a tablet (also an iPad whose user agent says Macintosh)
    expect(deviceClass()).toBe('tablet');
    device(false, 1920, 1080); // mouse or trackpad
    expect(deviceClass()).toBe('desktop');
    device(false, 1280, 800); // a touch laptop: its primary pointer is the trackpad
    expect(deviceClass()).toBe('desktop');
  });

  test('context carries language and deviceClass; location the URL and referrer', () => {
    const p = browserPlatform('http://127.0.0.1:9/api/ingest');
    expect(p.context!()).toEqual({ language: navigator.language, deviceClass: 'desktop' });
    expect(p.location!().url).toBe(location.href);
  });

  test('lifecycle: hidden and pagehide → hide, visible and bfcache restore → show, online; never unload', () => {
    const added: string[] = [];
    for (const t of [window, document]) {
      const orig = t.addEventListener.bind(t);
      vi.spyOn(t, 'addEventListener').mockImplementation((type, ...rest) => {
        added.push(type);
        return orig(type, ...rest);
      });
    }
    const p = browserPlatform('http://127.0.0.1:9/api/ingest');
    const seen: string[] = [];
    const off = p.onLifecycle!((e) => seen.push(e));
    const vis = (v: string) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => v });
      document.dispatchEvent(new Event('visibilitychange'));
    };
    vis('hidden');
    window.dispatchEvent(new Event('pagehide'));
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: false })); // first load: nothing
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    vis('visible');
    window.dispatchEvent(new Event('online'));
    off();
    window.dispatchEvent(new Event('online'));
    expect(seen).toEqual(['hide', 'hide', 'show', 'show', 'online']);
    // an unload or beforeunload listener would make the page ineligible for the back/forward cache
    expect(added).not.toContain('unload');
    expect(added).not.toContain('beforeunload');
  });

  test('withLock runs under a Web Lock, and skips when another tab holds it', async () => {
    const held = new Set<string>();
    const locks = {
      request: async (name: string, _o: unknown, cb: (l: unknown) => unknown) => {
        if (held.has(name)) return cb(null);
        held.add(name);
        try {
          return await cb({ name });
        } finally {
          held.delete(name);
        }
      },
    };
    Object.defineProperty(navigator, 'locks', { configurable: true, value: locks });
    try {
      const p = browserPlatform('http://127.0.0.1:9/api/ingest');
      let release!: () => void;
      const first = p.withLock!('q', () => new Promise<string>((r) => (release = () => r('first'))));
      expect(await p.withLock!('q', async () => 'second')).toBeUndefined();
      release();
      expect(await first).toBe('first');
    } finally {
      delete (navigator as { locks?: unknown }).locks;
    }
  });

  test('beacon transport sends text through navigator.sendBeacon', async () => {
    const sent: unknown[] = [];
    vi.spyOn(navigator, 'sendBeacon').mockImplementation(function (this: Navigator, url, data) {
      if (this !== navigator) throw new TypeError('Illegal invocation');
      sent.push([url, data]);
      return true;
    });
    const p = browserPlatform('http://127.0.0.1:9/api/ingest');
    expect(await p.beaconTransport!.send('{"a":1}', { beacon: true })).toEqual({ status: 'delivered' });
    expect(sent).toEqual([['http://127.0.0.1:9/api/ingest', '{"a":1}']]);
  });
});
