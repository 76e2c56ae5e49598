import { vi } from 'vitest';
import type { Platform, SendResult, Transport } from '@waymark/core';
import type { Batch } from '@waymark/core/schema';

/** A transport that records every batch and answers from a script (default: delivered). */
export function recorder(answers: Array<SendResult | (() => Promise<SendResult>)> = []) {
  const sent: Batch[] = [];
  const bodies: string[] = [];
  const t = {
    sent,
    bodies,
    answers,
    async send(body: string) {
      bodies.push(body);
      sent.push(JSON.parse(body));
      const a = answers.shift();
      return typeof a == 'function' ? a() : (a ?? { status: 'delivered' });
    },
  } satisfies Transport & Record<string, unknown>;
  return t;
}

/** A platform with a recording transport; the clock and timers are vitest's fake ones. */
export function platform(over: Omit<Partial<Platform>, 'transport'> & { transport?: ReturnType<typeof recorder> } = {}) {
  return {
    transport: recorder(),
    location: () => ({ url: 'https://grants.example.com/apply', referrer: 'https://google.com' }),
    context: () => ({ language: 'en-US', deviceClass: 'desktop' as const }),
    ...over,
  } as Platform & { transport: ReturnType<typeof recorder> };
}

export const base = { org: 'your-org-slug', journey: 'grant-application', endpoint: 'https://x.test/api/ingest' };

/** Advances fake time and lets every promise chain settle. */
export const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

export const tags = (b: Batch) => b.events.map((e) => e._tag);
