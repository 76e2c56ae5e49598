import { IDLE, type TourProgress } from './tour-progress';
import type { TourEvents, TourStep } from './types';

/** What a user (or the app) can do with a tour; `goTo` takes the step index. */
export type TourAction = 'start' | 'next' | 'back' | 'goTo' | 'complete' | 'dismiss' | 'restart';

/** One tour event to record, applied to `tracker.tour(tourId)`. */
export type TourEmit = (events: TourEvents) => void;

/**
 * The tour's rules as a pure function: the next progress and the events it records, or null when
 * the action does nothing in this state. Within one run (start or restart) each step records
 * StepViewed and StepCompleted at most once, so going back and forth never inflates the funnel.
 */
export function transition(
  p: TourProgress,
  action: TourAction,
  steps: readonly TourStep[],
  index = 0,
): { next: TourProgress; emits: TourEmit[] } | null {
  const emits: TourEmit[] = [];
  const last = steps.length - 1;
  const at = p.stepIndex;
  // `n` is a copy; its arrays are replaced, never mutated, so `p` stays as it was.
  let n: TourProgress = { ...p };
  const show = (i: number) => {
    n.stepIndex = i;
    if (n.viewed.includes(i)) return;
    n.viewed = [...n.viewed, i];
    emits.push((e) => e.stepViewed(steps[i]!.id, i));
  };
  const begin = (emit: TourEmit) => {
    emits.push(emit);
    n = { ...IDLE, status: 'active', run: p.run + 1 };
    show(0);
  };

  if (action === 'start' || (action === 'restart' && p.status === 'idle')) {
    if (p.status !== 'idle') return null;
    begin((e) => e.started());
  } else if (action === 'restart') {
    begin((e) => e.restarted());
  } else if (p.status !== 'active') {
    return null;
  } else if (action === 'next' || action === 'complete') {
    if (!n.completed.includes(at)) {
      n.completed = [...n.completed, at];
      emits.push((e) => e.stepCompleted(steps[at]!.id, at));
    }
    if (action === 'next' && at < last) show(at + 1);
    else {
      n.status = 'completed';
      emits.push((e) => e.completed());
    }
  } else if (action === 'dismiss') {
    n.status = 'dismissed';
    emits.push((e) => e.dismissed(steps[at]!.id, at));
  } else {
    const to = action === 'back' ? at - 1 : index;
    if (!steps[to] || to === at) return null; // out of range (or not an index)
    show(to);
  }
  return { next: n, emits };
}
