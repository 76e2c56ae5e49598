import { createContext, useContext } from 'react';
import type { WaymarkTracker } from './types';

/** What the provider shares with the hooks. */
export interface WaymarkContextValue {
  /** the tracker once created (null during server rendering and before the provider's effect ran) */
  tracker: WaymarkTracker | null;
  /**
   * Runs `fn` with the tracker now, or as soon as the provider has created it. Children's
   * effects run before their parent's, so a hook's mount-time event would otherwise be lost.
   * Errors are swallowed: the SDK never breaks the host page.
   */
  run(fn: (tracker: WaymarkTracker) => void): void;
}

export const WaymarkContext = createContext<WaymarkContextValue | null>(null);

/** The provider's context; throws a clear error when a hook is used outside `<WaymarkProvider>`. */
export function useWaymarkContext(hook: string): WaymarkContextValue {
  const ctx = useContext(WaymarkContext);
  if (!ctx) fail(hook, 'a <WaymarkProvider> above', ctx);
  return ctx;
}

/** Calls `fn`, keeping any error away from the host application. */
export function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // An analytics failure must never break the page; the tracker reports its own problems in debug.
  }
}

/** Misconfiguration throws while rendering, with what was expected and what was given. */
export function fail(hook: string, expected: string, got: unknown): never {
  throw new Error(`${hook}: expected ${expected}, got ${JSON.stringify(got)}`);
}

/** Checks an id or key: 1 to 128 characters, as the wire schema requires. */
export function expectKey(hook: string, name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || !value || value.length > 128) fail(hook, `${name} to be a string of 1 to 128 characters`, value);
}
