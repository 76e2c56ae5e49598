/** Retry timing of the Node delivery queue. */

/** How long to wait between attempts. Every value is in milliseconds. */
export interface BackoffOptions {
  /** first delay after a failure; default 1 000 */
  baseDelay?: number;
  /** longest delay between attempts; default 60 000 */
  maxDelay?: number;
  /** a collector's Retry-After is honoured up to this long; default 60 000 */
  maxRetryAfter?: number;
}

export const BACKOFF_DEFAULTS: Required<BackoffOptions> = { baseDelay: 1_000, maxDelay: 60_000, maxRetryAfter: 60_000 };

/**
 * Delay before attempt number `attempts + 1`. A Retry-After from the collector wins (capped, so a
 * misconfigured proxy cannot park the queue for a day); otherwise exponential backoff with jitter
 * between half and the full delay, so that many servers restarting together do not retry in step.
 */
export function retryDelay(attempts: number, retryAfterMs: number | undefined, options: Required<BackoffOptions>, random = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), options.maxRetryAfter);
  const exp = Math.min(options.maxDelay, options.baseDelay * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}
