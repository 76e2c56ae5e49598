/**
 * Journey detail: sessions, completion rate and time to complete with a daily trend, the step
 * funnel in the journey's step order with the largest drop-off flagged, field friction, and the
 * device class and language breakdown. Fields the answer marks as estimates show "≈".
 */
import { api, type Json } from '../api';
import { bucketLabel, trendChart } from '../charts';
import type { View } from '../context';
import { bars, card, dur, el, fmt, panel, pct, table } from '../dom';

const share = (n: number, of: number) => (of ? Math.round((n * 1000) / of) / 10 : 0);

export const journey: View = async (ctx, into) => {
  const key = ctx.s.id;
  const d = (await api(`/analytics/journeys/${encodeURIComponent(key)}`, ctx.params)).data;
  const est = new Set<string>(d.estimates ?? []);
  // an estimate reads "≈ 2 min 0 s"; a missing value stays "—"
  const approx = (path: string, v: string) => (v !== '—' && (est.has(path) || [...est].some((e) => e.startsWith(`${path}.`))) ? `≈ ${v}` : v);
  const ttc = d.time_to_complete_ms ?? { median: null, p90: null };
  into.append(
    el('h1', { class: 'view-title' }, el('span', { class: 'kind' }, 'Journey'), ' ', key),
    el('div', { class: 'cards' },
      card('Sessions', fmt(d.sessions), 'started in the range', 'journey-sessions'),
      card('Completion rate', pct(d.sessions ? d.completion_rate : null), `${fmt(d.completed_sessions)} completed`, 'journey-rate'),
      card('Time to complete', approx('time_to_complete_ms', dur(ttc.median)), `median · p90 ${approx('time_to_complete_ms', dur(ttc.p90))}`, 'journey-median')),
  );
  if (Array.isArray(d.daily)) {
    into.append(panel(ctx.unit === 'hour' ? 'Hourly trend' : 'Daily trend', trendChart(d.daily.map((x: Json) => x.date), [
      { label: 'Sessions', kind: 'bars', values: d.daily.map((x: Json) => x.sessions) },
      // null on a day without sessions: a gap, not 0 %
      { label: 'Completion rate', kind: 'rate', values: d.daily.map((x: Json) => (x.sessions ? x.completion_rate : null)) },
    ], `Sessions and completion rate per ${ctx.unit} of journey ${key}`),
    table([
      { head: ctx.unit === 'hour' ? 'Hour (UTC)' : 'Day', cell: (x: Json) => bucketLabel(x.date) },
      { head: 'Sessions', num: true, cell: (x: Json) => fmt(x.sessions) },
      { head: 'Completed', num: true, cell: (x: Json) => fmt(x.completed_sessions) },
      { head: 'Completion', num: true, cell: (x: Json) => pct(x.sessions ? x.completion_rate : null) },
      { head: 'Median time', num: true, cell: (x: Json) => approx('daily[].time_to_complete_ms', dur(x.time_to_complete_ms?.median ?? null)) },
    ], d.daily.filter((x: Json) => x.sessions > 0), 'No sessions in this range.', `Sessions per ${ctx.unit}`)));
  }
  const steps: Json[] = d.steps ?? [];
  const worst = steps.some((s) => 'largest_dropoff' in s)
    ? steps.find((s) => s.largest_dropoff)
    : steps.reduce<Json>((b, s) => (s.dropoffs > (b?.dropoffs ?? 0) ? s : b), null);
  const order = d.step_order === 'configured' ? ', in the configured step order' : d.step_order === 'first_seen' ? ', in the order sessions first reached them' : '';
  into.append(panel('Step funnel',
    el('p', { class: 'muted' }, `Sessions that reached each step${order}. Drop-offs: sessions that ended there without completing.`),
    steps.length
      ? bars(steps.map((s) => ({
          label: s.step_key, value: s.sessions, pct: s.pct_of_sessions, flag: s === worst,
          note: `${fmt(s.sessions)} · ${s.pct_of_sessions} %${s.dropoffs ? ` · ${fmt(s.dropoffs)} dropped` : ''}${s === worst ? ' ◀ largest drop-off' : ''}`,
        })), `Step funnel of journey ${key}`)
      : el('p', { class: 'muted empty' }, 'No step viewed in this range.'),
    table([
      { head: 'Step', cell: (s: Json) => (s === worst ? el('span', {}, s.step_key, ' ', el('strong', { class: 'flag-text', 'data-testid': 'journey-worst' }, 'largest drop-off')) : s.step_key) },
      { head: 'Sessions', num: true, cell: (s: Json) => fmt(s.sessions) },
      { head: '% of sessions', num: true, cell: (s: Json) => pct(s.pct_of_sessions) },
      { head: 'Drop-offs', num: true, cell: (s: Json) => fmt(s.dropoffs) },
      { head: 'Drop-off rate', num: true, cell: (s: Json) => pct(s.dropoff_rate) },
    ], steps, '', 'Steps')));
  into.append(panel('Field friction', table([
    { head: 'Field', cell: (f: Json) => f.field_key },
    { head: 'Focus count', num: true, cell: (f: Json) => fmt(f.focus_count) },
    { head: 'Engaged (median)', num: true, cell: (f: Json) => approx('fields[].median_engaged_ms', dur(f.median_engaged_ms)) },
    ...(d.fields?.some((f: Json) => 'p90_engaged_ms' in f) ? [{ head: 'Engaged (p90)', num: true, cell: (f: Json) => approx('fields[].p90_engaged_ms', dur(f.p90_engaged_ms)) }] : []),
    { head: 'Validation errors', num: true, cell: (f: Json) => fmt(f.validation_errors) },
    { head: 'By type', cell: (f: Json) => f.errors_by_type.map((e: Json) => `${e.error_type}: ${e.count}`).join(', ') || '—' },
  ], d.fields ?? [], 'No field interaction in this range.', 'Fields')));
  const breakdown = (title: string, rows: Json[] | undefined, label: (r: Json) => string) => {
    if (!rows) return null;
    const total = rows.reduce((n, r) => n + r.sessions, 0);
    return panel(title, rows.length
      ? bars(rows.map((r) => ({ label: label(r), value: r.sessions, pct: share(r.sessions, total), note: `${fmt(r.sessions)} · ${share(r.sessions, total)} %` })), title)
      : el('p', { class: 'muted empty' }, 'No sessions in this range.'));
  };
  const split = el('div', { class: 'split' },
    breakdown('Device class', d.devices, (r) => r.device_class ?? 'unknown'),
    breakdown('Language', d.languages, (r) => r.language ?? 'unknown'));
  if (split.childElementCount) into.append(split);
  into.append(el('p', {}, el('a', { href: ctx.link('live', key, 'journey'), 'data-nav': '' }, `Newest events of ${key}`)));
};
