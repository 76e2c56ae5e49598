/**
 * Home: the live figure, then every journey, tour, content item and pixel site of the
 * environment, busiest first, each with its traffic, rate, change against the previous period
 * and a sparkline; an empty state with the script tag to paste when the org has no data yet.
 */
import { api, type Json } from '../api';
import { sparkline } from '../charts';
import type { Ctx, View } from '../context';
import { change, el, fmt, panel, pct, table } from '../dom';
import { liveCard } from './live';

const SECTIONS: Record<string, { title: string; view: string; traffic: string; rate?: string; empty: string }> = {
  journey: { title: 'Journeys', view: 'journey', traffic: 'Sessions', rate: 'Completion', empty: 'No journey sessions in this range.' },
  tour: { title: 'Tours', view: 'tour', traffic: 'Starts', rate: 'Completion', empty: 'No tour started in this range.' },
  content: { title: 'Content', view: 'content', traffic: 'Views', rate: 'Click-through', empty: 'No content viewed in this range.' },
  site: { title: 'Pixel sites', view: 'site', traffic: 'Events', empty: 'No pixel events in this range.' },
};

function section(ctx: Ctx, sec: Json): HTMLElement {
  const meta = SECTIONS[sec.kind]!;
  const columns = [
    { head: meta.title.replace(/s$/, ''), cell: (r: Json) => el('a', { href: ctx.link(meta.view, r.id), 'data-nav': '', class: 'entity' }, r.id) },
    { head: meta.traffic, num: true, cell: (r: Json) => el('span', { class: 'fig' }, el('strong', {}, fmt(r.traffic)), ' ', change(r.traffic_change_pct, '%', r.previous_traffic > 0)) },
    ...(meta.rate
      ? [{ head: meta.rate, num: true, cell: (r: Json) => el('span', { class: 'fig' }, pct(r.rate), ' ', change(r.rate_change_pts, 'pts', r.previous_rate !== null)) }]
      : []),
    { head: 'Trend', cell: (r: Json) => sparkline(r.daily, `${meta.traffic} per ${ctx.unit} of ${r.id}: ${r.daily.join(', ')}`) },
  ];
  return panel(`${meta.title} (${sec.items.length})`, table(columns, sec.items, meta.empty, `${meta.title} by ${meta.traffic.toLowerCase()}`));
}

/** The script tag and example to start with, built from this collector's address and the org. */
function emptyState(ctx: Ctx, envs: Json): HTMLElement {
  const org = envs.org;
  const origin = location.origin;
  const tag = `<script src="${origin}/embed/v1.js" data-org="${org.key}" data-journey="${org.journeys[0] ?? 'my-journey'}" data-endpoint="${origin}/api/ingest" data-env="${ctx.params.env}" async></script>`;
  const code = el('code', {}, tag);
  const copied = el('span', { class: 'muted', role: 'status' });
  return el('section', { class: 'panel empty-state', 'data-testid': 'empty-state' },
    el('h2', {}, `No events in ${ctx.params.env} yet`),
    el('p', {}, 'Paste this tag into the pages you want to track, before ', el('code', {}, '</body>'), ':'),
    el('pre', { class: 'snippet' }, code),
    el('p', {}, el('button', { type: 'button', onclick: () => void navigator.clipboard?.writeText(tag).then(() => (copied.textContent = 'Copied.'), () => (copied.textContent = 'Select the text to copy it.')) }, 'Copy the tag'), ' ', copied),
    el('p', {}, 'Or try it first: fill in the form of the example page ', el('a', { href: `${origin}/examples/cdn-snippet/` }, `${origin}/examples/cdn-snippet/`),
      ' (it sends to the ', el('strong', {}, 'dev'), ' environment); its journey shows up here within seconds.'));
}

export const home: View = async (ctx, into) => {
  const [d, live, envs] = await Promise.all([api('/analytics/entities', ctx.params), api('/analytics/live', { env: ctx.params.env }), ctx.environments()]);
  const sections: Json[] = d.data.sections;
  const anyData = envs.environments.some((e: Json) => e.events > 0);
  const hereData = sections.some((s) => s.items.some((i: Json) => i.traffic > 0 || i.previous_traffic > 0));
  into.append(liveCard(ctx, live.data));
  if (!anyData && !hereData) into.append(emptyState(ctx, envs));
  for (const sec of sections) {
    if (sec.kind === 'site' && !sec.items.length) continue; // sites only when the org has some
    into.append(section(ctx, sec));
  }
};
