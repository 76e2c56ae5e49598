import { useEffect, useRef } from 'react';
import { expectKey, useWaymarkContext } from './context';

/**
 * Records `step_view` for `stepKey` once, when the component showing the step is first mounted
 * (and again only if `stepKey` changes). StrictMode's doubled effects and re-renders never
 * record it twice.
 *
 * @param stepKey the journey step this component shows, e.g. `eligibility-check`
 * @param options.enabled set to false while the step is not actually shown; default true
 *
 * @example
 * ```tsx
 * function Eligibility() {
 *   useJourneyStep('eligibility-check');
 *   return <form>…</form>;
 * }
 * ```
 */
export function useJourneyStep(stepKey: string, options: { enabled?: boolean } = {}): void {
  expectKey('useJourneyStep', 'stepKey', stepKey);
  const { run } = useWaymarkContext('useJourneyStep');
  const enabled = options.enabled ?? true;
  const recorded = useRef<string | null>(null);
  useEffect(() => {
    if (!enabled || recorded.current === stepKey) return;
    recorded.current = stepKey;
    run((t) => t.step(stepKey));
  }, [enabled, stepKey, run]);
}
