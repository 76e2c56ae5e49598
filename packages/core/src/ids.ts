/**
 * A random UUID v4. Uses `crypto.randomUUID`, which only exists in secure contexts (https,
 * localhost); pages served over plain http fall back to `crypto.getRandomValues`, and only a
 * runtime without any Web Crypto falls back to `Math.random`.
 */
export function uuid(): string {
  const c = globalThis.crypto;
  if (c && c.randomUUID) return c.randomUUID();
  const b = new Uint8Array(16);
  if (c && c.getRandomValues) c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = (Math.random() * 256) | 0;
  b[6] = (b[6]! & 15) | 64; // version 4
  b[8] = (b[8]! & 63) | 128; // variant 10xx
  let s = '';
  for (let i = 0; i < 16; i++) s += (i == 4 || i == 6 || i == 8 || i == 10 ? '-' : '') + (b[i]! + 256).toString(16).slice(1);
  return s;
}
