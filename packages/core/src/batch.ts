import type { BatchContext, WaymarkEvent } from './events';
import { utf8Length } from './transport/response';

/** A serialised batch and the number of events in it. */
export interface Body {
  body: string;
  count: number;
}

/**
 * Serialises events into `POST /api/ingest` batches of at most `max` UTF-8 bytes each, in order.
 * `ctx(first)` gives the context of each batch (the dropped counter rides on the first only).
 * An event larger than `max` on its own still goes out alone: the transport decides.
 */
export function toBodies(events: WaymarkEvent[], max: number, ctx: (first: boolean) => BatchContext): Body[] {
  const out: Body[] = [];
  let head = '';
  let parts: string[] = [];
  let n = 0;
  const end = () => {
    out.push({ body: head + parts.join(',') + ']}', count: parts.length });
    parts = [];
  };
  const start = () => {
    head = '{"schemaVersion":1,"context":' + JSON.stringify(ctx(!out.length)) + ',"events":[';
    n = head.length + 2;
  };
  start();
  for (const e of events) {
    const s = JSON.stringify(e);
    const l = utf8Length(s) + 1;
    if (parts.length && n + l > max) {
      end();
      start();
    }
    parts.push(s);
    n += l;
  }
  if (parts.length) end();
  return out;
}
