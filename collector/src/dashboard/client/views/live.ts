/**
 * Live: events of the last 5 minutes, events per minute over the last 30, and the newest
 * events, filterable by journey, tour, user or session (the activity feed; a user or session
 * in a row links to its own feed).
 */
import { api, type Json } from '../api';
import { minuteChart } from '../charts';
import type { Ctx, View } from '../context';
import { el, fmt, panel, table, time } from '../dom';

const FILTERS: Record<string, { label: string; path: (id: string) => string }> = {
  journey: { label: 'Journey', path: (id) => `/activity/content/journey/${encodeURIComponent(id)}` },
  tour: { label: 'Tour', path: (id) => `/activity/content/tour/${encodeURIComponent(id)}` },
  user: { label: 'User (client id)', path: (id) => `/activity/users/${encodeURIComponent(id)}` },
  session: { label: 'Session', path: (id) => `/activity/sessions/${encodeURIComponent(id)}` },
};

/** The live figure (home and live view). */
export function liveCard(ctx: Ctx, d: Json): HTMLElement {
  return el('section', { class: 'panel live', 'aria-labelledby': 'live-title' },
    el('div', { class: 'live-head' },
      el('h2', { id: 'live-title' }, el('span', { class: d.events ? 'pulse on' : 'pulse', 'aria-hidden': 'true' }), 'Live'),
      el('p', { class: 'live-figure' }, el('strong', { 'data-testid': 'live-events' }, fmt(d.events)), ` event${d.events === 1 ? '' : 's'} in the last ${d.window_minutes} minutes`),
      el('a', { href: ctx.link('live'), 'data-nav': '' }, 'Newest events')),
    minuteChart(d.per_minute, `Events per minute over the last ${d.per_minute.length} minutes: ${d.per_minute.map((m: Json) => m.events).join(', ')}`, 110));
}

function content(ctx: Ctx, r: Json): Node | string {
  if (!r.content_id) return '—';
  const view = { journey: 'journey', tour: 'tour', content: 'content' }[r.content_kind as string];
  const label = `${r.content_kind} ${r.content_id}`;
  return view ? el('a', { href: ctx.link(view, r.content_id), 'data-nav': '' }, label) : label;
}

// the "Of" column already names the tour or content item
const SHOWN_ELSEWHERE = new Set(['tourId', 'contentId']);

function detail(r: Json): string {
  const d = r.detail as Record<string, unknown>;
  return Object.entries(d).filter(([k]) => !SHOWN_ELSEWHERE.has(k)).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ') || '—';
}

export const liveView: View = async (ctx, into) => {
  const kind = FILTERS[ctx.s.kind] ? ctx.s.kind : '';
  const id = kind ? ctx.s.id : '';
  const feed = (cursor?: string) => api(kind && id ? FILTERS[kind]!.path(id) : '/activity/latest', { env: ctx.params.env, limit: 50, cursor });
  const [live, first] = await Promise.all([api('/analytics/live', { env: ctx.params.env }), feed()]);
  into.append(liveCard(ctx, live.data));

  const select = el('select', { id: 'live-kind', name: 'kind' }, el('option', { value: '' }, 'Everything'),
    ...Object.entries(FILTERS).map(([k, f]) => el('option', { value: k, selected: k === kind }, f.label)));
  const input = el('input', { id: 'live-id', name: 'id', value: id, placeholder: 'key or id', autocomplete: 'off' });
  const form = el('form', { class: 'row filter', role: 'search', 'aria-label': 'Filter the newest events' },
    el('label', {}, 'Show', select), el('label', {}, 'Which', input), el('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const k = select.value;
    const v = input.value.trim();
    ctx.go(ctx.link('live', k && v ? v : '', k && v ? k : ''));
  });

  const columns = [
    { head: 'Time (UTC)', cell: (r: Json) => time(r.ts) },
    { head: 'Event', cell: (r: Json) => r.type },
    { head: 'Of', cell: (r: Json) => content(ctx, r) },
    { head: 'Detail', cell: (r: Json) => detail(r) },
    { head: 'User', cell: (r: Json) => el('a', { href: ctx.link('live', r.client_id, 'user'), 'data-nav': '', class: 'mono' }, r.client_id) },
    { head: 'Session', cell: (r: Json) => el('a', { href: ctx.link('live', r.session_id, 'session'), 'data-nav': '', class: 'mono' }, r.session_id) },
  ];
  const list = el('div', {}, table(columns, first.data, kind ? `No events of this ${FILTERS[kind]!.label.toLowerCase()}.` : 'No events yet.', 'Newest events'));
  let cursor: string | null = first.next_cursor;
  const more = el('button', { type: 'button', hidden: !cursor }, 'Older events');
  more.addEventListener('click', async () => {
    const page = await feed(cursor ?? undefined);
    list.append(table(columns, page.data));
    cursor = page.next_cursor;
    more.hidden = !cursor;
  });
  const title = kind && id ? `Newest events of ${FILTERS[kind]!.label.toLowerCase()} ${id}` : 'Newest events';
  into.append(panel(title, form, list, more));
};

/** The live view stops refreshing once older pages were loaded (it would drop them). */
export const liveRefreshes = (into: HTMLElement): boolean => into.querySelectorAll('table').length <= 1;
