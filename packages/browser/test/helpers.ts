/** A real core tracker over a recording transport, with the browser's journey and auto-tracking. */
import { createMemoryQueueStore, createMemoryStorage, createTracker, type Tracker, type WaymarkEvent } from '@waymark/core';
import { validateEvent } from '@waymark/core/schema';
import { autoTrack, type AutoTrackOptions } from '../src/auto/index';
import { browserPlatform } from '../src/platform';
import { createJourney, type Journey, type SubmitSuccessOn } from '../src/journey';

export interface Harness {
  t: Tracker;
  j: Journey;
  events: WaymarkEvent[];
  /** events of one type, as plain objects */
  of(tag: string): Record<string, unknown>[];
  tags(): string[];
  stop(): Promise<void>;
}

export function harness(o: { auto?: AutoTrackOptions; successOn?: SubmitSuccessOn; storage?: ReturnType<typeof createMemoryStorage> } = {}): Harness {
  const storage = o.storage ?? createMemoryStorage();
  const events: WaymarkEvent[] = [];
  const invalid: string[] = [];
  const t = createTracker({
    // beforeSend sees every event, session_start included (tracked before any listener exists)
    beforeSend: (e) => {
      // every event the browser code produces must be valid on the wire
      const r = validateEvent(JSON.parse(JSON.stringify(e)));
      if (!r.ok) invalid.push(`${e._tag}: ${r.error.path} ${r.error.message}`);
      events.push(e);
      return e;
    },
    org: 'acme',
    journey: 'signup',
    endpoint: 'http://127.0.0.1:9/api/ingest',
    flushInterval: 1e9,
    flushAt: 1e6,
    platform: {
      transport: { send: async () => ({ status: 'delivered' }) },
      storage,
      queueStore: createMemoryQueueStore(),
      location: browserPlatform('http://127.0.0.1:9/api/ingest').location,
    },
  });
  const j = createJourney(t, storage, o.successOn);
  t.use(autoTrack(j, o.auto));
  return {
    t,
    j,
    events,
    of: (tag) => events.filter((e) => e._tag === tag) as unknown as Record<string, unknown>[],
    tags: () => events.map((e) => e._tag),
    stop: async () => {
      await t.shutdown();
      if (invalid.length) throw new Error('invalid events on the wire: ' + invalid.join('; '));
    },
  };
}

/** Makes every read of `.value` on form controls (outside the DOM implementation) throw, and counts them. */
export function forbidValueReads(): { reads: () => number; restore: () => void } {
  let n = 0;
  const protos = [HTMLInputElement.prototype, HTMLTextAreaElement.prototype, HTMLSelectElement.prototype];
  const saved = protos.map((p) => [p, Object.getOwnPropertyDescriptor(p, 'value')] as const);
  for (const [p, d] of saved) {
    Object.defineProperty(p, 'value', {
      configurable: true,
      get() {
        const stack = new Error().stack || '';
        // happy-dom's own ValidityState reads it, as a browser reads its internal value
        if (stack.includes('happy-dom')) return d?.get?.call(this);
        n++;
        throw new Error('.value was read');
      },
      set(v) {
        d?.set?.call(this, v);
      },
    });
  }
  return {
    reads: () => n,
    restore: () => saved.forEach(([p, d]) => d && Object.defineProperty(p, 'value', d)),
  };
}
