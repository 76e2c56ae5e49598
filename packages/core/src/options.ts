import type { TrackerOptions } from './types';
import { EMBED } from './build';

/** The options with every default applied. */
export type ResolvedOptions = TrackerOptions &
  Required<
    Pick<
      TrackerOptions,
      | 'env'
      | 'debug'
      | 'flushAt'
      | 'flushBytes'
      | 'flushInterval'
      | 'sessionTimeout'
      | 'maxQueuedBatches'
      | 'maxQueueAge'
      | 'respectDoNotTrack'
      | 'respectGlobalPrivacyControl'
      | 'version'
    >
  >;

const NUMS = { flushAt: 20, flushBytes: 6e4, flushInterval: 5e3, sessionTimeout: 18e5, maxQueuedBatches: 100, maxQueueAge: 6048e5 };

/** Applies defaults and throws on misconfiguration ("expected …, got …"). */
export function resolveOptions(o: TrackerOptions): ResolvedOptions {
  // the embed passes its version, and honours Global Privacy Control without reading the option (its tag cannot set it)
  const r: Record<string, any> = { env: 'prod', ...(!EMBED && { respectGlobalPrivacyControl: true, version: '0.0.0' }), ...NUMS };
  for (const k in o) if (o[k as keyof TrackerOptions] != null) r[k] = o[k as keyof TrackerOptions];
  // the embed builds its platform itself
  for (const k of ['org', 'endpoint', 'env', ...(EMBED ? [] : ['platform']), ...Object.keys(NUMS)]) {
    const v = r[k];
    if (!(k in NUMS ? v > 0 : k == 'env' ? /^(prod|staging|dev)$/.test(v) : !EMBED && k == 'platform' ? v && v.transport : typeof v == 'string' && v))
      throw new TypeError('[JourneyEmbed] expected a valid ' + k + ', got ' + JSON.stringify(v));
  }
  // a copy of the platform with the runtime's clock and timers where it brings none, and no
  // privacy signals where it knows none (`Object()` is `{}`)
  r.platform = EMBED ? { now: Date.now, timers: globalThis, ...r.platform } : { now: Date.now, timers: globalThis, privacySignals: Object, ...r.platform };
  return r as ResolvedOptions;
}
