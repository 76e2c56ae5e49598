/** The step funnel of a tour (where users drop off). */
import { percent, round1 } from './rates';

/** Distinct users who reached one step, as read from the store. */
export interface StepReach {
  step_index: number;
  step_id: string;
  users: number;
}

/** One row of the funnel answer. */
export interface FunnelStep extends StepReach {
  /** users / users who started the tour * 100, one decimal */
  pct_of_starts: number;
  /** percentage points lost since the previous step (since the start for the first step) */
  drop_from_previous: number;
  /** true on the step with the largest drop (the first such step on a tie); false when no step loses users */
  largest_drop: boolean;
}

/**
 * Builds the funnel: steps ordered by index, each as a share of the users who started, with the
 * step that loses the most percentage points flagged.
 */
export function buildFunnel(startedUsers: number, reach: StepReach[]): { steps: FunnelStep[]; largest_drop_step: number | null } {
  const sorted = [...reach].sort((a, b) => a.step_index - b.step_index);
  let previous = startedUsers ? 100 : 0;
  let best = -1;
  let bestDrop = 0;
  const steps = sorted.map((s, i): FunnelStep => {
    const pct = percent(s.users, startedUsers);
    const drop = round1(previous - pct);
    previous = pct;
    if (drop > bestDrop) {
      bestDrop = drop;
      best = i;
    }
    return { ...s, pct_of_starts: pct, drop_from_previous: drop, largest_drop: false };
  });
  if (best >= 0) steps[best]!.largest_drop = true;
  return { steps, largest_drop_step: best >= 0 ? steps[best]!.step_index : null };
}
