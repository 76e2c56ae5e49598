/**
 * Reads one top-level string field out of a JSON object's text without parsing the whole object.
 * The export needs only the event's `url` from its stored JSON (the rest is copied as text), and
 * `JSON.parse` of every event, with the garbage its objects leave, was the largest part of an
 * export's CPU time.
 *
 * The text is the stored event, written by `JSON.stringify`: no whitespace between tokens and no
 * key twice in one object. On such text the answer is `JSON.parse(json)[key]` when that is a
 * string, else null.
 */

/** Index of the `"` closing the string that opens at `open`, or -1. */
function closingQuote(s: string, open: number): number {
  for (let i = s.indexOf('"', open + 1); i !== -1; i = s.indexOf('"', i + 1)) {
    let slashes = 0;
    while (s.charCodeAt(i - 1 - slashes) === 92 /* \ */) slashes++;
    if (slashes % 2 === 0) return i;
  }
  return -1;
}

/**
 * The string value of `key` in the top-level object `json`; null when the key is absent or its
 * value is not a string (as `typeof data[key] === 'string'` would say of the parsed object).
 */
export function topLevelString(json: string, key: string): string | null {
  const quoted = `"${key}"`;
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 34 /* " */) {
      const end = closingQuote(json, i);
      if (end === -1) return null;
      // a string directly inside the top-level object and followed by ':' is one of its keys
      if (depth === 1 && json.charCodeAt(end + 1) === 58 /* : */ && end + 1 - i === quoted.length && json.startsWith(quoted, i)) {
        if (json.charCodeAt(end + 2) !== 34) return null;
        const valueEnd = closingQuote(json, end + 2);
        if (valueEnd === -1) return null;
        const raw = json.slice(end + 2, valueEnd + 1);
        // without a backslash the text between the quotes is the value itself
        return raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
      }
      i = end;
    } else if (c === 123 /* { */ || c === 91 /* [ */) depth++;
    else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return null;
}
