/**
 * The admin API as the dashboard calls it: the key (and JWT) from this tab's sessionStorage in
 * headers, never in a URL; 401/403 sign out; other errors carry the API's message.
 */
export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const KEY = 'waymark.dashboard.apiKey';
const JWT = 'waymark.dashboard.jwt';

export const session = {
  key: (): string | null => sessionStorage.getItem(KEY),
  signIn(key: string, jwt: string): void {
    sessionStorage.setItem(KEY, key);
    if (jwt) sessionStorage.setItem(JWT, jwt);
    else sessionStorage.removeItem(JWT);
  },
  signOut(): void {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(JWT);
  },
};

export function headers(): Record<string, string> {
  const h: Record<string, string> = { 'X-API-Key': session.key() ?? '' };
  const jwt = sessionStorage.getItem(JWT);
  if (jwt) h.Authorization = `Bearer ${jwt}`;
  return h;
}

/** The API answered with an error (`status`, the API's message). */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

let onUnauthorized: (message: string) => void = () => {};
export const whenUnauthorized = (f: (message: string) => void) => void (onUnauthorized = f);

/** GET `/v1/admin<path>?<params>`; empty values are left out. */
export async function api(path: string, params: Record<string, string | number | undefined> = {}): Promise<Json> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const res = await fetch(`/v1/admin${path}${q.size ? `?${q}` : ''}`, { headers: headers(), cache: 'no-store' });
  const body = await res.json().catch(() => ({}));
  const message = body?.error?.message ?? `HTTP ${res.status}`;
  if (res.status === 401 || res.status === 403) onUnauthorized(message);
  if (!res.ok) throw new ApiError(res.status, message);
  return body;
}
