/**
 * Configuration objects refuse keys they do not know: a misspelled `"journey"` would otherwise
 * start a collector without journeys, and `"allowedOrigin"` would leave a journey open to every
 * origin, both silently. The error names the key and the closest known one.
 */
import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';

/** The known key a misspelled one most likely meant, if any is close enough to be a typo. */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  if (!known.length) return undefined;
  const lower = key.toLowerCase();
  const best = closest(lower, known.map((k) => k.toLowerCase()));
  const match = known.find((k) => k.toLowerCase() === best)!;
  // a typo: a few edits, relative to the length (so "url" does not suggest "key")
  return distance(lower, best) <= Math.max(1, Math.floor(Math.min(key.length, match.length) / 3)) ? match : undefined;
}

/** `z.strictObject` whose unknown-key error says which key and what it may have meant. */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code !== 'unrecognized_keys') return undefined;
      return iss.keys
        .map((k) => {
          const hint = didYouMean(k, known);
          return `unknown key "${k}"${hint ? ` (did you mean "${hint}"?)` : ''}`;
        })
        .join(', ')
        .concat(`; expected one of ${known.map((k) => `"${k}"`).join(', ')}`);
    },
  });
}
