/**
 * A random UUID v4. Uses `crypto.randomUUID`, which only exists in secure contexts (https,
 * localhost); pages served over plain http fall back to `crypto.getRandomValues`, and only a
 * runtime without any Web Crypto falls back to `Math.random`.
 */
export function uuid(): string {
  const c = globalThis.crypto;
  if (c && c.randomUUID) {
    const s = c.randomUUID();
    // Node builds it as a tree of ~15 joined strings (~500 B while it waits in the buffer);
    // reading a character flattens it into one (~70 B)
    s.charCodeAt(0);
    return s;
  }
  // each 0/1 becomes a random hex digit, 8 one of 8-b (the RFC 4122 variant); the 4 stays
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (d) =>
    (+d ^ ((c ? c.getRandomValues(new Uint8Array(1))[0]! : Math.random() * 256) & (15 >> (+d >> 2)))).toString(16),
  );
}
