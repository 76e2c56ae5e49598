import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { resolveTarget } from '@waymark/browser';
import { expectKey, fail, useWaymarkContext } from './context';
import { transition, type TourAction } from './tour-machine';
import { IDLE, loadProgress, saveProgress, type TourProgress } from './tour-progress';
import type { TourControls, TourStep, UseTourOptions, WaymarkTracker } from './types';

function validate(options: UseTourOptions<TourStep>): void {
  expectKey('useTour', 'tourId', options?.tourId);
  const { steps } = options;
  if (!Array.isArray(steps) || !steps.length) fail('useTour', 'steps to be a non-empty array', steps);
  steps.forEach((s, i) => expectKey('useTour', `steps[${i}].id`, s?.id));
}

/**
 * A product tour's state and controls, recording TourStarted, StepViewed, StepCompleted,
 * TourCompleted, TourDismissed and TourRestarted, and `target_not_found` (through the browser
 * SDK's target resolver) when a step's `target` never appears.
 *
 * Progress is kept in localStorage (or sessionStorage, see `persist`), so a reload resumes the
 * tour where it was without recording a second start; a completed or dismissed tour stays so
 * until `restart()`. Events are recorded in the actions, never while rendering, so StrictMode
 * never doubles them.
 *
 * @example
 * ```tsx
 * const tour = useTour({ tourId: 'onboarding', steps: [{ id: 'welcome' }, { id: 'menu', target: '#menu' }] });
 * if (tour.status !== 'active') return <button onClick={tour.start}>Take the tour</button>;
 * return <Popover anchor={tour.targetElement} onNext={tour.next} onClose={tour.dismiss} />;
 * ```
 */
export function useTour<S extends TourStep>(options: UseTourOptions<S>): TourControls<S> {
  validate(options);
  const { tourId, steps, persist = 'local' } = options;
  const { run, tracker } = useWaymarkContext('useTour');
  const opts = useRef(options);
  opts.current = options;
  const progress = useRef<TourProgress>(IDLE);
  const [view, setView] = useState<TourProgress>(IDLE);
  const loadedFor = useRef<string | null>(null);

  const dispatch = useCallback(
    (action: TourAction, index?: number) => {
      const { tourId, steps, persist = 'local' } = opts.current;
      // Saved progress is the latest word when another useTour of this tour (or another tab)
      // moved on: acting on a stale copy could record a second start.
      const r = transition(loadProgress(persist, tourId, steps.length) ?? progress.current, action, steps, index);
      if (!r) return;
      progress.current = r.next;
      saveProgress(persist, tourId, r.next);
      setView(r.next);
      if (r.emits.length) {
        run((t) => {
          const events = t.tour(tourId);
          for (const emit of r.emits) emit(events);
        });
      }
    },
    [run],
  );

  // Progress is read in an effect (not during render) so server and first client render agree.
  // `loadedFor` keeps StrictMode's second effect run from restoring or auto-starting twice.
  useEffect(() => {
    if (loadedFor.current === tourId) return;
    loadedFor.current = tourId;
    progress.current = loadProgress(persist, tourId, steps.length) ?? IDLE;
    setView(progress.current);
    if (opts.current.autoStart) dispatch('start');
  }, [tourId, persist, steps.length, dispatch]);

  const step = view.status === 'active' ? (steps[view.stepIndex] ?? null) : null;
  const targetElement = useTarget(tracker, tourId, view, step, options.targetTimeoutMs);

  const actions = useMemo(() => {
    const a: Record<string, (index?: number) => void> = {};
    for (const type of ['start', 'next', 'back', 'goTo', 'complete', 'dismiss', 'restart'] as const) a[type] = (i) => dispatch(type, i);
    return a as unknown as Pick<TourControls<S>, 'start' | 'next' | 'back' | 'goTo' | 'complete' | 'dismiss' | 'restart'>;
  }, [dispatch]);
  return { ...actions, status: view.status, stepIndex: view.stepIndex, step, targetElement };
}

/**
 * Resolves the current step's target, once per (run, step). The key only becomes non-null after
 * the restore effect's update, so StrictMode's doubled mount effects never resolve (and report
 * `target_not_found`) twice.
 */
function useTarget(
  tracker: WaymarkTracker | null,
  tourId: string,
  view: TourProgress,
  step: TourStep | null,
  timeoutMs: number | undefined,
): Element | null {
  const [found, setFound] = useState<[string, Element | null] | null>(null);
  const selector = step?.target;
  const key = selector ? `${view.run}:${view.stepIndex}:${selector}` : null;

  useEffect(() => {
    if (!key || !tracker) return;
    let live = true;
    // never rejects; an undefined timeoutMs means the resolver's default
    void resolveTarget(selector!, { tracker, tourId, stepId: step!.id, timeoutMs }).then((el) => live && setFound([key, el]));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the key names the step and its selector
  }, [key, tracker]);

  return key && found?.[0] === key ? found[1] : null;
}
