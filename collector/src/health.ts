/**
 * What `GET /health` says, in one place: the store answers, the processor is not failing and not
 * behind, and no event waits in the dead letters. The lag and the dead letters are read from the
 * store, so they are true whichever process runs the processor (`--no-processor` collectors and
 * separate `processor` processes included); the failure count is this process's own processor.
 */
import type { CollectorDeps } from './deps';
import type { Store } from './store/types';

/** Consecutive failed runs after which the processor counts as failing (with backoff: a few seconds). */
export const FAILING_AFTER_RUNS = 3;

/** Seconds since the oldest event still waiting for the processor was stored; 0 when none waits. */
export async function processorLagSeconds(store: Store, now: () => number): Promise<number> {
  const oldest = await store.oldestPendingAt();
  return oldest === null ? 0 : Math.max(0, Math.round(now() - oldest) / 1000);
}

export interface HealthProblem {
  code: 'processor_failing' | 'processor_lagging' | 'dead_letters';
  message: string;
}

export interface Health {
  /** `ok`; `degraded` (200: serving, but dead letters need an admin); `failing` (503) */
  status: 'ok' | 'degraded' | 'failing';
  store: Store['engine'];
  processor: {
    /** false when this process runs no processor (separate processor processes do) */
    running: boolean;
    lag_seconds: number;
    max_lag_seconds: number;
    consecutive_failures: number;
    failing_since: string | null;
    last_error: string | null;
  };
  dead_letters: number;
  problems: HealthProblem[];
}

/** Assesses health; rejects when the store does not answer (the caller answers 503 store_unavailable). */
export async function checkHealth(deps: CollectorDeps): Promise<Health> {
  const { store } = deps;
  await store.ping();
  const [lag, deadLetters] = await Promise.all([processorLagSeconds(store, deps.now), store.deadLetters.count()]);
  const p = deps.processor.health();
  const maxLag = deps.config.processor.maxLagSeconds;
  const problems: HealthProblem[] = [];
  if (p && p.consecutiveFailures >= FAILING_AFTER_RUNS) {
    problems.push({ code: 'processor_failing', message: `the processor failed ${p.consecutiveFailures} runs in a row (retrying with backoff): ${p.lastError}` });
  }
  if (lag > maxLag) problems.push({ code: 'processor_lagging', message: `the oldest event waiting for the processor was stored ${lag} s ago (more than ${maxLag} s)` });
  if (deadLetters > 0) {
    problems.push({ code: 'dead_letters', message: `${deadLetters} event(s) could not be applied and wait in the dead letters (GET /v1/admin/dead-letters)` });
  }
  const failing = problems.some((x) => x.code !== 'dead_letters');
  return {
    status: failing ? 'failing' : problems.length ? 'degraded' : 'ok',
    store: store.engine,
    processor: {
      running: p !== undefined,
      lag_seconds: lag,
      max_lag_seconds: maxLag,
      consecutive_failures: p?.consecutiveFailures ?? 0,
      failing_since: p?.failingSince ? new Date(p.failingSince).toISOString() : null,
      last_error: p?.lastError ?? null,
    },
    dead_letters: deadLetters,
    problems,
  };
}
