/** Selector health: targeting failures, broken selectors ranked, drill-down into one content item. */
import { api, type Json } from '../api';
import type { View } from '../context';
import { card, el, fmt, panel, table, time } from '../dom';

export const selectors: View = async (ctx, into) => {
  const drill = ctx.s.id && ctx.s.kind;
  // the drill-down is read alongside the list, not after it
  const [list, one] = await Promise.all([
    api('/analytics/selectors', ctx.params),
    drill ? api(`/analytics/selectors/${encodeURIComponent(ctx.s.kind)}/${encodeURIComponent(ctx.s.id)}`, { ...ctx.params, limit: 50 }) : null,
  ]);
  const d = list.data;
  into.append(
    el('h1', { class: 'view-title' }, 'Selector health'),
    el('div', { class: 'cards' }, card('Target failures', fmt(d.total_failures), `${fmt(d.broken_selectors.length)} broken selectors`, 'failures')),
    panel('Broken selectors', table([
      { head: 'Selector', cell: (s: Json) => el('code', {}, s.selector) },
      { head: 'Of', cell: (s: Json) => el('a', { href: ctx.link('selectors', s.content_id, s.content_kind), 'data-nav': '' }, `${s.content_kind} ${s.content_id}`) },
      { head: 'Failures', num: true, cell: (s: Json) => fmt(s.failures) },
    ], d.broken_selectors, 'No targeting failure in this range.', 'Broken selectors')),
  );
  if (!one) return;
  const x = one.data;
  into.append(panel(`Failures of ${x.content_kind} ${x.content_id} (${fmt(x.total_failures)})`, table([
    { head: 'Time (UTC)', cell: (e: Json) => time(e.ts) },
    { head: 'Selector', cell: (e: Json) => el('code', {}, e.selector) },
    { head: 'Step', cell: (e: Json) => e.step_id ?? '—' },
    { head: 'Waited', num: true, cell: (e: Json) => (e.waited_ms === null ? '—' : `${fmt(e.waited_ms)} ms`) },
    { head: 'Page', cell: (e: Json) => e.url ?? '—' },
  ], x.events, 'No failure of this item in this range.', 'Failure events')));
};
