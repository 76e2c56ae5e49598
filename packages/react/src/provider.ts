import { createElement, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { init } from '@waymark/browser';
import { WaymarkContext, fail, safely, type WaymarkContextValue } from './context';
import type { WaymarkOptions, WaymarkTracker } from './types';

/** Props of {@link WaymarkProvider}: either `options` (the provider creates the tracker) or `tracker`. */
export type WaymarkProviderProps =
  | { options: WaymarkOptions; tracker?: undefined; children?: ReactNode }
  | { tracker: WaymarkTracker; options?: undefined; children?: ReactNode };

/**
 * Makes a Waymark tracker available to the hooks below it.
 *
 * With `options`, the browser tracker is created by `init(options)` in an effect, never during
 * render: server rendering touches no `window` and records nothing, and StrictMode's doubled
 * effects get the same tracker back (`init` returns the first tracker on a second call).
 * The tracker lives as long as the page; the provider does not shut it down on unmount, so a
 * remount (StrictMode, route change) never loses buffered events or starts a second session.
 *
 * @example
 * ```tsx
 * <WaymarkProvider options={{ org: 'demo', journey: 'signup', endpoint: '/api/ingest' }}>
 *   <App />
 * </WaymarkProvider>
 * ```
 */
export function WaymarkProvider(props: WaymarkProviderProps) {
  const { options, tracker: given, children } = props;
  if (!given && (!options || typeof options !== 'object')) fail('WaymarkProvider', 'an `options` object or a `tracker`', options);
  const [tracker, setTracker] = useState<WaymarkTracker | null>(given ?? null);
  const current = useRef<WaymarkTracker | null>(given ?? null);
  const pending = useRef<((t: WaymarkTracker) => void)[]>([]);
  // The options object is usually a fresh literal on every render; only the first one counts,
  // as `init` itself keeps the first tracker.
  const first = useRef(options);

  useEffect(() => {
    const t: WaymarkTracker = given ?? init(first.current!);
    current.current = t;
    const queued = pending.current.splice(0);
    for (const fn of queued) safely(() => fn(t));
    setTracker(t);
  }, [given]);

  const run = useCallback((fn: (t: WaymarkTracker) => void) => {
    const t = current.current;
    if (t) safely(() => fn(t));
    else pending.current.push(fn);
  }, []);

  const value = useMemo<WaymarkContextValue>(() => ({ tracker, run }), [tracker, run]);
  // createElement rather than JSX: one import less in the bundle (react/jsx-runtime)
  return createElement(WaymarkContext.Provider, { value }, children);
}
