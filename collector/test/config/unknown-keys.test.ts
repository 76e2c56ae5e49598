/** Misspelled configuration keys are refused with their path and the key they most likely meant. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema';
import { didYouMean } from '../../src/config/strict';

const org = { key: 'acme', apiKeys: ['sk_live_0123456789abcdef'] };

describe('configuration: unknown keys', () => {
  it.each([
    [{ orgs: [{ ...org, journey: [{ key: 'signup' }] }] }, 'orgs[0].journey: unknown key "journey" (did you mean "journeys"?)'],
    [{ orgs: [{ ...org, journeys: [{ key: 'signup', allowedOrigin: ['https://a.example'] }] }] }, 'orgs[0].journeys[0].allowedOrigin: unknown key "allowedOrigin" (did you mean "allowedOrigins"?)'],
    [{ orgs: [{ ...org, apikeys: ['x'] }] }, 'orgs[0].apikeys: unknown key "apikeys" (did you mean "apiKeys"?)'],
    [{ retention: { sdkDay: 30 } }, 'retention.sdkDay: unknown key "sdkDay" (did you mean "sdkDays"?)'],
    [{ logLevl: 'debug' }, 'logLevl: unknown key "logLevl" (did you mean "logLevel"?)'],
    [{ orgs: [{ ...org, rateLimit: { request: 5 } }] }, 'orgs[0].rateLimit.request: unknown key "request" (did you mean "requests"?)'],
    [{ orgs: [{ ...org, jwt: { secrett: 'x'.repeat(40) } }] }, 'orgs[0].jwt.secrett: unknown key "secrett" (did you mean "secret"?)'],
  ])('%j is refused', (input, message) => {
    expect(() => parseConfig(input)).toThrow(`invalid configuration: ${message}`);
  });

  it('lists the keys it knows, and suggests nothing for a key unlike any', () => {
    expect(() => parseConfig({ color: 'blue' })).toThrow(/^invalid configuration: color: unknown key "color"; expected one of "orgs", "limits", /);
  });

  it('names every unknown key of one object', () => {
    expect(() => parseConfig({ orgs: [{ ...org, journey: [], site: [] }] })).toThrow(
      'invalid configuration: orgs[0]: unknown key "journey" (did you mean "journeys"?), unknown key "site" (did you mean "sites"?)',
    );
  });

  it('the demo and documented configurations still parse', () => {
    expect(parseConfig({ orgs: [{ ...org, journeys: [{ key: 'signup', allowedOrigins: ['https://a.example'] }], sites: ['a.example'] }] }).orgs[0]!.journeys).toHaveLength(1);
  });

  it('suggests only what is close enough to be a typo', () => {
    expect(didYouMean('journey', ['key', 'journeys', 'sites'])).toBe('journeys');
    expect(didYouMean('url', ['key', 'schema', 'poolSize'])).toBeUndefined();
    expect(didYouMean('SITES', ['key', 'sites'])).toBe('sites');
  });
});
