/**
 * Journey state shared by the auto-tracking parts and the tracker's journey methods: the current
 * step, whether the journey was completed, the session's start time and a pending submit.
 */
import type { KeyValueStorage, Tracker } from '@waymark/core';
import { now } from './util';

/** When a submit attempt counts as a success without an explicit `submitSuccess()` call. */
export type SubmitSuccessOn = 'step' | 'url' | false;

export interface Journey {
  t: Tracker;
  /** current step key */
  step?: string;
  /** the journey was completed in this session (no more drop-off signals) */
  done?: boolean;
  /** step and form of the last submit attempt, until it is confirmed */
  pending?: { stepKey?: string; formKey?: string };
  /** makes `key` the current step and tracks `step_view` (nothing when it already is) */
  setStep(key: string): void;
  /** called before a new step or URL is tracked: confirms a pending submit when configured */
  advance(kind: 'step' | 'url'): void;
  /** tracks `session_end` with `completed: true` once per session */
  complete(): void;
}

const KEY = 'wm_journey';

/** @internal */
export function createJourney(t: Tracker, storage: KeyValueStorage | undefined, successOn: SubmitSuccessOn = false): Journey {
  // [sessionId, startedAt, done] survives reloads so the session's duration and completion do too
  let saved: [string, number, 0 | 1] | undefined;
  try {
    saved = JSON.parse(storage?.get(KEY) || '0') || undefined;
  } catch {
    // unreadable: start afresh
  }
  const sync = () => {
    if (saved?.[0] !== t.sessionId) saved = [t.sessionId, now(), 0];
    j.done = !!saved[2];
    try {
      storage?.set(KEY, JSON.stringify(saved));
    } catch {
      // blocked storage: the state lasts as long as the page
    }
    return saved;
  };
  const j: Journey = {
    t,
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
      const s = sync();
      if (s[2]) return;
      s[2] = 1;
      sync();
      t.track('session_end', { completed: true, durationMs: now() - s[1] });
    },
  };
  sync();
  t.on('session', sync);
  return j;
}
