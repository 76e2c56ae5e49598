import type { TrackerOptions } from './types';

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

const DEFAULTS = {
  env: 'prod',
  debug: false,
  flushAt: 20,
  flushBytes: 60000,
  flushInterval: 5000,
  sessionTimeout: 18e5,
  maxQueuedBatches: 100,
  maxQueueAge: 6048e5,
  respectDoNotTrack: false,
  respectGlobalPrivacyControl: true,
  version: '0.0.0',
} as const;

const fail = (name: string, what: string, got: unknown): never => {
  throw new TypeError(`[JourneyEmbed] expected ${name} to be ${what}, got ${typeof got == 'string' ? JSON.stringify(got) : got && typeof got == 'object' ? 'an object' : String(got)}`);
};

/** Applies defaults and throws on misconfiguration ("expected …, got …"). */
export function resolveOptions(o: TrackerOptions): ResolvedOptions {
  if (!o || typeof o != 'object') fail('options', 'an object', o);
  const r: Record<string, unknown> = { ...DEFAULTS };
  for (const k in o) if ((o as unknown as Record<string, unknown>)[k] !== undefined) r[k] = (o as unknown as Record<string, unknown>)[k];
  const str = (k: string) => (typeof r[k] == 'string' && r[k] ? 0 : fail(k, 'a non-empty string', r[k]));
  str('org');
  str('endpoint');
  if (r.journey !== undefined) str('journey');
  if (!['prod', 'staging', 'dev'].includes(r.env as string)) fail('env', '"prod", "staging" or "dev"', r.env);
  for (const k in DEFAULTS) {
    const v = r[k];
    if (typeof DEFAULTS[k as keyof typeof DEFAULTS] == 'number' && !(typeof v == 'number' && v > 0)) fail(k, 'a positive number', v);
  }
  const t = (o.platform || {}).transport;
  if (!t || typeof t.send != 'function') fail('platform.transport', 'an object with send()', t);
  return r as unknown as ResolvedOptions;
}
