/**
 * Every number on every dashboard view, in real Chromium on the shared dataset, equals the
 * analytics API's JSON for the same range: read from the rendered cards, tables, bar lists and
 * the values behind the charts, formatted as the page formats them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeText, dur, fmt, pct, time } from '../../src/dashboard/client/dom';
import { openDashboardTab, type DashboardTab } from './dashboard-browser';
import { NOW, SITE, startSeededHarness } from './dashboard-seed';
import type { Harness } from './harness';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const RANGE = 'date_from=2025-05-08&date_to=2025-05-14';
const WEEK = 'range=7d&env=prod';
const share = (n: number, of: number) => (of ? Math.round((n * 1000) / of) / 10 : 0);
const approx = (s: string) => (s === '—' ? s : `≈ ${s}`);
let h: Harness;
let t: DashboardTab;

beforeAll(async () => {
  h = await startSeededHarness();
  t = await openDashboardTab(h, NOW);
}, 90_000);
afterAll(async () => {
  await t?.close();
  await h?.close();
});

const sub = (testid: string) => t.page.locator('.card', { has: t.page.locator(`[data-testid=${testid}]`) }).locator('.sub').innerText();

describe('dashboard numbers equal the API (Chromium)', () => {
  it('journey detail: steps in journey order with sessions, share and drop-off (largest flagged), completion, time to complete, daily trend, field friction, device and language', async () => {
    await t.open(`?view=journey&id=signup&${WEEK}`);
    const d: J = await t.api(`/analytics/journeys/signup?${RANGE}`);
    expect(d.sessions).toBeGreaterThan(0);
    expect(await t.text('[data-testid=journey-sessions]')).toBe(fmt(d.sessions));
    expect(await t.text('[data-testid=journey-rate]')).toBe(pct(d.completion_rate));
    expect(await sub('journey-rate')).toBe(`${fmt(d.completed_sessions)} completed`);
    expect(await t.text('[data-testid=journey-median]')).toBe(approx(dur(d.time_to_complete_ms.median)));
    expect(await sub('journey-median')).toBe(`median · p90 ${approx(dur(d.time_to_complete_ms.p90))}`);

    // the funnel: the API's step order, each step's sessions and share, the largest drop-off flagged once
    const worst = d.steps.filter((s: J) => s.largest_dropoff);
    expect(worst).toHaveLength(1);
    expect(await t.rows('Steps')).toEqual(d.steps.map((s: J) => [
      s.largest_dropoff ? `${s.step_key} largest drop-off` : s.step_key, fmt(s.sessions), pct(s.pct_of_sessions), fmt(s.dropoffs), pct(s.dropoff_rate),
    ]));
    expect(await t.bars('Step funnel of journey signup')).toEqual(d.steps.map((s: J) => [
      s.step_key, `${fmt(s.sessions)} · ${s.pct_of_sessions} %${s.dropoffs ? ` · ${fmt(s.dropoffs)} dropped` : ''}${s.largest_dropoff ? ' ◀ largest drop-off' : ''}`,
    ]));
    expect(await t.page.locator('.bars li.flagged .bar-label').innerText()).toBe(worst[0].step_key);

    // the daily trend: chart values (a day without sessions is a gap) and the table of days with sessions
    expect(await t.series('Sessions and completion rate per day of journey signup')).toEqual([
      d.daily.map((x: J) => x.sessions), d.daily.map((x: J) => (x.sessions ? x.completion_rate : null)),
    ]);
    expect(await t.rows('Sessions per day')).toEqual(d.daily.filter((x: J) => x.sessions > 0).map((x: J) => [
      x.date, fmt(x.sessions), fmt(x.completed_sessions), pct(x.completion_rate), approx(dur(x.time_to_complete_ms.median)),
    ]));

    expect(d.fields.length).toBeGreaterThan(0);
    expect(await t.rows('Fields')).toEqual(d.fields.map((f: J) => [
      f.field_key, fmt(f.focus_count), approx(dur(f.median_engaged_ms)), approx(dur(f.p90_engaged_ms)), fmt(f.validation_errors),
      f.errors_by_type.map((e: J) => `${e.error_type}: ${e.count}`).join(', ') || '—',
    ]));

    for (const [label, rows, key] of [['Device class', d.devices, 'device_class'], ['Language', d.languages, 'language']] as const) {
      expect(rows.length, label).toBeGreaterThan(1);
      const total = rows.reduce((n: number, r: J) => n + r.sessions, 0);
      expect(await t.bars(label), label).toEqual(rows.map((r: J) => [r[key], `${fmt(r.sessions)} · ${share(r.sessions, total)} %`]));
    }
  });

  it('home: traffic, rate and both change badges of every entity, the sparkline values', async () => {
    await t.open(`?${WEEK}`);
    const d: J = await t.api(`/analytics/entities?${RANGE}`);
    for (const sec of d.sections) {
      const rows = await t.page.evaluate((ids: string[]) => ids.map((id) => {
        const a = [...document.querySelectorAll('#view a.entity')].find((x) => x.textContent === id)!;
        const tr = a.closest('tr')!;
        return { cells: [...tr.cells].map((c) => c.innerText.trim()), spark: tr.querySelector('figure')!.getAttribute('aria-label')! };
      }), sec.items.map((i: J) => i.id));
      sec.items.forEach((i: J, n: number) => {
        const r = rows[n]!;
        expect(r.cells[1], i.id).toBe(`${fmt(i.traffic)} ${changeText(i.traffic_change_pct, '%', i.previous_traffic > 0)}`);
        if (sec.kind !== 'site') expect(r.cells[2], i.id).toBe(`${pct(i.rate)} ${changeText(i.rate_change_pts, 'pts', i.previous_rate !== null)}`);
        expect(r.spark, i.id).toMatch(new RegExp(`: ${i.daily.join(', ')}$`));
      });
    }
  });

  it('tour detail: cards, users by status, the daily series, every funnel step, recent activity', async () => {
    await t.open(`?view=tour&id=tour_123&${WEEK}`);
    const [d, f, x]: J[] = await Promise.all(['', '/funnel', '/detail'].map((p) => t.api(`/analytics/tours/tour_123${p}?${RANGE}`)));
    const c = d.totals;
    expect([await t.text('[data-testid=tour-starts]'), await t.text('[data-testid=tour-completions]'), await t.text('[data-testid=tour-dismissals]'), await t.text('[data-testid=tour-rate]')])
      .toEqual([fmt(c.starts), fmt(c.completions), fmt(c.dismissals), pct(c.completion_rate)]);
    expect(await t.text('[data-testid=tour-users]')).toBe(fmt(x.users.total));
    expect(await sub('tour-users')).toBe(`${fmt(x.users.completed)} completed · ${fmt(x.users.in_progress)} in progress · ${fmt(x.users.dismissed)} dismissed`);
    expect(await t.series('Starts and completion rate per day of tour tour_123')).toEqual([
      d.daily.map((y: J) => y.starts), d.daily.map((y: J) => (y.starts ? y.completion_rate : null)),
    ]);
    expect(await t.page.locator('h2', { hasText: 'Step funnel' }).innerText()).toBe(`Step funnel (${fmt(f.started_users)} users started)`);
    expect(await t.rows('Steps')).toEqual(f.steps.map((s: J) => [
      `${s.step_index + 1}. ${s.step_id}${s.largest_drop ? ' ◀ drop-off' : ''}`, fmt(s.users), pct(s.pct_of_starts), `${s.drop_from_previous} pts`,
    ]));
    expect((await t.rows('Recent activity')).map((r) => r.slice(0, 4))).toEqual(x.recent_activity.map((a: J) => [time(a.ts), a.type, a.client_id, a.session_id]));
  });

  it('content detail: views, dismissals, clicks, click-through rate with changes, the daily series, clicks per CTA', async () => {
    await t.open(`?view=content&id=banner_1&${WEEK}`);
    const d: J = await t.api(`/analytics/content/banner_1?${RANGE}`);
    const c = d.totals;
    expect(await t.text('[data-testid=content-views]')).toBe(fmt(c.views));
    expect(await sub('content-views')).toBe(changeText(d.change.views_pct, '%', d.previous.views > 0));
    expect(await t.text('[data-testid=content-dismissals]')).toBe(fmt(c.dismissals));
    expect(await sub('content-dismissals')).toBe(`${pct(c.dismissal_rate)} of views`);
    expect(await t.text('[data-testid=content-clicks]')).toBe(fmt(c.cta_clicks));
    expect(await t.text('[data-testid=content-ctr]')).toBe(pct(c.click_through_rate));
    expect(await sub('content-ctr')).toBe(changeText(d.change.click_through_rate_pts, 'pts', d.previous.click_through_rate !== null));
    expect(await t.series('Views and click-through rate per day of banner_1')).toEqual([d.daily.map((y: J) => y.views), d.daily.map((y: J) => y.click_through_rate)]);
    expect(await t.rows('Clicks per CTA')).toEqual(d.ctas.map((a: J) => [a.cta, fmt(a.clicks), pct(share(a.clicks, c.views))]));
  });

  it('pixel site: events with change, sessions, users, the daily series, top properties and their values', async () => {
    await t.open(`?view=site&id=${SITE}&${WEEK}`);
    const d: J = await t.api(`/analytics/sites/${SITE}?${RANGE}`);
    expect([await t.text('[data-testid=site-events]'), await t.text('[data-testid=site-sessions]'), await t.text('[data-testid=site-users]')]).toEqual([d.events, d.sessions, d.users].map(fmt));
    expect(await sub('site-events')).toBe(changeText(d.events_change_pct, '%', d.previous_events > 0));
    expect(await t.series(`Pixel events per day of ${SITE}`)).toEqual([d.daily.map((y: J) => y.events)]);
    const rows = await t.rows('Top properties');
    expect(rows.map((r) => r.slice(0, 2))).toEqual(d.properties.map((p: J) => [p.name, fmt(p.events)]));
    d.properties.forEach((p: J, i: number) => expect(rows[i]![2]!.split('\n')).toEqual(p.values.length ? p.values.map((v: J) => `${v.value} ${fmt(v.events)}`) : ['values too long to count']));
  });

  it('selector health: failures, every broken selector, every drill-down event', async () => {
    await t.open(`?view=selectors&kind=tour&id=tour_123&${WEEK}`);
    const [d, x]: J[] = await Promise.all([t.api(`/analytics/selectors?${RANGE}`), t.api(`/analytics/selectors/tour/tour_123?${RANGE}&limit=50`)]);
    expect(await t.text('[data-testid=failures]')).toBe(fmt(d.total_failures));
    expect(await sub('failures')).toBe(`${fmt(d.broken_selectors.length)} broken selectors`);
    expect(await t.rows('Broken selectors')).toEqual(d.broken_selectors.map((s: J) => [s.selector, `${s.content_kind} ${s.content_id}`, fmt(s.failures)]));
    expect(await t.page.locator('h2', { hasText: 'Failures of' }).innerText()).toBe(`Failures of tour tour_123 (${fmt(x.total_failures)})`);
    expect(await t.rows('Failure events')).toEqual(x.events.map((e: J) => [
      time(e.ts), e.selector, e.step_id ?? '—', e.waited_ms === null ? '—' : `${fmt(e.waited_ms)} ms`, e.url ?? '—',
    ]));
  });

  it('custom events: total with change, types seen, the daily series, every type with its change and sparkline', async () => {
    await t.open(`?view=events&${WEEK}`);
    const d: J = await t.api(`/analytics/custom-events?${RANGE}`);
    expect(await t.text('[data-testid=custom-total]')).toBe(fmt(d.total));
    expect(await sub('custom-total')).toBe(changeText(d.change_pct, '%', d.previous_total > 0));
    expect(await t.text('[data-testid=custom-types]')).toBe(fmt(d.types.filter((y: J) => y.events > 0).length));
    expect(await t.series('Custom events per day')).toEqual([d.daily]);
    expect((await t.rows('Custom events by type')).map((r) => r.slice(0, 2))).toEqual(d.types.map((y: J) => [y.type, `${fmt(y.events)} ${changeText(y.change_pct, '%', y.previous > 0)}`]));
    for (const y of d.types) {
      expect(await t.page.locator(`figure[aria-label="${y.type} per day: ${y.daily.join(', ')}"]`).count(), y.type).toBe(1);
    }
  });

  it('24 h: a rolling 24 hours in the URL, one point per hour, on the trends of every view', async () => {
    await t.open('?env=prod');
    await t.page.click('[data-range="24h"]');
    await t.page.waitForURL(/range=24h/);
    await t.settled();
    expect(await t.page.getAttribute('[data-range="24h"]', 'aria-pressed')).toBe('true');
    const e: J = await t.api('/analytics/entities?last_hours=24');
    expect(e.dates).toHaveLength(24);
    expect(await t.text('[data-testid=env-count-prod]')).toBe(fmt((await t.api('/analytics/environments?last_hours=24')).environments[0].events));

    await t.open('?view=journey&id=signup&range=24h&env=prod');
    const d: J = await t.api('/analytics/journeys/signup?last_hours=24');
    expect(d.daily[0].date).toBe('2025-05-13T13:00:00.000Z');
    expect(await t.text('[data-testid=journey-sessions]')).toBe(fmt(d.sessions));
    expect(await t.series('Sessions and completion rate per hour of journey signup')).toEqual([
      d.daily.map((x: J) => x.sessions), d.daily.map((x: J) => (x.sessions ? x.completion_rate : null)),
    ]);
    expect(await t.rows('Sessions per hour')).toEqual(d.daily.filter((x: J) => x.sessions > 0).map((x: J) => [
      x.date.slice(0, 16).replace('T', ' '), fmt(x.sessions), fmt(x.completed_sessions), pct(x.completion_rate), approx(dur(x.time_to_complete_ms.median)),
    ]));
    await t.open('?view=events&range=24h&env=prod');
    const c: J = await t.api('/analytics/custom-events?last_hours=24');
    expect(await t.series('Custom events per hour')).toEqual([c.daily]);
    expect(await t.text('[data-testid=custom-total]')).toBe(fmt(c.total));
  });

  it('live: the figure and the events per minute', async () => {
    await t.open(`?view=live&${WEEK}`);
    const d: J = await t.api('/analytics/live');
    expect(await t.text('[data-testid=live-events]')).toBe(fmt(d.events));
    const aria = await t.page.locator('.live figure').getAttribute('aria-label');
    expect(aria).toBe(`Events per minute over the last ${d.per_minute.length} minutes: ${d.per_minute.map((m: J) => m.events).join(', ')}`);
    expect(t.problems).toEqual([]);
  });
});
