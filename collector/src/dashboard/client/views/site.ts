/** Pixel site detail: events with trend, sessions and users active in the range, top properties. */
import { api, type Json } from '../api';
import { trendChart } from '../charts';
import type { View } from '../context';
import { append, card, change, el, fmt, panel, table } from '../dom';

export const site: View = async (ctx, into) => {
  const d = (await api(`/analytics/sites/${encodeURIComponent(ctx.s.id)}`, ctx.params)).data;
  append(into, [
    el('h1', { class: 'view-title' }, el('span', { class: 'kind' }, 'Pixel site'), ' ', ctx.s.id),
    el('div', { class: 'cards' },
      card('Events', fmt(d.events), change(d.events_change_pct, '%', d.previous_events > 0), 'site-events'),
      card('Sessions', fmt(d.sessions), 'active in the range', 'site-sessions'),
      card('Users', fmt(d.users), 'active in the range', 'site-users')),
    ctx.params.env === 'prod' ? null : el('p', { class: 'notice' }, 'Pixel events always belong to prod: switch to prod to see them.'),
    panel(`Events per ${ctx.unit}`, trendChart(d.daily.map((x: Json) => x.date), [{ label: 'Events', kind: 'bars', values: d.daily.map((x: Json) => x.events) }], `Pixel events per ${ctx.unit} of ${ctx.s.id}`)),
    panel('Top properties', table([
      { head: 'Property', cell: (p: Json) => el('span', { class: 'mono' }, p.name) },
      { head: 'Events', num: true, cell: (p: Json) => fmt(p.events) },
      { head: 'Top values', cell: (p: Json) => (p.values.length ? el('ul', { class: 'values' }, ...p.values.map((v: Json) => el('li', {}, el('span', { class: 'mono' }, v.value), ` ${fmt(v.events)}`))) : 'values too long to count') },
    ], d.properties, 'No property sent in this range.', 'Top properties')),
  ]);
};
