/**
 * A random UUID v4. `crypto.randomUUID` only exists in secure contexts (https, localhost); pages
 * served over plain http build one from `crypto.getRandomValues`, which every supported runtime has.
 */
export function uuid(): string {
  const c = crypto;
  const s = c.randomUUID
    ? c.randomUUID()
    : // each 0/1 becomes a random hex digit, 8 one of 8-b (the RFC 4122 variant); the 4 stays
      '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (d) =>
        (+d ^ (c.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+d >> 2)))).toString(16),
      );
  // Node builds randomUUID's result as a tree of ~15 joined strings (~500 B while it waits in the
  // buffer); reading a character flattens it into one (~70 B)
  s.charCodeAt(0);
  return s;
}
