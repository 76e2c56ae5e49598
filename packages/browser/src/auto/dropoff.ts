/**
 * `dropoff_signal` while the journey is not completed: `page_hidden` (tab hidden), `page_closed`
 * (tab closed or navigated away), `rapid_exit` (left within `rapidExitMs` of loading) and
 * `inactivity` (no input for `inactivityMs`).
 *
 * A signal raised on the way out is sent by beacon at once: the platform's own page-hide flush
 * may already have run (Chromium runs window `pagehide` listeners in registration order, and the
 * tracker registers before its plugins).
 */
import type { Journey } from '../journey';
import { all, listen, now, type Off } from '../util';

/** Thresholds of the drop-off signals. */
export interface DropoffOptions {
  /** no pointer, key or scroll input for this long (ms) raises `inactivity`; default 300 000 (5 min) */
  inactivityMs?: number;
  /** leaving within this long (ms) of loading raises `rapid_exit` instead of `page_closed`; default 10 000 */
  rapidExitMs?: number;
}

export function dropoff(j: Journey, { inactivityMs = 3e5, rapidExitMs = 1e4 }: DropoffOptions = {}): Off {
  const loaded = now();
  let left = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const signal = (reason: 'page_hidden' | 'page_closed' | 'inactivity' | 'rapid_exit', out?: 1) =>
    j.done || (j.t.track('dropoff_signal', { reason, stepKey: j.step }), out && j.t.flush({ beacon: true }));
  const idle = () => {
    clearTimeout(timer);
    timer = setTimeout(() => signal('inactivity'), inactivityMs);
  };
  const on = (type: string, fn: (e: any) => void) => listen(window, type, fn, true);
  idle();
  return all([
    () => clearTimeout(timer),
    // pagehide comes before visibilitychange when a page is closed: one signal, not two
    on('pagehide', () => {
      left = true;
      signal(now() - loaded < rapidExitMs ? 'rapid_exit' : 'page_closed', 1);
    }),
    on('visibilitychange', () => document.visibilityState === 'hidden' && !left && signal('page_hidden', 1)),
    on('pageshow', () => (left = false)),
    ...['pointerdown', 'keydown', 'scroll'].map((t) => on(t, idle)),
  ]);
}
