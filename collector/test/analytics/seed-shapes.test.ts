/**
 * The two documented tour examples, reproduced event by event through the real ingest path, must
 * come back from `/v1/admin/analytics/tours/:tourId` as exactly their documented JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ev, postAll, startHarness, type Harness } from './harness';
import { openApiChecker } from './openapi-check';

let h: Harness;
let check: ReturnType<typeof openApiChecker>;

/** `n` events of `tag` for tour_123 at `hour` of `day`, one user each. */
function many(tag: string, n: number, day: string, hour: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) =>
    ev(tag, `${day}T${String(hour).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00.000Z`, { tourId: 'tour_123' }, { c: `u_${day}_${hour}_${i}`, s: `s_${day}_${hour}_${i}` }),
  );
}
const day = (d: string, hour: number, s: number, c: number, x: number) => [
  ...many('TourStarted', s, d, hour), ...many('TourCompleted', c, d, hour), ...many('TourDismissed', x, d, hour),
];

beforeAll(async () => {
  h = await startHarness();
  check = openApiChecker((await h.admin('/openapi.json', { key: null })).body);
  const events = [
    // the daily example's first row: 150 / 105 / 38
    ...day('2025-05-01', 14, 150, 105, 38),
    // the hourly example's day: 00 → 2/1/1, 09 → 45/32/10, 10 → 62/44/15 (109 / 77 / 26)
    ...day('2025-05-10', 0, 2, 1, 1), ...day('2025-05-10', 9, 45, 32, 10), ...day('2025-05-10', 10, 62, 44, 15),
    // days 2..9 bring the totals to 1250 / 875 / 312
    ...[2, 3, 4, 5, 6, 7, 8, 9].flatMap((d) => day(`2025-05-0${d}`, 12, d === 9 ? 991 - 7 * 124 : 124, d === 9 ? 693 - 7 * 87 : 87, 31)),
    // noise that must not count: another tour, staging traffic, a day outside the range
    ...many('TourStarted', 7, '2025-05-03', 8).map((e) => ({ ...e, tourId: 'tour_999' })),
    ...day('2025-05-11', 1, 5, 5, 0),
  ];
  await postAll(h, events);
  await postAll(h, day('2025-05-05', 3, 40, 1, 1), 'staging');
});
afterAll(() => h?.close());

