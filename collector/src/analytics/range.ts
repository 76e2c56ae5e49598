/**
 * Date ranges of the analytics API. Days are UTC unless a `tz` parameter names an IANA zone;
 * every zone computation happens once per request (day boundaries, hour labels), never per row.
 */
import { HttpError, badRequest } from './errors';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Longest range one request may ask for (a year and a bit). */
export const MAX_RANGE_DAYS = 400;

/** One local day as a half-open UTC interval `[start, end)` in ms. */
export interface DayWindow {
  date: string;
  start: number;
  end: number;
}

/** A resolved `date_from..date_to` range. */
export interface DateRange {
  tz: string;
  from: string;
  to: string;
  /** UTC ms of the first local midnight and of the midnight after the last day */
  start: number;
  end: number;
  days: DayWindow[];
  /**
   * Sub-hour part of the zone's UTC offset (0 for UTC and whole-hour zones). Hourly rollups are
   * UTC hours, so a zone such as Asia/Kolkata (+05:30) is answered from raw events bucketed with
   * this shift instead.
   */
  shiftMs: number;
  /**
   * Set on a rolling range (`last_hours`): `days` are then whole UTC hours, the last one the
   * current hour, each labelled with its start instant (`2025-05-14T11:00:00.000Z`).
   */
  hours?: number;
}

/** Longest rolling range (`last_hours`): a week of hours. */
export const MAX_HOURS = 168;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Validates an IANA zone name (default UTC); 400 when the runtime does not know it. */
export function resolveZone(tz: unknown): string {
  if (tz === undefined || tz === '' || tz === 'UTC') return 'UTC';
  if (typeof tz !== 'string' || tz.length > 64) throw badRequest('tz', 'an IANA time zone such as Europe/Paris', tz);
  try {
    return formatter(tz).resolvedOptions().timeZone;
  } catch {
    throw badRequest('tz', 'an IANA time zone such as Europe/Paris', tz);
  }
}

/** Offset of `tz` from UTC at instant `t`, in ms (local = UTC + offset). */
export function offsetAt(tz: string, t: number): number {
  if (tz === 'UTC') return 0;
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const local = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return local - (t - (((t % 1000) + 1000) % 1000));
}

/** Parses `YYYY-MM-DD` (a real calendar date) to UTC ms of its midnight; 400 otherwise. */
export function parseDate(param: string, value: unknown): number {
  const m = typeof value === 'string' ? DATE.exec(value) : null;
  if (!m) throw badRequest(param, 'a date YYYY-MM-DD', value);
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (formatDate(t) !== value) throw badRequest(param, 'a real calendar date YYYY-MM-DD', value);
  return t;
}

/** `YYYY-MM-DD` of a UTC ms instant. */
export const formatDate = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** UTC instant of local midnight starting `date` (UTC ms of its calendar midnight) in `tz`. */
export function localMidnight(tz: string, dateUtc: number): number {
  if (tz === 'UTC') return dateUtc;
  const guess = dateUtc - offsetAt(tz, dateUtc);
  const o = offsetAt(tz, guess);
  return dateUtc - o;
}

/** Today's date in `tz`, as UTC ms of its calendar midnight. */
export function today(tz: string, now = Date.now()): number {
  const local = now + offsetAt(tz, now);
  return local - (local % DAY);
}

/**
 * Resolves `date_from`/`date_to` (inclusive) in `tz`. Without them: the 30 days ending today.
 */
export function resolveRange(q: { date_from?: unknown; date_to?: unknown; tz?: unknown; last_hours?: unknown }, now = Date.now()): DateRange {
  if (q.last_hours !== undefined) return rollingHours(q, now);
  const tz = resolveZone(q.tz);
  const to = q.date_to === undefined ? today(tz, now) : parseDate('date_to', q.date_to);
  const from = q.date_from === undefined ? to - 29 * DAY : parseDate('date_from', q.date_from);
  if (from > to) throw new HttpError(400, 'invalid_range', `date_from (${formatDate(from)}) must not be after date_to (${formatDate(to)})`);
  const n = Math.round((to - from) / DAY) + 1;
  if (n > MAX_RANGE_DAYS) throw new HttpError(400, 'invalid_range', `expected at most ${MAX_RANGE_DAYS} days, got ${n}`);
  return daysBetween(tz, from, n);
}

/**
 * `last_hours=N`: the N hours ending now, hour by hour (the current UTC hour and the N − 1 before
 * it), not calendar days. Hours are UTC hours, so no `tz`; not with `date_from`/`date_to`.
 */
