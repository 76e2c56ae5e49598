import type { TrackerEvents } from './types';

type F = (p: never) => void;

/** Tiny event emitter; a throwing listener never reaches the tracker or the host. */
export function createEmitter() {
  const ls: Record<string, Set<F>> = {};
  return {
    on<E extends keyof TrackerEvents>(e: E, f: (p: TrackerEvents[E]) => void) {
      const s = (ls[e] ||= new Set());
      s.add(f as F);
      return () => void s.delete(f as F);
    },
    emit<E extends keyof TrackerEvents>(e: E, p: TrackerEvents[E]) {
      const s = ls[e];
      if (s)
        for (const f of s)
          try {
            (f as (p: TrackerEvents[E]) => void)(p);
          } catch {
            // a listener's bug is not the tracker's
          }
    },
  };
}
