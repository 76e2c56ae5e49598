/**
 * Parsing of a raw-URL pixel event: `si` required; property names ASCII without
 * spaces; values URL-decoded; eid always generated; sid and uid given, copied or generated.
 */
import { randomUUID } from 'node:crypto';
import { HttpError } from '../http/errors';

/** Names the collector sets itself: never stored as properties. */
const RESERVED = new Set(['si', 'sid', 'uid', 'eid', 'unixtimestamp']);
const NAME = /^[\x21-\x7e]{1,128}$/;
const MAX_PROPS = 100;
const MAX_VALUE = 8192;
const MAX_ID = 128;

export interface PixelEvent {
  si: string;
  eid: string;
  sid: string;
  uid: string;
  unixtimestamp: number;
  props: Record<string, string>;
}

/** `query` is the raw query string (without `?`); `form` an urlencoded body, whose values win. */
export function parsePixelEvent(query: string, form: string | undefined, now: number, newId: () => string = randomUUID): PixelEvent {
  const params = new Map<string, string>();
  for (const source of [query, form ?? '']) {
    if (!source) continue;
    for (const [name, value] of new URLSearchParams(source)) {
      if (!NAME.test(name)) {
        throw new HttpError(400, 'invalid_property_name', `property names must be 1-128 ASCII characters without spaces, got ${JSON.stringify(name.slice(0, 140))}`);
      }
      if (value.length > MAX_VALUE) throw new HttpError(400, 'value_too_long', `property "${name}": expected at most ${MAX_VALUE} characters, got ${value.length}`);
      params.set(name, value);
    }
  }
  const si = params.get('si');
  if (!si) throw new HttpError(400, 'missing_site', 'expected the site property "si", got none');
  if (params.size > MAX_PROPS) throw new HttpError(400, 'too_many_properties', `expected at most ${MAX_PROPS} properties, got ${params.size}`);
  const givenSid = id(params, 'sid');
  const givenUid = id(params, 'uid');
  const eid = newId();
  const sid = givenSid ?? eid;
  const uid = givenUid ?? sid;
  const props: Record<string, string> = {};
  for (const [k, v] of params) if (!RESERVED.has(k)) props[k] = v;
  return { si, eid, sid, uid, unixtimestamp: now, props };
}

function id(params: Map<string, string>, name: 'sid' | 'uid'): string | undefined {
  const v = params.get(name);
  if (v === undefined || v === '') return undefined;
  if (v.length > MAX_ID) throw new HttpError(400, `invalid_${name}`, `${name}: expected at most ${MAX_ID} characters, got ${v.length}`);
  return v;
}
