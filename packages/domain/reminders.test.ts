import { describe, expect, it } from 'vitest';
import { medicationReminders, remindersToShow, smsText, timesPerDay, visitReminders, type Reminder } from './reminders';
import { toVietnamLocal } from './time';

const now = '2026-12-01T03:00:00.000Z'; // 10:00 in Vietnam
const local = (iso: string) => toVietnamLocal(iso);

describe('reminders', () => {
  it('reads how many times a day a usage says', () => {
    expect(timesPerDay('Uống 1 viên x 3 lần/ngày sau ăn')).toBe(3);
    expect(timesPerDay('Ngày uống 2 lần, mỗi lần 1 viên')).toBe(2);
    expect(timesPerDay('Uống sáng và tối')).toBe(2);
    expect(timesPerDay('Uống khi sốt')).toBe(1);
    expect(timesPerDay('9 lần')).toBe(4);
  });

  it('suggests each dose of each day a drug is taken, from the day after it is issued, at Vietnam times', () => {
    const rx = { id: 'rx-1', issuedAt: now, items: [{ drugName: 'Amoxicilin', strength: '500 mg', usage: 'Uống 1 viên x 3 lần/ngày', days: 5 }] };
    const s = medicationReminders(rx, now, (d) => `Uống thuốc: ${d}`);
    expect(s).toHaveLength(15);
    expect(s.slice(0, 3).map((r) => local(r.dueAt))).toEqual(['2026-12-02T07:00', '2026-12-02T12:00', '2026-12-02T19:00']);
    expect(local(s.at(-1)!.dueAt)).toBe('2026-12-06T19:00');
    expect(s[0]).toMatchObject({ kind: 'medication', title: 'Uống thuốc: Amoxicilin 500 mg', sourceId: 'rx-1' });
  });

  it('bounds a long course: at most 30 days a drug, 400 reminders a prescription', () => {
    const items = Array.from({ length: 10 }, (_, i) => ({ drugName: `Thuốc ${i}`, usage: '4 lần/ngày', days: 90 }));
    const s = medicationReminders({ id: 'rx-2', issuedAt: now, items }, now, (d) => d);
    expect(s).toHaveLength(400);
    expect(medicationReminders({ id: 'rx-3', issuedAt: now, items: [items[0]] }, now, (d) => d)).toHaveLength(120);
  });

  it('suggests the advice the next morning and the follow-up the day before and that morning', () => {
    const form = { id: 'f-1', advice: 'Uống nhiều nước, nghỉ ngơi.', nextAppointmentAt: '2026-12-08T02:00:00.000Z' };
    const s = visitReminders(form, now, { advice: 'Lời dặn của trạm', followUp: (when) => `Hẹn tái khám lúc ${when}` });
    expect(s.map((r) => [r.kind, local(r.dueAt)])).toEqual([
      ['education', '2026-12-02T08:00'],
      ['follow_up', '2026-12-07T08:00'],
      ['follow_up', '2026-12-08T07:00']
    ]);
    expect(s[1]!.title).toBe('Hẹn tái khám lúc 09:00 08/12/2026');
    // A follow-up already past suggests nothing.
    expect(visitReminders({ id: 'f-2', nextAppointmentAt: '2026-11-30T02:00:00.000Z' }, now, { advice: '', followUp: () => '' })).toEqual([]);
  });

  it('shows what is due and not yet shown; what was due while the phone was off comes late, never lost', () => {
    const r = (id: string, dueAt: string, extra: Partial<Reminder> = {}): Reminder => ({ id, kind: 'medication', title: id, dueAt, createdAt: now, createdBy: 'u', ...extra });
    const all = [r('a', '2026-12-01T00:00:00Z'), r('b', '2026-12-01T02:59:00Z'), r('c', '2026-12-01T04:00:00Z'), r('d', '2026-11-20T00:00:00Z'), r('e', '2026-12-01T01:00:00Z', { cancelledAt: now })];
    const shown = new Set(['a']);
    const { notify, listed } = remindersToShow(all, Date.parse(now), shown);
    expect(listed.map((x) => x.id)).toEqual(['b', 'd']);
    // A reminder of 11 days ago is listed, not notified.
    expect(notify.map((x) => x.id)).toEqual(['b']);
  });

  it('writes an SMS of one segment, without diacritics when asked', () => {
    expect(smsText({ title: 'Hẹn tái khám', body: 'Đến trạm lúc 8 giờ', smsPlain: true }, 'TYT Y Tý')).toBe('TYT Y Ty: Hen tai kham. Den tram luc 8 gio');
    const long = smsText({ title: 'Uống thuốc', body: 'x'.repeat(300), smsPlain: true }, 'TYT Y Tý');
    expect(long).toHaveLength(160);
    expect(long.endsWith('...')).toBe(true);
    expect(smsText({ title: 'Uống thuốc', body: 'y'.repeat(300) }, 'TYT Y Tý')).toHaveLength(70);
  });
});
