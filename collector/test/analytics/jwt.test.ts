/**
 * Orgs that configure a JWT secret or a JWKS URL need `Authorization: Bearer <jwt>` in addition
 * to `X-API-Key` on every admin route (verified with jose); the JWT subject becomes the audit actor.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, OTHER_KEY, ORG, baseConfig, startHarness, type Harness } from './harness';

const SECRET = 'a-shared-secret-of-at-least-32-characters!';
let h: Harness;
let jwks: Server;
let jwksUrl: string;
let keys: Awaited<ReturnType<typeof generateKeyPair>>;
const hs = (claims: Record<string, unknown> = {}, exp: string | number = '5m') =>
  new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256' }).setSubject('alice@acme').setIssuer('acme-idp').setIssuedAt().setExpirationTime(exp).sign(new TextEncoder().encode(SECRET));

beforeAll(async () => {
  keys = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'ES256' };
  jwks = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
  const cfg = baseConfig();
  cfg.orgs![0] = { ...cfg.orgs![0]!, jwt: { secret: SECRET, issuer: 'acme-idp' } };
  cfg.orgs![1] = { ...cfg.orgs![1]!, jwt: { jwksUrl } };
  h = await startHarness({ config: cfg });
});
afterAll(async () => {
  await h?.close();
  await new Promise((r) => jwks?.close(r));
});

// a route that answers 200 without data (an unknown tour would be a 404 once signed in)
const path = '/analytics/overview?date_from=2025-05-01&date_to=2025-05-02';

describe('JWT in addition to the API key', () => {
  it('is required, verified and checked for issuer, expiry and org', async () => {
    const none = await h.admin(path);
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('jwt_required');
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const bad = await h.admin(path, { headers: { authorization: 'Bearer a.b.c' } });
    expect([bad.status, bad.body.error.code]).toEqual([401, 'invalid_jwt']);
    const expired = await h.admin(path, { headers: { authorization: `Bearer ${await hs({}, Math.floor(Date.now() / 1000) - 60)}` } });
    expect(expired.body.error.code).toBe('invalid_jwt');
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('acme-idp').setExpirationTime('5m').sign(new TextEncoder().encode('another-secret-of-at-least-32-characters'));
    expect((await h.admin(path, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    const otherOrg = await h.admin(path, { headers: { authorization: `Bearer ${await hs({ org: 'other' })}` } });
    expect([otherOrg.status, otherOrg.body.error.code]).toEqual([403, 'forbidden']);
    const ok = await h.admin(path, { headers: { authorization: `Bearer ${await hs({ org: ORG })}` } });
    expect(ok.status).toBe(200);
    // a JWT alone is not enough: the API key stays required
    expect((await h.admin(path, { key: null, headers: { authorization: `Bearer ${await hs()}` } })).status).toBe(401);
  });

  it('the JWT subject is the audit actor', async () => {
    const auth = { authorization: `Bearer ${await hs()}` };
    await h.admin('/users/someone', { method: 'DELETE', headers: auth });
    const a = await h.admin('/audit', { headers: auth });
    expect(a.body.data[0]).toMatchObject({ action: 'delete_user', target: 'someone', actor: 'jwt:alice@acme' });
  });

  it('verifies against a JWKS URL', async () => {
    const es = (key: CryptoKey | Uint8Array) => new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject('bob').setExpirationTime('5m').sign(key);
    const ok = await h.admin(path, { key: OTHER_KEY, headers: { authorization: `Bearer ${await es(keys.privateKey)}` } });
    expect(ok.status).toBe(200);
    const stranger = await generateKeyPair('ES256');
    const no = await h.admin(path, { key: OTHER_KEY, headers: { authorization: `Bearer ${await es(stranger.privateKey)}` } });
    expect([no.status, no.body.error.code]).toEqual([401, 'invalid_jwt']);
    expect(API_KEY).not.toBe(OTHER_KEY);
  });
});
