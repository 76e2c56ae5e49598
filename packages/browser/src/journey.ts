/**
 * Journey state shared by the auto-tracking parts and the tracker's journey methods: the current
 * step, whether the journey was completed in this session, and a pending submit.
 */
import type { KeyValueStorage, Tracker } from '@waymark/core';
import { EMBED } from './build';
import { now } from './util';

/** When a submit attempt counts as a success without an explicit `submitSuccess()` call. */
export type SubmitSuccessOn = 'step' | 'url' | false;

export interface Journey {
  t: Tracker;
  /** current step key */
  step?: string;
  /** the journey was completed in this session (no more drop-off signals) */
  readonly done: boolean;
  /** step and form of the last submit attempt, until it is confirmed */
  pending?: { stepKey?: string; formKey?: string };
  /** makes `key` the current step and tracks `step_view` (nothing when it already is) */
  setStep(key: string): void;
  /** called before a new step or URL is tracked: confirms a pending submit when configured */
  advance(kind: 'step' | 'url'): void;
  /** tracks `session_end` with `completed: true` once per session */
  complete(): void;
  /** step tracking's scan: run before completing, so the step now on screen counts in the session it ends */
  scan?: () => void;
}

// the id of the session whose journey was completed: completion survives reloads within it
const KEY = 'wm_journey';

/** @internal */
export function createJourney(t: Tracker, storage: KeyValueStorage | undefined, successOn?: SubmitSuccessOn): Journey {
  // storage may throw (blocked, private mode): the state then lasts as long as the page
  let completed: string | null | undefined;
  // completed on this page: what follows it here (a confirmation step, page hide) is no drop-off
  let fin: boolean | undefined;
  try {
    completed = EMBED ? localStorage.getItem(KEY) : storage!.get(KEY);
  } catch {}
  const j: Journey = {
    t,
    get done() {
      return fin || completed == t.sessionId;
    },
    setStep(key) {
      if (key === j.step) return;
      j.advance('step');
      j.step = key;
      t.track('step_view', { stepKey: key });
    },
    advance(kind) {
      const p = j.pending;
      if (p && kind === successOn) {
        j.pending = undefined;
        t.track('submit_success', p);
      }
    },
    complete() {
      if (j.done) return;
      j.scan && j.scan();
      fin = true;
      try {
        EMBED ? localStorage.setItem(KEY, (completed = t.sessionId)) : storage!.set(KEY, (completed = t.sessionId));
      } catch {}
      t.track('session_end', { completed: true, durationMs: now() - t.sessionStart });
    },
  };
  return j;
}