function rollingHours(q: { date_from?: unknown; date_to?: unknown; tz?: unknown; last_hours?: unknown }, now: number): DateRange {
  if (q.date_from !== undefined || q.date_to !== undefined) {
    throw new HttpError(400, 'invalid_range', 'expected last_hours or date_from/date_to, got both');
  }
  if (resolveZone(q.tz) !== 'UTC') throw badRequest('tz', 'UTC (or none) with last_hours: its points are UTC hours', q.tz);
  const n = typeof q.last_hours === 'string' && /^\d{1,4}$/.test(q.last_hours) ? Number(q.last_hours) : NaN;
  if (!(n >= 1 && n <= MAX_HOURS)) throw badRequest('last_hours', `an integer from 1 to ${MAX_HOURS}`, q.last_hours);
  return hoursBetween(Math.floor(now / HOUR) * HOUR - (n - 1) * HOUR, n);
}

function hoursBetween(start: number, n: number): DateRange {
  const days = Array.from({ length: n }, (_, i): DayWindow => ({ date: new Date(start + i * HOUR).toISOString(), start: start + i * HOUR, end: start + (i + 1) * HOUR }));
  const end = start + n * HOUR;
  return { tz: 'UTC', from: formatDate(start), to: formatDate(end - 1), start, end, days, shiftMs: 0, hours: n };
}

/** The range of one day (`?date=`), used by the hourly view. */
export function resolveDay(q: { date?: unknown; tz?: unknown }, now = Date.now()): DateRange {
  const tz = resolveZone(q.tz);
  const d = q.date === undefined ? today(tz, now) : parseDate('date', q.date);
  return daysBetween(tz, d, 1);
}

function daysBetween(tz: string, from: number, n: number): DateRange {
  const days: DayWindow[] = [];
  let start = localMidnight(tz, from);
  for (let i = 0; i < n; i++) {
    const date = from + i * DAY;
    const end = localMidnight(tz, date + DAY);
    days.push({ date: formatDate(date), start, end });
    start = end;
  }
  const first = days[0]!;
  const offset = offsetAt(tz, first.start);
  return {
    tz, from: first.date, to: days[n - 1]!.date, start: first.start, end: days[n - 1]!.end, days,
    shiftMs: ((offset % HOUR) + HOUR) % HOUR,
  };
}

/**
 * Local hour label ("00".."23") of each hour bucket of one day, keyed by the bucket's UTC start
 * (shifted by `shiftMs`). A 25-hour DST day maps two buckets onto the same label.
 */
export function hourLabels(range: DateRange): Map<number, string> {
  const day = range.days[0]!;
  const labels = new Map<number, string>();
  for (let t = day.start; t < day.end; t += HOUR) {
    const local = t + offsetAt(range.tz, t);
    labels.set(t, String(Math.floor((((local % DAY) + DAY) % DAY) / HOUR)).padStart(2, '0'));
  }
  return labels;
}

/** Every `YYYY-MM-DD` of `[from, to]`, for callers that only need labels. */
export const dateLabels = (range: DateRange): string[] => range.days.map((d) => d.date);

/** The period of equal length just before `range` (for trends). */
export function previousRange(range: DateRange): DateRange {
  const n = range.days.length;
  if (range.hours) return hoursBetween(range.start - n * HOUR, n);
  const from = Date.parse(`${range.from}T00:00:00Z`) - n * DAY;
  return daysBetween(range.tz, from, n);
}

/** Counter periods covering `range`: daily rows for UTC days, hourly rows (`YYYY-MM-DDTHH`) in any other zone and for rolling hours. */
export function counterPeriods(range: DateRange): { granularity: 'day' | 'hour'; fromPeriod: string; toPeriod: string } {
  if (range.tz === 'UTC' && !range.hours) return { granularity: 'day', fromPeriod: range.from, toPeriod: range.to };
  return { granularity: 'hour', fromPeriod: hourPeriod(range.start), toPeriod: hourPeriod(range.end - 1) };
}

/** `YYYY-MM-DDTHH` of the UTC hour containing `t` (the counters' hourly period). */
export const hourPeriod = (t: number): string => new Date(t).toISOString().slice(0, 13);
/** UTC ms of an hourly period's start. */
export const periodStart = (period: string): number => Date.parse(`${period}:00:00.000Z`);

/** Index of the day window containing `t` (binary search over the precomputed windows), -1 outside. */
export function dayIndex(range: DateRange, t: number): number {
  const d = range.days;
  if (t < range.start || t >= range.end) return -1;
  let lo = 0;
  let hi = d.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (d[mid]!.start <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
