/** Defaults and validation of the Node-only options (the core validates its own). */
import type { NodeTrackerOptions } from './types';

export const NODE_DEFAULTS = {
  maxQueuedBatches: 1_000,
  maxQueueAge: 7 * 24 * 3600 * 1000,
  requestTimeout: 10_000,
  gzipThreshold: 1_024,
  shutdownTimeout: 5_000,
} as const;

export type ResolvedNodeOptions = NodeTrackerOptions & { -readonly [K in keyof typeof NODE_DEFAULTS]: number };

const show = (v: unknown) => JSON.stringify(v) ?? typeof v;

function fail(name: string, expected: string, got: unknown): never {
  throw new TypeError(`[JourneyEmbed] expected ${name} to be ${expected}, got ${show(got)}`);
}

/** Applies the defaults; throws "expected …, got …" for a wrong value. */
export function resolveNodeOptions(options: NodeTrackerOptions): ResolvedNodeOptions {
  if (!options || typeof options !== 'object') fail('options', 'an object', options);
  const r = { ...NODE_DEFAULTS } as ResolvedNodeOptions;
  for (const [k, v] of Object.entries(options)) if (v !== undefined) (r as unknown as Record<string, unknown>)[k] = v;

  let url: URL | undefined;
  try {
    url = new URL(r.endpoint);
  } catch {
    /* reported below */
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) fail('endpoint', 'the http(s) URL of the ingest API', r.endpoint);
  for (const k of ['maxQueuedBatches', 'maxQueueAge', 'requestTimeout'] as const) {
    if (!(typeof r[k] === 'number' && r[k] > 0)) fail(k, 'a positive number', r[k]);
  }
  for (const k of ['gzipThreshold', 'shutdownTimeout'] as const) {
    if (!(typeof r[k] === 'number' && r[k] >= 0)) fail(k, 'a number of at least 0', r[k]);
  }
  if (r.spoolDir !== undefined && (typeof r.spoolDir !== 'string' || !r.spoolDir)) fail('spoolDir', 'a directory path', r.spoolDir);
  if (r.fetch !== undefined && typeof r.fetch !== 'function') fail('fetch', 'a function', typeof r.fetch);
  return r;
}
