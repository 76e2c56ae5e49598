/**
 * How one processor loop is doing, and how long it waits after a failure: the one backoff of the
 * collector's processors (inline, worker thread, standalone `processor` command). Failures that
 * reach here are transient ones (lock, connection, busy): entries that cannot be applied go to
 * the dead letters instead of failing the run (`store/isolate.ts`).
 */

/** What `/health` reports of a processor loop. */
export interface ProcessorHealth {
  /** runs that failed in a row (0 after a success) */
  consecutiveFailures: number;
  /** when the current series of failures began (ms), null when the last run succeeded */
  failingSince: number | null;
  /** the last failure's message, null when the last run succeeded */
  lastError: string | null;
  /** when a run last succeeded (ms), null before the first */
  lastSuccessAt: number | null;
}

export interface RunTracker {
  succeeded(): void;
  /** Records a failure; returns how long to wait before the next automatic run (ms). */
  failed(err: unknown): number;
  /** How long automatic runs still wait (ms; 0 when not backing off). */
  waitMs(): number;
  health(): ProcessorHealth;
}

export interface RunTrackerOptions {
  /** wait after the first failure, ms (default 500); doubled per further failure */
  baseMs?: number;
  /** longest wait, ms (default 60000) */
  maxMs?: number;
  now?: () => number;
  random?: () => number;
}

/** Exponential backoff with jitter (the wait is 50-100 % of `baseMs · 2^(failures-1)`, capped). */
export function createRunTracker(opts: RunTrackerOptions = {}): RunTracker {
  const base = opts.baseMs ?? 500;
  const max = opts.maxMs ?? 60_000;
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const h: ProcessorHealth = { consecutiveFailures: 0, failingSince: null, lastError: null, lastSuccessAt: null };
  let retryAt = 0;
  return {
    succeeded() {
      h.consecutiveFailures = 0;
      h.failingSince = null;
      h.lastError = null;
      h.lastSuccessAt = now();
      retryAt = 0;
    },
    failed(err) {
      h.consecutiveFailures++;
      h.failingSince ??= now();
      h.lastError = String((err as Error)?.message ?? err).slice(0, 500);
      const cap = Math.min(max, base * 2 ** Math.min(h.consecutiveFailures - 1, 30));
      const wait = Math.round(cap * (0.5 + random() / 2));
      retryAt = now() + wait;
      return wait;
    },
    waitMs: () => Math.max(0, retryAt - now()),
    health: () => ({ ...h }),
  };
}
