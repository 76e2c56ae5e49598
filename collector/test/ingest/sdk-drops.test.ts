import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBatch, post, startTestCollector, type TestCollector } from '../helpers/collector';

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(() => c.stop());

describe('drops reported by the SDKs', () => {
  it('counts context.dropped in /metrics by reason (unknown reasons as other, plain numbers as unspecified)', async () => {
    const a = makeBatch(2);
    const b = makeBatch(2);
    const legacy = makeBatch(2);
    expect((await post(c.url, '/api/ingest', { ...a, context: { ...a.context, dropped: { queue_overflow: 3, too_old: 2, rejected: 1 } } })).status).toBe(204);
    expect((await post(c.url, '/api/ingest', { ...b, context: { ...b.context, dropped: { queue_overflow: 4, made_up: 5 } } })).status).toBe(204);
    expect((await post(c.url, '/api/ingest', { ...legacy, context: { ...legacy.context, dropped: 7 } })).status).toBe(204);
    const m = await (await fetch(`${c.url}/metrics`)).text();
    expect(m).toMatch(/waymark_sdk_dropped_events_total\{reason="queue_overflow"\} 7/);
    expect(m).toMatch(/waymark_sdk_dropped_events_total\{reason="too_old"\} 2/);
    expect(m).toMatch(/waymark_sdk_dropped_events_total\{reason="rejected"\} 1/);
    expect(m).toMatch(/waymark_sdk_dropped_events_total\{reason="other"\} 5/);
    expect(m).toMatch(/waymark_sdk_dropped_events_total\{reason="unspecified"\} 7/);
  });
});
