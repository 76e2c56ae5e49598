import type { Platform, SendResult, Transport } from '@waymark/core';
import type { Batch } from '@waymark/core/schema';

/** A transport that records every body and answers from a script (default: delivered). */
export function recorder(answers: Array<SendResult | (() => Promise<SendResult>)> = []) {
  const sent: Batch[] = [];
  const opts: unknown[] = [];
  const t: Transport & { sent: Batch[]; opts: unknown[]; answers: typeof answers } = {
    sent,
    opts,
    answers,
    async send(body, o) {
      sent.push(JSON.parse(body));
      opts.push(o);
      const a = answers.shift();
      return typeof a == 'function' ? a() : (a ?? { status: 'delivered' });
    },
  };
  return t;
}

/** A platform whose clock the test moves (`clock.t`), with vitest fake timers for timers. */
export function platform(over: Partial<Platform> = {}) {
  const transport = recorder();
  const p: Platform & { transport: ReturnType<typeof recorder> } = {
    transport,
    now: () => Date.now(),
    location: () => ({ url: 'https://grants.example.com/apply', referrer: 'https://google.com' }),
    context: () => ({ language: 'en-US', deviceClass: 'desktop' }),
    ...over,
  } as never;
  return p;
}

/** Lets promise chains run (fake timers do not advance microtasks by themselves). */
export const settle = async (n = 20) => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

export const tags = (b: Batch) => b.events.map((e) => e._tag);
