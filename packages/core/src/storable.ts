/**
 * The one rule for strings of the wire format: a string must be something every store holds
 * unchanged. Tested on both collector engines over every Unicode scalar value (U+0001 to U+10FFFF):
 * all of them round-trip on SQLite and PostgreSQL except
 * - U+0000 (NUL): PostgreSQL refuses it in text (`invalid byte sequence for encoding "UTF8": 0x00`);
 * - lone UTF-16 surrogates (U+D800 to U+DFFF not part of a pair): they are not Unicode scalar values,
 *   have no UTF-8 form, and the drivers turn them into U+FFFD (PostgreSQL) or into bytes that read
 *   back as U+FFFD (SQLite), so three ids that differ only in one would become the same id.
 * A well-formed surrogate pair (an emoji, say) is one code point and is fine.
 */

// Fast path: almost every string has neither a NUL nor any UTF-16 surrogate.
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

const hex = (c: number) => c.toString(16).toUpperCase().padStart(4, '0');

/**
 * Why `s` cannot be stored faithfully, or `undefined` when it can. The reason names the code unit
 * and its index, e.g. `contains U+0000 (NUL) at index 3, which the stores cannot hold`.
 */
export function unstorableReason(s: string): string | undefined {
  if (!SUSPECT.test(s)) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return `contains U+0000 (NUL) at index ${i}, which the stores cannot hold`;
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a well-formed pair: one code point
        continue;
      }
    }
    return `contains a lone UTF-16 surrogate U+${hex(c)} at index ${i} (not a Unicode character; the stores cannot hold it)`;
  }
  return undefined;
}

/**
 * The first string of a validated object that the stores cannot hold: its path (`stepId`,
 * `props.note`) and the reason; `undefined` when every string is storable. The names of nested
 * objects (free-form `props`) are checked too; top-level names are the schema's own.
 */
export function findUnstorable(obj: object, prefix = ''): { path: string; reason: string } | undefined {
  const o = obj as Record<string, unknown>;
  for (const k in o) {
    const v = o[k];
    if (typeof v === 'string') {
      if (SUSPECT.test(v) && unstorableReason(v)) return { path: join(prefix, k), reason: unstorableReason(v)! };
    } else if (v !== null && typeof v === 'object') {
      for (const name in v) {
        if (SUSPECT.test(name) && unstorableReason(name)) return { path: join(join(prefix, k), name), reason: `property name ${unstorableReason(name)!}` };
      }
      const bad = findUnstorable(v, join(prefix, k));
      if (bad) return bad;
    }
  }
  return undefined;
}

const join = (prefix: string, k: string) => (prefix ? `${prefix}.${k}` : k);

/** True when `s` is held unchanged by every store (see {@link unstorableReason}). */
export const isStorable = (s: string): boolean => unstorableReason(s) === undefined;

/** UTF-8 length of a string (for limits that stores count in bytes, such as index keys). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4; // a surrogate pair: one code point of 4 bytes
      i++;
    } else n += 3;
  }
  return n;
}
