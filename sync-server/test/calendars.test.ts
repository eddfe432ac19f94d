// Consultation calendars (criterion 60): the district centre's doctor publishes its weekly consultation hours; the
// stations that send it requests fetch them (with an ETag); a station, a patient or a doctor of another unit cannot
// change them; a bad calendar is refused with every fault and changes nothing; the change is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestSystem, type TestSystem } from './harness';

const calendar = { slotMinutes: 30, weekly: [{ weekday: 2, start: '14:00', end: '16:00' }, { weekday: 4, start: '08:00', end: '10:00' }], closed: ['2027-01-01'], note: 'Gọi trước 15 phút.' };

describe('consultation calendars', () => {
  let system: TestSystem;
  const tokens = new Map<string, string>();
  beforeAll(async () => {
    system = await startTestSystem();
    for (const u of ['bacsi.batxat', 'tram.yty', '0912345678', 'admin']) tokens.set(u, (await login(system.url, u)).accessToken);
  });
  afterAll(() => system.stop());

  const call = (who: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${system.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${tokens.get(who)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body)
    });

  it('is published by the upper unit and read by its stations, offline-ready with an ETag', async () => {
    expect(((await (await call('tram.yty', '/api/calendars')).json()) as { calendars: unknown[] }).calendars).toEqual([]);
    const saved = await call('bacsi.batxat', '/api/calendars/ttyt-bat-xat', { calendar });
    expect(saved.status).toBe(200);
    const res = await call('tram.yty', '/api/calendars');
    const body = (await res.json()) as { calendars: { unitId: string; unitName: string; calendar: unknown }[] };
    expect(body.calendars).toEqual([expect.objectContaining({ unitId: 'ttyt-bat-xat', unitName: expect.stringContaining('Bát Xát'), calendar })]);
    const again = await call('tram.yty', '/api/calendars', undefined, { 'if-none-match': res.headers.get('etag')! });
    expect(again.status).toBe(304);
    expect(((await (await call('0912345678', '/api/calendars')).json()) as { calendars: unknown[] }).calendars).toEqual([]);
    const trail = await system.storage.log.auditTrail({ docId: 'unit:ttyt-bat-xat', limit: 10 });
    expect(trail.map((e) => e.action)).toContain('calendar_change');
  });

  it('is kept only by the unit and its administrators, and a bad one changes nothing', async () => {
    for (const [who, unit] of [
      ['tram.yty', 'ttyt-bat-xat'],
      ['0912345678', 'ttyt-bat-xat'],
      ['bacsi.batxat', 'tyt-02701'],
      ['bacsi.batxat', 'no-such-unit']
    ] as const) {
      const res = await call(who, `/api/calendars/${unit}`, { calendar });
      expect({ who, unit, status: res.status }).toEqual({ who, unit, status: 404 });
    }
    const bad = await call('bacsi.batxat', '/api/calendars/ttyt-bat-xat', { calendar: { ...calendar, slotMinutes: 1, weekly: [{ weekday: 9, start: '8h', end: '9h' }] } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { problems: string[] }).problems).toEqual(['slotMinutes: a whole number from 10 to 240', 'weekly[0].weekday: 1 (Monday) to 7 (Sunday)', 'weekly[0]: start and end as HH:MM']);
    expect((await call('bacsi.batxat', '/api/calendars/ttyt-bat-xat', { calendar, extra: true })).status).toBe(400);
    const held = (await (await call('tram.yty', '/api/calendars')).json()) as { calendars: { calendar: unknown }[] };
    expect(held.calendars[0]!.calendar).toEqual(calendar);
    // The Department's administrator runs the centre: they may keep its calendar.
    expect((await call('admin', '/api/calendars/ttyt-bat-xat', { calendar: { ...calendar, note: '' } })).status).toBe(200);
  });
});
