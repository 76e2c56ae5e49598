/** Custom events: counts by type with their change and trend. */
import { api, type Json } from '../api';
import { sparkline, trendChart } from '../charts';
import type { View } from '../context';
import { card, change, el, fmt, panel, table } from '../dom';

export const customEvents: View = async (ctx, into) => {
  const d = (await api('/analytics/custom-events', ctx.params)).data;
  into.append(
    el('h1', { class: 'view-title' }, 'Custom events'),
    el('div', { class: 'cards' },
      card('Custom events', fmt(d.total), change(d.change_pct, '%', d.previous_total > 0), 'custom-total'),
      card('Types', fmt(d.types.filter((t: Json) => t.events > 0).length), 'seen in the range', 'custom-types')),
    panel(`Per ${ctx.unit}`, trendChart(d.dates, [{ label: 'Custom events', kind: 'bars', values: d.daily }], `Custom events per ${ctx.unit}`)),
    panel('By type', table([
      { head: 'Type', cell: (t: Json) => el('span', { class: 'mono' }, t.type) },
      { head: 'Events', num: true, cell: (t: Json) => el('span', { class: 'fig' }, el('strong', {}, fmt(t.events)), ' ', change(t.change_pct, '%', t.previous > 0)) },
      { head: 'Trend', cell: (t: Json) => sparkline(t.daily, `${t.type} per ${ctx.unit}: ${t.daily.join(', ')}`) },
    ], d.types, 'No custom event in this range. Send some with JourneyEmbed.track("plan_selected", { plan: "pro" }).', 'Custom events by type')),
  );
};
