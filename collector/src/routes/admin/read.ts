/** Runs a store read for an admin route: read-your-writes first, store failures as 503. */
import type { CollectorDeps } from '../../deps';
import { storeFailure } from '../../http/errors';

/**
 * Applies what this process has committed (so an answer includes every event already answered
 * 204), then runs `fn`. Client mistakes stay 4xx (a value the store refuses too: `storeFailure`);
 * anything else thrown here comes from the store (better-sqlite3 reports a closed connection as a
 * TypeError) and becomes a 503 with `Retry-After`; the error handler logs the cause.
 */
export async function storeRead<T>(deps: CollectorDeps, fn: () => Promise<T>): Promise<T> {
  try {
    await deps.processor.drain();
    return await fn();
  } catch (err) {
    throw storeFailure(err);
  }
}
