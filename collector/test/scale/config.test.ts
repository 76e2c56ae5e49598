/** Choosing PostgreSQL and Redis is configuration only: file values, environment overrides, clear errors. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema';
import { describeStore, withEnvironment } from '../../src/scale-out';

describe('scale-out configuration', () => {
  it('defaults to SQLite and in-memory limits', () => {
    const c = withEnvironment(parseConfig({}), {});
    expect(c.database.url).toBeUndefined();
    expect(c.redis.url).toBeUndefined();
    expect(describeStore(c, '/data')).toBe('/data/waymark.db');
  });

  it('takes DATABASE_URL, WAYMARK_DATABASE_SCHEMA and REDIS_URL over the file', () => {
    const file = parseConfig({ database: { url: 'postgres://a@file:5432/x' }, redis: { url: 'redis://file:6379' } });
    const c = withEnvironment(file, { DATABASE_URL: 'postgres://b@env:5432/y', WAYMARK_DATABASE_SCHEMA: 'tenant_1', REDIS_URL: 'redis://env:6379' });
    expect(c.database).toEqual({ url: 'postgres://b@env:5432/y', schema: 'tenant_1', poolSize: 10 });
    expect(c.redis).toEqual({ url: 'redis://env:6379', keyPrefix: 'waymark:rl:' });
    expect(describeStore(c, '/data')).toBe('postgres://env:5432/y (schema tenant_1)');
    expect(withEnvironment(file, {}).database.url).toBe('postgres://a@file:5432/x');
  });

  it('names the wrong value', () => {
    expect(() => parseConfig({ database: { url: 'mysql://x' } })).toThrow(/database\.url: expected a URL such as "postgres:/);
    expect(() => parseConfig({ database: { url: 'postgres://x/y', schema: 'Bad-Name' } })).toThrow(/database\.schema: expected a schema name/);
    expect(() => parseConfig({ redis: { url: 'http://x' } })).toThrow(/redis\.url: expected a URL such as "redis:/);
  });
});
