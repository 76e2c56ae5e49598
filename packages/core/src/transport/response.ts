import type { SendResult } from '../types';

/** Retry-After in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(v: string | null | undefined, now = Date.now()): number | undefined {
  if (!v) return;
  const ms = /^\s*\d+\s*$/.test(v) ? +v * 1000 : Date.parse(v) - now;
  return ms >= 0 ? ms : ms < 0 ? 0 : undefined;
}

/** Maps an HTTP status to the send contract: 2xx delivered, 429/5xx retryable, other 4xx rejected. */
export function fromStatus(code: number, retryAfter?: string | null): SendResult {
  if (code >= 200 && code < 300) return { status: 'delivered' };
  if (code == 429 || code >= 500 || code < 200) {
    const r: SendResult = { status: 'retryable', reason: 'http_' + code };
    const ms = parseRetryAfter(retryAfter);
    if (ms != null) r.retryAfterMs = ms;
    return r;
  }
  return { status: 'rejected', reason: 'http_' + code, code };
}

/** UTF-8 length of a string (surrogate pairs count 6, an over-estimate that is safe for limits). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) n += c > 2047 ? 2 : 1;
  }
  return n;
}
