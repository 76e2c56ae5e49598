/** Export of the range's raw events (NDJSON or CSV) and the recent admin actions. */
import { api, headers, type Json } from '../api';
import type { View } from '../context';
import { rangeLabel } from '../state';
import { el, panel, table, time } from '../dom';

export const exportView: View = async (ctx, into) => {
  const format = el('select', { id: 'export-format' }, el('option', { value: 'ndjson' }, 'NDJSON'), el('option', { value: 'csv' }, 'CSV'));
  const note = el('span', { class: 'muted', id: 'export-status', role: 'status' });
  const go = async () => {
    note.textContent = 'Exporting…';
    const q = new URLSearchParams({ ...ctx.params, format: format.value });
    const res = await fetch(`/v1/admin/export?${q}`, { headers: headers() });
    if (!res.ok) return void (note.textContent = (await res.json().catch(() => ({})))?.error?.message ?? `HTTP ${res.status}`);
    const blob = await res.blob();
    const a = el('a', { href: URL.createObjectURL(blob), download: `waymark-export.${format.value}` });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    note.textContent = `Exported ${blob.size} bytes.`;
  };
  const audit = (await api('/audit', { limit: 20 })).data;
  into.append(
    el('h1', { class: 'view-title' }, 'Export'),
    panel(`Raw events of ${ctx.params.env}, ${rangeLabel(ctx.s)}`,
      el('div', { class: 'row' }, el('label', {}, 'Format', format), el('button', { type: 'button', id: 'export-go', onclick: () => void go() }, 'Download'), note)),
    panel('Recent admin actions', table([
      { head: 'Time (UTC)', cell: (a: Json) => time(a.ts) },
      { head: 'Who', cell: (a: Json) => a.actor },
      { head: 'Action', cell: (a: Json) => a.action },
      { head: 'Target', cell: (a: Json) => a.target },
    ], audit, 'No admin action yet.', 'Recent admin actions')),
  );
};
