import { useWaymarkContext } from './context';
import type { WaymarkTracker } from './types';

/**
 * The tracker of the nearest `<WaymarkProvider>`, or `null` while rendering on the server and
 * before the provider's effect created it (the first client render). Use it in event handlers:
 *
 * @example
 * ```tsx
 * const tracker = useTracker();
 * <button onClick={() => tracker?.track('plan_chosen', { plan: 'pro' })}>Pro</button>
 * ```
 */
export function useTracker(): WaymarkTracker | null {
  return useWaymarkContext('useTracker').tracker;
}