describe('tour analytics, exactly the documented answers', () => {
  it('daily: totals, rate and one row per day', async () => {
    const r = await h.admin('/analytics/tours/tour_123?date_from=2025-05-01&date_to=2025-05-10');
    expect(r.status).toBe(200);
    check('TourDaily', r.body);
    expect(Object.keys(r.body)).toEqual(['data']);
    expect(r.body.data.tour_id).toBe('tour_123');
    expect(r.body.data.period).toEqual({ from: '2025-05-01', to: '2025-05-10' });
    expect(r.body.data.totals).toEqual({ starts: 1250, completions: 875, dismissals: 312, completion_rate: 70.0 });
    expect(r.body.data.daily).toHaveLength(10);
    expect(r.body.data.daily[0]).toEqual({ date: '2025-05-01', starts: 150, completions: 105, dismissals: 38, completion_rate: 70.0 });
    expect(r.body.data.daily.map((d: { date: string }) => d.date)).toEqual(
      Array.from({ length: 10 }, (_, i) => `2025-05-${String(i + 1).padStart(2, '0')}`),
    );
    // key order as documented
    expect(Object.keys(r.body.data)).toEqual(['tour_id', 'period', 'totals', 'daily']);
    expect(Object.keys(r.body.data.daily[0])).toEqual(['date', 'starts', 'completions', 'dismissals', 'completion_rate']);
  });

  it('daily rows include the days without events as zeros', async () => {
    const r = await h.admin('/analytics/tours/tour_123?date_from=2025-04-29&date_to=2025-05-01');
    expect(r.body.data.daily).toEqual([
      { date: '2025-04-29', starts: 0, completions: 0, dismissals: 0, completion_rate: 0 },
      { date: '2025-04-30', starts: 0, completions: 0, dismissals: 0, completion_rate: 0 },
      { date: '2025-05-01', starts: 150, completions: 105, dismissals: 38, completion_rate: 70 },
    ]);
  });

  it('hourly: 24 rows "00".."23" with the documented values', async () => {
    const r = await h.admin('/analytics/tours/tour_123?date=2025-05-10&granularity=hourly');
    expect(r.status).toBe(200);
    check('TourHourly', r.body);
    const d = r.body.data;
    expect(Object.keys(d)).toEqual(['tour_id', 'date', 'granularity', 'hours']);
    expect(d).toMatchObject({ tour_id: 'tour_123', date: '2025-05-10', granularity: 'hourly' });
    expect(d.hours.map((x: { hour: string }) => x.hour)).toEqual(Array.from({ length: 24 }, (_, i) => String(i).padStart(2, '0')));
    expect(d.hours[0]).toEqual({ hour: '00', starts: 2, completions: 1, dismissals: 1 });
    expect(d.hours[1]).toEqual({ hour: '01', starts: 0, completions: 0, dismissals: 0 });
    expect(d.hours[9]).toEqual({ hour: '09', starts: 45, completions: 32, dismissals: 10 });
    expect(d.hours[10]).toEqual({ hour: '10', starts: 62, completions: 44, dismissals: 15 });
  });

  it('env keeps staging apart from prod', async () => {
    const r = await h.admin('/analytics/tours/tour_123?date_from=2025-05-05&date_to=2025-05-05&env=staging');
    expect(r.body.data.totals).toEqual({ starts: 40, completions: 1, dismissals: 1, completion_rate: 2.5 });
  });

  it('a time zone moves the day boundaries (computed from hourly rollups)', async () => {
    // 2025-05-10 00:xx UTC is still 2025-05-09 in New York (UTC-4 in May)
    const r = await h.admin('/analytics/tours/tour_123?date_from=2025-05-09&date_to=2025-05-09&tz=America/New_York');
    const ny = r.body.data.daily[0];
    const utc = (await h.admin('/analytics/tours/tour_123?date_from=2025-05-09&date_to=2025-05-09')).body.data.daily[0];
    expect(ny.starts).toBe(utc.starts + 2);
    // the overview sums hourly counters into the same local day
    const o = await h.admin('/analytics/overview?date_from=2025-05-09&date_to=2025-05-09&tz=America/New_York');
    check('Overview', o.body);
    expect(o.body.data.starts).toBe(ny.starts);
    // +05:30 cannot be split from UTC hours: raw events bucketed with the shift give the same totals
    const ist = await h.admin('/analytics/tours/tour_123?date_from=2025-05-01&date_to=2025-05-10&tz=Asia/Kolkata');
    expect(ist.body.data.daily[0]).toEqual({ date: '2025-05-01', starts: 150, completions: 105, dismissals: 38, completion_rate: 70 });
    const istHours = await h.admin('/analytics/tours/tour_123?date=2025-05-10&granularity=hourly&tz=Asia/Kolkata');
    expect(istHours.body.data.hours[5]).toEqual({ hour: '05', starts: 2, completions: 1, dismissals: 1 });
    // 09:00-09:44 UTC is 14:30-15:14 IST: the first 30 minutes land in "14", the rest in "15" with 10:00-10:29
    expect(istHours.body.data.hours[14]).toEqual({ hour: '14', starts: 30, completions: 30, dismissals: 10 });
    expect(istHours.body.data.hours[15]).toMatchObject({ starts: 15 + 32, completions: 2 + 30 });
  });
});

describe('errors are JSON with a code and a message', () => {
  const cases: [string, string | null | undefined, number, string][] = [
    ['/analytics/tours/tour_123', null, 401, 'unauthorized'],
    ['/analytics/tours/tour_123', 'sk_live_wrong_key_000000', 401, 'invalid_api_key'],
    ['/analytics/tours/tour_123?org=other', undefined, 403, 'forbidden'],
    ['/analytics/tours/tour_123?date_from=2025-13-01&date_to=2025-05-01', undefined, 400, 'invalid_parameter'],
    ['/analytics/tours/tour_123?date_from=2025-02-30', undefined, 400, 'invalid_parameter'],
    ['/analytics/tours/tour_123?date_from=2025-05-10&date_to=2025-05-01', undefined, 400, 'invalid_range'],
    ['/analytics/tours/tour_123?date_from=2020-01-01&date_to=2025-05-01', undefined, 400, 'invalid_range'],
    ['/analytics/tours/tour_123?env=production', undefined, 400, 'invalid_parameter'],
    ['/analytics/tours/tour_123?tz=Mars/Olympus', undefined, 400, 'invalid_parameter'],
    ['/analytics/tours/tour_123?granularity=weekly', undefined, 400, 'invalid_parameter'],
    ['/analytics/tours/tour_123?granularity=hourly&date=yesterday', undefined, 400, 'invalid_parameter'],
    ['/analytics/tours/bad%20id', undefined, 400, 'invalid_parameter'],
    ['/analytics/nothing-here', undefined, 404, 'not_found'],
  ];
  it.each(cases)('%s (key %s) → %i %s', async (path, key, status, code) => {
    const r = await h.admin(path, { key });
    expect(r.status).toBe(status);
    check('Error', r.body);
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.message.length).toBeGreaterThan(5);
  });

  it('the other org sees none of this org\'s data', async () => {
    const r = await h.admin('/analytics/tours/tour_123?date_from=2025-05-01&date_to=2025-05-10', { key: 'sk_live_other_org_key_0002' });
    // for the other org the tour does not exist at all
    expect([r.status, r.body.error.code]).toEqual([404, 'unknown_tour']);
    expect(r.body.error.message).toBe('unknown tour "tour_123": org "other" has no event of it in any environment');
  });
});
