/**
 * Failure isolation of the processor's apply step, for both engines. A claim is applied inside a
 * savepoint; when that fails for a reason retrying cannot fix (`classifyStoreError` says `data` or
 * `unknown`), the claim is applied again in halves, each in its own savepoint, down to single
 * events, so that only the events that fail on their own are left out (they go to the dead
 * letters) and everything else of the claim is applied, in claim order. A transient error (lock,
 * connection, busy) is thrown as it is: the caller's whole transaction rolls back and is retried.
 *
 * Applying in parts gives the same result as applying at once: counters add up, and every other
 * part of the apply step already works claim by claim (a claim is any slice of the outbox).
 * A claim with one bad event costs about 2·log2(n) extra attempts; one where every event fails, 2n.
 *
 * The plan is written once, as a generator that yields the parts to attempt and is told how each
 * attempt went; `isolateSync` (SQLite, whose transactions are synchronous) and `isolateAsync`
 * (PostgreSQL) only drive it.
 */
import type { StoredEvent } from './types';
import { classifyStoreError } from './errors';

/** An event that failed to apply on its own, with the error. */
export interface FailedEntry {
  event: StoredEvent;
  error: unknown;
}

type Plan = Generator<StoredEvent[], FailedEntry[], unknown>;

function* plan(events: StoredEvent[]): Plan {
  const failed: FailedEntry[] = [];
  function* attempt(part: StoredEvent[]): Generator<StoredEvent[], void, unknown> {
    const error = yield part; // undefined: applied
    if (error === undefined) return;
    if (part.length === 1) {
      failed.push({ event: part[0]!, error });
      return;
    }
    const mid = part.length >> 1;
    yield* attempt(part.slice(0, mid));
    yield* attempt(part.slice(mid));
  }
  yield* attempt(events);
  return failed;
}

/** Rethrows what a retry can fix; returns what it cannot (the attempt's verdict for the plan). */
function verdict(err: unknown): unknown {
  if (classifyStoreError(err) === 'transient') throw err;
  return err ?? new Error('apply step failed');
}

/**
 * Applies `events` with `apply`, each attempt inside `savepoint` (which must roll its part back
 * and rethrow when it throws). Resolves to the events that failed alone; throws transient errors.
 */
export function isolateSync(events: StoredEvent[], apply: (part: StoredEvent[]) => void, savepoint: (fn: () => void) => void): FailedEntry[] {
  const p = plan(events);
  for (let step = p.next(); ; ) {
    if (step.done) return step.value;
    const part = step.value;
    let error: unknown;
    try {
      savepoint(() => apply(part));
    } catch (err) {
      error = verdict(err);
    }
    step = p.next(error);
  }
}

/** {@link isolateSync} for a store whose statements are asynchronous. */
export async function isolateAsync(
  events: StoredEvent[],
  apply: (part: StoredEvent[]) => Promise<void>,
  savepoint: (fn: () => Promise<void>) => Promise<void>,
): Promise<FailedEntry[]> {
  const p = plan(events);
  for (let step = p.next(); ; ) {
    if (step.done) return step.value;
    const part = step.value;
    let error: unknown;
    try {
      await savepoint(() => apply(part));
    } catch (err) {
      error = verdict(err);
    }
    step = p.next(error);
  }
}
