/** A validated batch → the store's raw rows. Nothing from the request (IP, headers) is added. */
import type { ValidBatch } from '@waymark/core/schema';
import { contentOf } from '../rollups/content';
import type { RawEvent } from '../store/types';

export function toRawEvents(batch: ValidBatch): RawEvent[] {
  const env = batch.context.env;
  return batch.events.map((e) => {
    const c = contentOf(e);
    return {
      orgKey: e.orgKey,
      env,
      contentKind: c.kind,
      contentId: c.id,
      ts: Date.parse(e.ts),
      eventId: e.id,
      sessionId: e.sessionId,
      clientId: e.clientId,
      type: e._tag,
      source: 'sdk',
      json: JSON.stringify(e),
    };
  });
}
