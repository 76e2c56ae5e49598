import type { TourPersistence, TourStatus } from './types';

/** A tour's progress: what `useTour` renders and what it keeps across reloads. */
export interface TourProgress {
  status: TourStatus;
  stepIndex: number;
  /** increases on every start and restart, so each run resolves its targets afresh */
  run: number;
  /** steps whose StepViewed / StepCompleted this run already recorded (never twice per run) */
  viewed: number[];
  completed: number[];
}

export const IDLE: TourProgress = { status: 'idle', stepIndex: 0, run: 0, viewed: [], completed: [] };

const keyOf = (tourId: string) => `waymark:tour:${tourId}`;

function storageOf(persist: TourPersistence): Storage | undefined {
  try {
    // `window.noneStorage` does not exist: 'none' keeps progress in memory only
    return (window as unknown as Record<string, Storage | undefined>)[`${persist}Storage`];
  } catch {
    return undefined; // no window (server) or storage disabled (privacy mode, sandboxed iframe): progress lives in memory only
  }
}

/** Reads saved progress; anything unreadable or not matching `stepCount` counts as none. */
export function loadProgress(persist: TourPersistence, tourId: string, stepCount: number): TourProgress | null {
  try {
    const p = JSON.parse(storageOf(persist)?.getItem(keyOf(tourId)) || '{}') as TourProgress;
    // Only what could break the tour is checked: a stale step index after the steps changed, or a
    // corrupted entry. Saved progress is never idle (it is written on a transition).
    const ok =
      /^(active|completed|dismissed)$/.test(p.status) &&
      p.stepIndex >= 0 &&
      p.stepIndex < stepCount &&
      Number.isInteger(p.stepIndex + p.run) &&
      [p.viewed, p.completed].every(Array.isArray);
    return ok ? p : null;
  } catch {
    return null;
  }
}

/** Saves progress; a full or disabled storage only costs persistence, never an error. */
export function saveProgress(persist: TourPersistence, tourId: string, progress: TourProgress): void {
  try {
    storageOf(persist)?.setItem(keyOf(tourId), JSON.stringify(progress));
  } catch {
    // quota exceeded or storage disabled
  }
}
