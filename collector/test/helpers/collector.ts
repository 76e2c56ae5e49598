/** Test helpers of the collector's own tests (re-exported from `src/testing.ts`). */
export { startTestCollector, TEST_API_KEY, TEST_CONFIG, type TestCollector, type TestCollectorOptions } from '../../src/testing';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The documented example batch, exactly. */
export function seedBatch(): { schemaVersion: 1; context: Record<string, unknown>; events: Record<string, unknown>[] } {
  const file = fileURLToPath(new URL('../../../packages/core/test/fixtures/seed-batch.json', import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** POSTs a JSON body (string or object) to `path`. */
export function post(url: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
  });
}

let n = 0;
/** A valid batch of `count` events for `test-org`/`test-journey` with unique ids. */
export function makeBatch(count: number, opts: { org?: string; journey?: string; prefix?: string; ts?: string; env?: string } = {}) {
  const org = opts.org ?? 'test-org';
  const journey = opts.journey ?? 'test-journey';
  const prefix = opts.prefix ?? `e${process.pid}_${Date.now().toString(36)}_${n++}`;
  const ts = opts.ts ?? new Date().toISOString();
  return {
    schemaVersion: 1 as const,
    context: { orgKey: org, journeyKey: journey, language: 'en-US', deviceClass: 'desktop', ...(opts.env ? { env: opts.env } : {}) },
    events: Array.from({ length: count }, (_, i) => ({
      _tag: i === 0 ? 'session_start' : 'step_view',
      schemaVersion: 1,
      id: `${prefix}_${i}`,
      ts,
      orgKey: org,
      journeyKey: journey,
      sessionId: `s_${prefix}`,
      clientId: `c_${prefix}`,
      url: 'https://app.example.com/apply',
      embedVersion: '1.0.0',
      ...(i === 0 ? {} : { stepKey: `step-${i % 5}` }),
    })),
  };
}
