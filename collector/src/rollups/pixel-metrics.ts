/**
 * What a raw-URL pixel event counts for its site (content kind `site`): the event itself
 * (`events`), and per property the events carrying it (`property_events`, dim = the name) and
 * per short value the events carrying that value (`property_values`, dim = name U+001F value),
 * so the dashboard lists a site's top properties from counters. Both per-property metrics are
 * dimension-only (no total row). Long values (ids, URLs with queries, free text) are not counted
 * as values: their names still are.
 */
import type { Increment } from './metrics';

/** Values longer than this are not counted one by one. */
export const MAX_COUNTED_VALUE = 64;
/** Properties of one event counted (in the order they were sent). */
export const MAX_COUNTED_PROPERTIES = 20;
/** Separates a property name from its value in `property_values` dims (names are printable ASCII). */
export const VALUE_SEPARATOR = '\u001f';

// control characters would be awkward in a key (and PostgreSQL text cannot hold U+0000)
const COUNTABLE = /^[^\u0000-\u001f\u007f]*$/;

/** The increments of one pixel event, given its merged-in properties. */
export function pixelIncrements(props: Record<string, string>): Increment[] {
  const out: Increment[] = [['events', undefined, 1]];
  let n = 0;
  for (const [name, value] of Object.entries(props)) {
    if (n++ === MAX_COUNTED_PROPERTIES) break;
    out.push(['property_events', name, 1]);
    if (value.length <= MAX_COUNTED_VALUE && COUNTABLE.test(value)) out.push(['property_values', `${name}${VALUE_SEPARATOR}${value}`, 1]);
  }
  return out;
}
