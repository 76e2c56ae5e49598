/**
 * The configuration file (`WAYMARK_CONFIG` or `--config`): every value, its default and its
 * validation. Errors name the wrong value, e.g. `orgs[0].journeys[1].key: expected a string, got number`,
 * and refuse unknown keys: `orgs[0].journey: unknown key "journey" (did you mean "journeys"?)`.
 */
import { z } from 'zod';
import { strictObject } from './strict';

const slug = z.string().regex(/^[A-Za-z0-9][\w.:-]{0,127}$/, 'expected a key of letters, digits, _ . : - (128 at most)');
const origin = z.string().regex(/^https?:\/\/[^/\s?#]+$/, 'expected an origin such as "https://app.example.com" (scheme and host, no path)');
const positive = z.number().int().positive();

/** A rate limit: `requests` per `perSeconds`. */
export const rateLimitSchema = strictObject({
  requests: positive.default(1000),
  perSeconds: positive.default(3600),
});

export const journeySchema = strictObject({
  key: slug,
  /** origins allowed to send events for this journey; empty or absent = any origin */
  allowedOrigins: z.array(origin).optional(),
  /** the journey's steps (step keys) in order: journey analytics lists its steps in this order */
  steps: z.array(z.string().min(1).max(128)).max(200).optional(),
});

/** JWT verification of the admin API (jose): an HMAC secret or a JWKS URL, optional issuer/audience. */
export const jwtSchema = strictObject({
  /** HS256/384/512 shared secret, at least 32 characters */
  secret: z.string().min(32, 'expected a JWT secret of at least 32 characters').optional(),
  /** URL of a JSON Web Key Set (RS*, ES*, EdDSA keys) */
  jwksUrl: z.url().optional(),
  /** required `iss` claim */
  issuer: z.string().min(1).optional(),
  /** required `aud` claim */
  audience: z.string().min(1).optional(),
}).refine((j) => (j.secret === undefined) !== (j.jwksUrl === undefined), { message: 'expected exactly one of secret or jwksUrl' });

export const orgSchema = strictObject({
  key: slug,
  /** secret keys for the admin API (`X-API-Key`); at least one */
  apiKeys: z.array(z.string().min(16, 'expected an API key of at least 16 characters')).min(1),
  /** per org and journey (pixel: per org and site); default 1000 requests per hour */
  rateLimit: rateLimitSchema.default({ requests: 1000, perSeconds: 3600 }),
  /** origins allowed for every journey without its own list; also the org's "known" origins */
  allowedOrigins: z.array(origin).default([]),
  journeys: z.array(journeySchema).default([]),
  /** pixel sites (`si`) this org owns */
  sites: z.array(z.string().min(1).max(253)).default([]),
  /** admin API: when set, `Authorization: Bearer <jwt>` is required in addition to `X-API-Key` */
  jwt: jwtSchema.optional(),
});

export const configSchema = strictObject({
  orgs: z.array(orgSchema).default([]),
  limits: strictObject({
    /** request body limit, applied after gzip decompression */
    maxBodyBytes: positive.default(1024 * 1024),
    maxEventsPerBatch: positive.default(500),
  }).default({ maxBodyBytes: 1024 * 1024, maxEventsPerBatch: 500 }),
  /** requests carrying an Origin no journey or org lists, per origin */
  unknownOriginRateLimit: rateLimitSchema.default({ requests: 20, perSeconds: 60 }),
  retention: strictObject({
    sdkDays: positive.default(90),
    pixelDays: positive.default(60),
    activityDays: positive.default(90),
    purgeIntervalMinutes: positive.default(60),
  }).default({ sdkDays: 90, pixelDays: 60, activityDays: 90, purgeIntervalMinutes: 60 }),
  processor: strictObject({
    /** outbox rows claimed per processor transaction */
    batchSize: positive.default(2000),
    /** `worker`: a worker thread with its own SQLite connection; `inline`: on the request thread */
    mode: z.enum(['worker', 'inline']).default('inline'),
    /** `/health` answers 503 when the oldest event waiting for the processor is older than this (s) */
    maxLagSeconds: positive.default(300),
  }).default({ batchSize: 2000, mode: 'inline', maxLagSeconds: 300 }),
  sqlite: strictObject({
    /** NORMAL survives process crashes; FULL also survives power loss (slower) */
    synchronous: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
  }).default({ synchronous: 'NORMAL' }),
  /**
   * PostgreSQL instead of the embedded SQLite, for several collectors on one database
   * (`DATABASE_URL` and `WAYMARK_DATABASE_SCHEMA` override `url` and `schema`).
   */
  database: strictObject({
    url: z.string().regex(/^postgres(ql)?:\/\//i, 'expected a URL such as "postgres://user@host:5432/db"').optional(),
    /** schema to use (created if missing); default: the connection's search_path (`public`) */
    schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a schema name of lower-case letters, digits and _').optional(),
    poolSize: positive.default(10),
  }).default({ poolSize: 10 }),
  /** Redis for rate limits shared by every collector process (`REDIS_URL` overrides `url`); in memory without */
  redis: strictObject({
    url: z.string().regex(/^rediss?:\/\//i, 'expected a URL such as "redis://127.0.0.1:6379"').optional(),
    keyPrefix: z.string().min(1).default('waymark:rl:'),
  }).default({ keyPrefix: 'waymark:rl:' }),
  /** seconds announced in `Retry-After` when the store is unavailable */
  storeRetryAfterSeconds: positive.default(5),
  /** pino level: fatal, error, warn, info, debug, trace, silent */
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** The configuration file as written. */
export type ConfigInput = z.input<typeof configSchema>;
/** The configuration with every default applied. */
export type CollectorConfig = z.output<typeof configSchema>;
export type OrgConfig = z.output<typeof orgSchema>;
export type JwtConfig = z.output<typeof jwtSchema>;
export type JourneyConfig = z.output<typeof journeySchema>;
export type RateLimitConfig = z.output<typeof rateLimitSchema>;

const pathOf = (p: readonly PropertyKey[]) =>
  p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');

/** Validates a configuration object; throws `Error("invalid configuration: <path>: <problem>")`. */
export function parseConfig(input: unknown): CollectorConfig {
  const r = configSchema.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0]!;
    // an unknown key's path is its object's: name the key itself when it is the only one
    const path = i.code === 'unrecognized_keys' && i.keys.length === 1 ? [...i.path, i.keys[0]!] : i.path;
    throw new Error(`invalid configuration: ${pathOf(path) || '(root)'}: ${i.message}`);
  }
  const seen = new Set<string>();
  for (const [i, o] of r.data.orgs.entries()) {
    if (seen.has(o.key)) throw new Error(`invalid configuration: orgs[${i}].key: expected a unique org key, got "${o.key}" twice`);
    seen.add(o.key);
  }
  return r.data;
}
