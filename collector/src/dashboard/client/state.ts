/**
 * The dashboard's URL state: view, entity, range and environment live in the query string of
 * `/dashboard`, so every view can be bookmarked and shared (the API key never is: it stays in
 * sessionStorage). Days are UTC days, as the API's default.
 */
export type Preset = '24h' | '7d' | '30d' | '90d' | 'custom';

export interface State {
  view: string;
  /** journey key, tour id, content id, site, or the selector drill-down's content id */
  id: string;
  /** selector drill-down: content kind; live: filter kind (journey | tour | user | session) */
  kind: string;
  preset: Preset;
  from: string;
  to: string;
  /** '' until chosen: then the environment with data is picked */
  env: string;
}

const DAY = 86_400_000;
const PRESET_DAYS: Record<Exclude<Preset, 'custom'>, number> = { '24h': 2, '7d': 7, '30d': 30, '90d': 90 };
export const PRESETS: { id: Preset; label: string; title: string }[] = [
  { id: '24h', label: '24 h', title: 'the last 24 hours, hour by hour (UTC hours, the current one included)' },
  { id: '7d', label: '7 d', title: 'the last 7 days, today included' },
  { id: '30d', label: '30 d', title: 'the last 30 days, today included' },
  { id: '90d', label: '90 d', title: 'the last 90 days, today included' },
  { id: 'custom', label: 'Custom', title: 'pick the first and last day' },
];
const ENVS = ['prod', 'staging', 'dev'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const isoDay = (t: number): string => new Date(t).toISOString().slice(0, 10);

/** The days of a preset, ending today (UTC). */
export function presetRange(p: Exclude<Preset, 'custom'>, now = Date.now()): { from: string; to: string } {
  const today = Date.parse(isoDay(now));
  return { from: isoDay(today - (PRESET_DAYS[p] - 1) * DAY), to: isoDay(today) };
}

export function readState(search = location.search): State {
  const q = new URLSearchParams(search);
  const from = q.get('from') ?? '';
  const to = q.get('to') ?? '';
  const custom = DATE.test(from) && DATE.test(to) && from <= to;
  const p = q.get('range') as Preset | null;
  const preset: Preset = custom ? 'custom' : p && p !== 'custom' && p in PRESET_DAYS ? p : '30d';
  const r = preset === 'custom' ? { from, to } : presetRange(preset);
  const env = q.get('env') ?? '';
  return { view: q.get('view') ?? 'home', id: q.get('id') ?? '', kind: q.get('kind') ?? '', preset, ...r, env: ENVS.includes(env) ? env : '' };
}

/**
 * The range parameters of the API for a state: the 24 h preset is a rolling 24 hours with one
 * point per hour (`last_hours`), the other presets and custom ranges whole UTC days.
 */
export function rangeParams(s: State): Record<string, string> {
  return s.preset === '24h' ? { last_hours: '24' } : { date_from: s.from, date_to: s.to };
}

/** What the range covers, in words. */
export const rangeLabel = (s: State): string => (s.preset === '24h' ? 'the last 24 hours' : `${s.from} to ${s.to}`);

/** The query string of a state (defaults left out). */
export function search(s: State): string {
  const q = new URLSearchParams();
  if (s.view !== 'home') q.set('view', s.view);
  if (s.id) q.set('id', s.id);
  if (s.kind) q.set('kind', s.kind);
  if (s.preset === 'custom') {
    q.set('from', s.from);
    q.set('to', s.to);
  } else if (s.preset !== '30d') q.set('range', s.preset);
  if (s.env) q.set('env', s.env);
  const t = q.toString();
  return t ? `?${t}` : '';
}

/** A link to another view, keeping range and environment. */
export const href = (s: State, view: string, id = '', kind = ''): string => `/dashboard${search({ ...s, view, id, kind })}`;
