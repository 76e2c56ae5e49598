/** Group commit of appended batches (see {@link groupCommit}). */
import { classifyStoreError } from '../errors';
import type { AppendResult, RawEvent } from '../types';

/**
 * Collects the batches of one event-loop turn and writes them with one call of `write` (one
 * transaction) on `setImmediate`, i.e. after the I/O callbacks that delivered them. If the
 * transaction fails, none of it was committed: an error of the data (a constraint: see
 * `classifyStoreError`) is retried batch by batch (only the offending batch fails), any other
 * error (busy, disk full, closed) rejects every batch.
 */
export function groupCommit(write: (batches: readonly (readonly RawEvent[])[]) => AppendResult[]): (events: readonly RawEvent[]) => Promise<AppendResult> {
  let queue: { events: readonly RawEvent[]; resolve: (r: AppendResult) => void; reject: (e: unknown) => void }[] = [];
  const flush = () => {
    const taken = queue;
    queue = [];
    try {
      const results = write(taken.map((q) => q.events));
      taken.forEach((q, i) => q.resolve(results[i]!));
    } catch (err) {
      // a row one batch could not store must not fail the others: each alone, in its own transaction
      const perBatch = taken.length > 1 && classifyStoreError(err) === 'data';
      for (const q of taken) {
        if (!perBatch) q.reject(err);
        else {
          try {
            q.resolve(write([q.events])[0]!);
          } catch (e) {
            q.reject(e);
          }
        }
      }
    }
  };
  return (events) =>
    new Promise((resolve, reject) => {
      if (queue.push({ events, resolve, reject }) === 1) setImmediate(flush);
    });
}
