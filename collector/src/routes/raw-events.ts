/** A validated batch → the store's raw rows. Nothing from the request (IP, headers) is added. */
import type { ValidBatch } from '@waymark/core/schema';
import { contentOf } from '../rollups/content';
import type { RawEvent } from '../store/types';

export function toRawEvents(batch: ValidBatch): RawEvent[] {
  const env = batch.context.env;
  // a session's device class and language come from its batch context: kept on its session_start,
  // the event the journey read model takes them from (and a rebuild finds them again)
  const { deviceClass, language } = batch.context;
  const context = deviceClass !== undefined || language !== undefined ? { deviceClass, language } : undefined;
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
      json: JSON.stringify(context && e._tag === 'session_start' ? { ...e, context } : e),
    };
  });
}
