/**
 * Tour detail: totals, users by status, the daily trend (starts and completion rate; a day
 * without starts is a gap), the step funnel with its largest drop marked, recent activity.
 */
import { api, type Json } from '../api';
import { trendChart } from '../charts';
import type { View } from '../context';
import { bars, card, el, fmt, panel, pct, table, time } from '../dom';

export const tour: View = async (ctx, into) => {
  const id = encodeURIComponent(ctx.s.id);
  const [daily, funnel, detail] = await Promise.all([
    api(`/analytics/tours/${id}`, ctx.params), api(`/analytics/tours/${id}/funnel`, ctx.params), api(`/analytics/tours/${id}/detail`, ctx.params),
  ]);
  const t = daily.data.totals;
  const u = detail.data.users;
  const f = funnel.data;
  into.append(
    el('h1', { class: 'view-title' }, el('span', { class: 'kind' }, 'Tour'), ' ', ctx.s.id),
    el('div', { class: 'cards' },
      card('Starts', fmt(t.starts), null, 'tour-starts'),
      card('Completions', fmt(t.completions), null, 'tour-completions'),
      card('Dismissals', fmt(t.dismissals), null, 'tour-dismissals'),
      card('Completion rate', pct(t.starts ? t.completion_rate : null), null, 'tour-rate'),
      card('Users', fmt(u.total), `${fmt(u.completed)} completed · ${fmt(u.in_progress)} in progress · ${fmt(u.dismissed)} dismissed`, 'tour-users')),
    panel(ctx.unit === 'hour' ? 'Hourly trend' : 'Daily trend', trendChart(daily.data.daily.map((x: Json) => x.date), [
      { label: 'Starts', kind: 'bars', values: daily.data.daily.map((x: Json) => x.starts) },
      { label: 'Completion rate', kind: 'rate', values: daily.data.daily.map((x: Json) => (x.starts ? x.completion_rate : null)) },
    ], `Starts and completion rate per ${ctx.unit} of tour ${ctx.s.id}`)),
    panel(`Step funnel (${fmt(f.started_users)} users started)`,
      f.steps.length
        ? bars(f.steps.map((s: Json) => ({
            label: `${s.step_index + 1}. ${s.step_id}`, value: s.users, pct: s.pct_of_starts, flag: s.largest_drop,
            note: `${s.pct_of_starts} % (${fmt(s.users)} users)${s.largest_drop ? ' ◀ drop-off' : ''}`,
          })), `Step funnel of tour ${ctx.s.id}`)
        : el('p', { class: 'muted empty' }, 'No step viewed in this range.'),
      table([
        { head: 'Step', cell: (s: Json) => (s.largest_drop ? el('span', {}, `${s.step_index + 1}. ${s.step_id} `, el('strong', { class: 'flag-text', 'data-testid': 'dropoff-marker' }, '◀ drop-off')) : `${s.step_index + 1}. ${s.step_id}`) },
        { head: 'Users', num: true, cell: (s: Json) => fmt(s.users) },
        { head: '% of starts', num: true, cell: (s: Json) => pct(s.pct_of_starts) },
        { head: 'Drop', num: true, cell: (s: Json) => `${s.drop_from_previous} pts` },
      ], f.steps, '', 'Steps')),
    panel('Recent activity', table([
      { head: 'Time (UTC)', cell: (a: Json) => time(a.ts) },
      { head: 'Event', cell: (a: Json) => a.type },
      { head: 'User', cell: (a: Json) => el('a', { href: ctx.link('live', a.client_id, 'user'), 'data-nav': '', class: 'mono' }, a.client_id) },
      { head: 'Session', cell: (a: Json) => el('a', { href: ctx.link('live', a.session_id, 'session'), 'data-nav': '', class: 'mono' }, a.session_id) },
    ], detail.data.recent_activity, 'No activity yet.', 'Recent activity'),
    el('p', {}, el('a', { href: ctx.link('live', ctx.s.id, 'tour'), 'data-nav': '' }, 'All newest events of this tour'), ' · ',
      el('a', { href: ctx.link('selectors', ctx.s.id, 'tour'), 'data-nav': '' }, 'Selector health of this tour'))),
  );
};
