import type { SendResult, Transport } from '../types';
import { EMBED } from '../build';

/** Options of {@link createBeaconTransport}. */
export interface BeaconTransportOptions {
  /** ingest URL */
  endpoint: string;
  /** `navigator.sendBeacon.bind(navigator)` (it throws "Illegal invocation" when unbound) */
  sendBeacon: (url: string, data?: BodyInit | null) => boolean;
}

/**
 * A {@link Transport} over `navigator.sendBeacon`, for page hide. The body is sent as a string,
 * which the browser labels `text/plain;charset=UTF-8`: a CORS-safelisted type, so no preflight.
 * The browser only says whether it queued the request: `true` counts as delivered, `false`
 * (over the 64 KiB beacon quota, or refused) as retryable so the batch stays in the queue.
 */
export function createBeaconTransport(o: BeaconTransportOptions): Transport {
  return {
    async send(body): Promise<SendResult> {
      try {
        // the embed's is the browser's own
        if (EMBED ? navigator.sendBeacon(o.endpoint, body) : o.sendBeacon(o.endpoint, body)) return { status: 'delivered' };
      } catch {
        // an invalid URL or a detached document: keep the batch for a later fetch
      }
      return { status: 'retryable', reason: 'beacon_refused' };
    },
  };
}
