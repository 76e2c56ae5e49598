/** The longest wait a Retry-After may impose (one hour), and the longest backoff (five minutes). */
const RETRY_AFTER_MAX = 36e5;
const BACKOFF_MAX = 3e5;

/**
 * The one retry policy of every SDK: after `attempts` failures wait 1 s, 2 s, 4 s … up to 5 min,
 * jittered up to twice that so that many clients coming back together do not retry in step;
 * never less than the collector's Retry-After (capped at an hour, so a misconfigured proxy cannot
 * park a queue for a day).
 */
export const retryDelay = (attempts: number, retryAfterMs = 0): number =>
  Math.max(Math.min(retryAfterMs, RETRY_AFTER_MAX), Math.min(BACKOFF_MAX, 500 * 2 ** attempts) * (1 + Math.random()));
