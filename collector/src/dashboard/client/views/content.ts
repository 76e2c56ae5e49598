/** Content detail: views, dismissals, CTA clicks and click-through rate with trend, per CTA. */
import { api, type Json } from '../api';
import { trendChart } from '../charts';
import type { View } from '../context';
import { card, change, el, fmt, panel, pct, table } from '../dom';

export const content: View = async (ctx, into) => {
  const d = (await api(`/analytics/content/${encodeURIComponent(ctx.s.id)}`, ctx.params)).data;
  const t = d.totals;
  const p = d.previous;
  into.append(
    el('h1', { class: 'view-title' }, el('span', { class: 'kind' }, 'Content'), ' ', ctx.s.id),
    el('div', { class: 'cards' },
      card('Views', fmt(t.views), change(d.change.views_pct, '%', p.views > 0), 'content-views'),
      card('Dismissals', fmt(t.dismissals), `${pct(t.dismissal_rate)} of views`, 'content-dismissals'),
      card('CTA clicks', fmt(t.cta_clicks), null, 'content-clicks'),
      card('Click-through rate', pct(t.click_through_rate), change(d.change.click_through_rate_pts, 'pts', p.click_through_rate !== null), 'content-ctr')),
    panel(ctx.unit === 'hour' ? 'Hourly trend' : 'Daily trend', trendChart(d.daily.map((x: Json) => x.date), [
      { label: 'Views', kind: 'bars', values: d.daily.map((x: Json) => x.views) },
      { label: 'Click-through rate', kind: 'rate', values: d.daily.map((x: Json) => x.click_through_rate) },
    ], `Views and click-through rate per ${ctx.unit} of ${ctx.s.id}`)),
    panel('Clicks per call to action', table([
      { head: 'CTA', cell: (c: Json) => c.cta },
      { head: 'Clicks', num: true, cell: (c: Json) => fmt(c.clicks) },
      { head: 'Of views', num: true, cell: (c: Json) => pct(t.views ? Math.round((c.clicks * 1000) / t.views) / 10 : null) },
    ], d.ctas, 'No CTA clicked in this range (or the clicks named no CTA).', 'Clicks per CTA')),
    el('p', {}, el('a', { href: ctx.link('selectors', ctx.s.id, 'content'), 'data-nav': '' }, 'Selector health of this content item')),
  );
};
