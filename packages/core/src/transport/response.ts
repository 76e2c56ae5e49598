import type { SendResult } from '../types';

/** Retry-After in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(v: string | null | undefined, now = Date.now()): number | undefined {
  // `+v` reads delta-seconds (and is NaN for a date); a date in the past means "now"
  const ms = v ? (+v >= 0 ? +v * 1e3 : Date.parse(v) - now) : NaN;
  return ms == ms ? Math.max(ms, 0) : undefined;
}

/**
 * The one status classifier of every SDK: 2xx delivered; 408, 429, 5xx (and no answer) retryable
 * with the Retry-After; any other 4xx rejected (a 413 is split by the queue, not dropped).
 */
export function fromStatus(code: number, retryAfter?: string | null): SendResult {
  if (code >= 200 && code < 300) return { status: 'delivered' };
  if (code == 408 || code == 429 || code >= 500 || code < 200) {
    const r: SendResult = { status: 'retryable', reason: 'http_' + code };
    const ms = parseRetryAfter(retryAfter);
    if (ms != null) r.retryAfterMs = ms;
    return r;
  }
  return { status: 'rejected', reason: 'http_' + code, code };
}
