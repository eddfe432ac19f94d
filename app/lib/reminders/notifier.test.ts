// The phone's reminders on a simulated clock: each due reminder is notified once, even across a restart of the app;
// one due while the phone was off comes when it runs again; what is due stays listed until seen.
import { describe, expect, it } from 'vitest';
import type { Reminder } from '@telehealth/domain';
import { MemoryStorage } from '../memory-storage';
import { ReminderNotifier } from './notifier';

const r = (id: string, dueAt: string, extra: Partial<Reminder> = {}): Reminder => ({ id, kind: 'medication', title: `Uống thuốc ${id}`, dueAt, createdAt: '2026-12-01T00:00:00Z', createdBy: 'u', ...extra });

describe('the reminder notifier', () => {
  it('notifies each due reminder once, lists it until seen, and keeps that across a restart', async () => {
    let now = Date.parse('2026-12-02T00:00:00Z');
    const storage = new MemoryStorage();
    const shown: string[] = [];
    const make = () => new ReminderNotifier('k', { now: () => now, storage, show: async (x) => (shown.push(x.id), true) });
    const reminders = [r('a', '2026-12-02T00:00:00Z'), r('b', '2026-12-02T05:00:00Z'), r('c', '2026-12-03T00:00:00Z', { cancelledAt: '2026-12-02T01:00:00Z' })];
    const n = make();
    expect((await n.check(reminders)).map((x) => x.id)).toEqual(['a']);
    expect(await n.check(reminders)).toHaveLength(1);
    expect(shown).toEqual(['a']);

    // The phone is off from 01:00 to 12:00: "b" (05:00) is notified when the app runs again, late.
    now = Date.parse('2026-12-02T12:00:00Z');
    const again = make();
    expect((await again.check(reminders)).map((x) => x.id)).toEqual(['a', 'b']);
    expect(shown).toEqual(['a', 'b']);
    again.markSeen('a');
    expect((await again.check(reminders)).map((x) => x.id)).toEqual(['b']);
    // The cancelled one is never shown.
    now = Date.parse('2026-12-04T00:00:00Z');
    expect((await make().check(reminders)).map((x) => x.id)).toEqual(['b']);
    expect(shown).toEqual(['a', 'b']);
  });

  it('counts a reminder as shown when the phone allows no notification (it is listed in the app)', async () => {
    const n = new ReminderNotifier('k', { now: () => Date.parse('2026-12-02T01:00:00Z'), storage: undefined, show: async () => false });
    expect((await n.check([r('a', '2026-12-02T00:00:00Z')])).map((x) => x.id)).toEqual(['a']);
  });
});
