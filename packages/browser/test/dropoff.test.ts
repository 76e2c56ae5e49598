// @vitest-environment happy-dom
import { createMemoryStorage } from '@waymark/core';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { harness, type Harness } from './helpers';

let h: Harness;
afterEach(async () => {
  await h?.stop();
  vi.useRealTimers();
  setVisibility('visible');
});

function setVisibility(v: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => v });
  document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
}
const pagehide = (persisted = false) => window.dispatchEvent(Object.assign(new Event('pagehide'), { persisted }));
const reasons = () => h.of('dropoff_signal').map((e) => e.reason);

describe('drop-off signals', () => {
  test('page_hidden when the tab is hidden, with the current step', () => {
    h = harness();
    h.j.setStep('payment');
    setVisibility('hidden');
    expect(h.of('dropoff_signal')).toMatchObject([{ reason: 'page_hidden', stepKey: 'payment' }]);
  });

  test('rapid_exit when leaving soon after loading, page_closed later; one signal per exit', () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    h = harness();
    pagehide();
    setVisibility('hidden'); // comes after pagehide when a page unloads: no second signal
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    setVisibility('visible');
    vi.advanceTimersByTime(11_000);
    pagehide(true);
    expect(reasons()).toEqual(['rapid_exit', 'page_closed']);
  });

  test('a signal raised on the way out is sent by beacon at once, whatever ran before', async () => {
    const beacons: number[] = [];
    // the platform's page-hide flush may run before our listener (it is registered first)
    const platformFlush = () => void h.t.flush({ beacon: true });
    window.addEventListener('pagehide', platformFlush, true);
    h = harness();
    h.t.on('send', (s) => s.beacon && beacons.push(s.count));
    pagehide();
    window.removeEventListener('pagehide', platformFlush, true);
    await new Promise((r) => setTimeout(r, 0));
    expect(h.tags()).toContain('dropoff_signal');
    expect(beacons).toEqual([h.events.length - 1, 1]);
  });

  test('inactivity after inactivityMs without input; input re-arms the timer', () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    h = harness({ auto: { dropoff: { inactivityMs: 60_000 } } });
    vi.advanceTimersByTime(50_000);
    document.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true }));
    vi.advanceTimersByTime(50_000);
    expect(reasons()).toEqual([]);
    vi.advanceTimersByTime(10_001);
    expect(reasons()).toEqual(['inactivity']);
    vi.advanceTimersByTime(600_000); // once per idle period
    expect(reasons()).toEqual(['inactivity']);
  });

  test('no signal once the journey is completed; session_end carries completion and duration, once', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    h = harness();
    vi.advanceTimersByTime(42_000);
    h.j.complete();
    h.j.complete();
    setVisibility('hidden');
    pagehide();
    expect(reasons()).toEqual([]);
    expect(h.of('session_end')).toMatchObject([{ completed: true, durationMs: 42_000 }]);
  });

  test('the session start survives a reload within the session; a reload after completion starts a new session', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const storage = createMemoryStorage();
    h = harness({ storage });
    vi.advanceTimersByTime(5_000);
    await h.stop();
    h = harness({ storage }); // the reload: same session
    expect(h.of('session_start')).toEqual([]);
    vi.advanceTimersByTime(5_000);
    h.j.complete();
    expect(h.of('session_end')).toMatchObject([{ completed: true, durationMs: 10_000 }]);
    await h.stop();
    h = harness({ storage }); // the completed session is over: this is a new one, not completed
    expect(h.of('session_start')).toHaveLength(1);
    setVisibility('hidden');
    expect(reasons()).toEqual(['page_hidden']);
  });

  test('switched off through autoTrack.dropoff', () => {
    h = harness({ auto: { dropoff: false } });
    setVisibility('hidden');
    pagehide();
    expect(reasons()).toEqual([]);
  });
});
