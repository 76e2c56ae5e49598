import type { SendResult, Transport } from '../types';
import { EMBED } from '../build';
import { fromStatus } from './response';

/** Options of {@link createFetchTransport}. */
export interface FetchTransportOptions {
  /** ingest URL */
  endpoint: string;
  /** fetch implementation; default the global `fetch`, looked up at send time */
  fetch?: typeof fetch;
  /** send with `keepalive` so the request outlives the page; default true */
  keepalive?: boolean;
}

/** Browsers refuse keepalive bodies above 64 KiB (the quota is shared by all in-flight keepalive requests). */
const KEEPALIVE_MAX = 65536;

/**
 * A {@link Transport} over `fetch`, with `keepalive` so that a batch sent while the page unloads
 * still arrives. Bodies too large for keepalive, and a keepalive request the browser refuses
 * (its in-flight quota is shared), go out as a normal request. The body is a string,
 * which fetch labels `text/plain;charset=UTF-8`: a CORS-safelisted type, so no preflight (which is
 * also why there is no option for extra headers). A refused batch's reason carries the status and
 * the collector's error code and message (`http_403 origin_not_allowed: …`). Never rejects.
 */
export function createFetchTransport(o: FetchTransportOptions): Transport {
  return {
    async send(body): Promise<SendResult> {
      // the embed's transport is the browser's own
      const post = (keepalive: boolean) => (EMBED ? fetch : o.fetch || fetch)(o.endpoint, { method: 'POST', body, keepalive });
      try {
        // The browser refuses a keepalive body over its quota, and Chromium frees a request's share
        // only some time after its answer, so the next large one can fail at once ("Failed to
        // fetch") on a healthy network: a refused send goes again as a plain request instead of
        // counting as a failure (a plain one that fails also goes twice). Hence no UTF-8 count
        // here: a body of more than 64 Ki UTF-16 units has more bytes than that too.
        const res = await post((EMBED || o.keepalive !== false) && body.length <= KEEPALIVE_MAX).catch(() => post(false));
        const r = fromStatus(res.status, res.headers.get('retry-after'));
        // the collector's JSON reason (`{"error":{"code":…,"message":…}}`), for the debug log
        if (r.status == 'rejected') r.reason += ' ' + (await res.text());
        return r;
      } catch {
        return { status: 'retryable', reason: 'network_error' };
      }
    },
  };
}
