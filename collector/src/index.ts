/**
 * `@waymark/collector`: the reference collector. See the README for configuration and endpoints.
 */
export { createCollector, defaultDataDir, type Collector, type CollectorOptions } from './app';
export { startServer, type RunningServer, type ServerOptions } from './server';
export { parseConfig, configSchema, type CollectorConfig, type ConfigInput, type OrgConfig, type JourneyConfig, type RateLimitConfig } from './config/schema';
export { loadConfig, readConfigFile, demoConfig, type LoadedConfig } from './config/load';
export { createSqliteStore, type SqliteStore, type SqliteStoreOptions } from './store/sqlite/index';
export type * from './store/types';
export { rawKey } from './store/types';
export { aggregate } from './rollups/aggregate';
export { mergePixelRecord } from './rollups/pixel';
export { createRateLimiter, memoryBackend, type RateLimiter, type LimiterBackend } from './http/rate-limit';
export { adminAuth, type AdminLocals } from './auth/admin';
export type { CollectorDeps } from './deps';
