/**
 * JWT check of the admin API (jose): when an org's configuration names a JWT secret or a JWKS
 * URL, every admin request needs `Authorization: Bearer <jwt>` in addition to `X-API-Key`.
 * The token must verify (signature, `exp`/`nbf`, and `iss`/`aud` when configured); a token that
 * names another org in an `org` claim is refused with 403.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { JwtConfig } from '../config/schema';

/** Why a request failed the JWT check, as the admin error answer. */
export interface JwtFailure {
  status: 401 | 403 | 503;
  code: string;
  message: string;
}

export type JwtCheck = (authorization: string | undefined, orgKey: string) => Promise<{ subject: string } | JwtFailure>;

const HMAC = ['HS256', 'HS384', 'HS512'];
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** Builds the check for one org's configuration (the JWKS is fetched lazily and cached by jose). */
export function createJwtCheck(cfg: JwtConfig): JwtCheck {
  const secret = cfg.secret !== undefined ? new TextEncoder().encode(cfg.secret) : undefined;
  const jwks: JWTVerifyGetKey | undefined = cfg.jwksUrl !== undefined ? createRemoteJWKSet(new URL(cfg.jwksUrl), { timeoutDuration: 5000 }) : undefined;
  const options = { issuer: cfg.issuer, audience: cfg.audience, algorithms: secret ? HMAC : ASYMMETRIC };

  return async (authorization, orgKey) => {
    const m = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(authorization ?? '');
    if (!m) return { status: 401, code: 'jwt_required', message: 'expected "Authorization: Bearer <jwt>" (this org requires a JWT in addition to X-API-Key), got ' + (authorization ? 'a malformed header' : 'none') };
    let payload: JWTPayload;
    try {
      payload = (secret ? await jwtVerify(m[1]!, secret, options) : await jwtVerify(m[1]!, jwks!, options)).payload;
    } catch (err) {
      if (err instanceof errors.JWKSTimeout || (err instanceof Error && /fetch|ECONN|network/i.test(err.message) && !(err instanceof errors.JOSEError))) {
        return { status: 503, code: 'jwks_unavailable', message: 'the JSON Web Key Set could not be fetched, retry later' };
      }
      return { status: 401, code: 'invalid_jwt', message: `the bearer token was refused: ${(err as Error).message}` };
    }
    if (payload.org !== undefined && payload.org !== orgKey) {
      return { status: 403, code: 'forbidden', message: `the bearer token is for org "${String(payload.org)}", not "${orgKey}"` };
    }
    return { subject: typeof payload.sub === 'string' ? payload.sub : 'unknown' };
  };
}
