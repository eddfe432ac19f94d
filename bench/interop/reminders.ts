// The reminders benchmark (issue 13, `reminders.*`): a 30-day course taken 3 times a day (90 reminders, made by
// `medicationReminders` from an issued prescription) on a patient's phone, on a simulated clock, with 7 days offline
// (days 10–16). Online, the server's push wakes the phone within a dispatcher interval of each due time; offline,
// nothing wakes it and the app runs only when the person opens it (2–4 times a day at seeded random hours). Each run of
// the app goes through the real notifier (app/lib/reminders/notifier.ts, the same code the phone runs). A reminder is
// `dueDelivered` when first shown within 15 minutes of its time, `dueQueued` when shown later (it waited, listed, until
// the app ran), `missed` when never shown nor listed by the end (target 0). Writes the `reminders` part of
// bench-results/interop.json.
import { medicationReminders, seededRandom, type Reminder } from '@telehealth/domain';
import { MemoryStorage } from '../../app/lib/memory-storage';
import { ReminderNotifier } from '../../app/lib/reminders/notifier';
import { writeInteropPart } from '../lib/results';

const seed = Number(process.env.BENCH_SEED ?? 20_261_202);
const random = seededRandom(seed);
const start = Date.parse('2026-12-01T01:00:00Z'); // 08:00 in Vietnam
const day = 86_400_000;
const offline = { from: 10, to: 16 };
const dispatcherIntervalMs = 60_000;
const onTimeMs = 15 * 60_000;

const reminders: Reminder[] = medicationReminders(
  { id: 'rx-bench', issuedAt: new Date(start).toISOString(), items: [{ drugName: 'Amlodipin', strength: '5 mg', usage: 'Uống 1 viên x 3 lần/ngày', days: 30 }] },
  new Date(start).toISOString(),
  (drug) => `Uống thuốc: ${drug}`
).map((s, i) => ({ ...s, id: `r${i}`, createdAt: new Date(start).toISOString(), createdBy: 'user-tram.yty' }));

// When the app runs: at each push (online days), and when the person opens it (every day; the only runs offline).
const runs: number[] = [];
for (const r of reminders) {
  const due = Date.parse(r.dueAt);
  const d = Math.floor((due - start) / day);
  if (d < offline.from || d > offline.to) runs.push(due + Math.floor(random() * dispatcherIntervalMs));
}
for (let d = 0; d <= 31; d++) {
  const opens = 2 + Math.floor(random() * 3);
  for (let i = 0; i < opens; i++) runs.push(start + d * day + Math.floor((random() * 16 - 1) * 3_600_000)); // 07:00–22:00 or so
}
runs.sort((a, b) => a - b);

let now = start;
const shownAt = new Map<string, number>();
const notifier = new ReminderNotifier('bench', {
  now: () => now,
  storage: new MemoryStorage(),
  show: async (r) => {
    if (!shownAt.has(r.id)) shownAt.set(r.id, now);
    return true;
  }
});
let listedAtEnd: Reminder[] = [];
for (const at of runs) {
  now = at;
  listedAtEnd = await notifier.check(reminders);
  // What the list shows counts as shown when the app runs (the person sees it), even when it is too old to notify.
  for (const r of listedAtEnd) if (!shownAt.has(r.id)) shownAt.set(r.id, now);
}
const end = start + 32 * day;
const due = reminders.filter((r) => Date.parse(r.dueAt) <= end);
let dueDelivered = 0;
let dueQueued = 0;
let missed = 0;
let worstLateHours = 0;
for (const r of due) {
  const at = shownAt.get(r.id);
  if (at === undefined) {
    if (listedAtEnd.some((x) => x.id === r.id)) dueQueued++;
    else missed++;
    continue;
  }
  const late = at - Date.parse(r.dueAt);
  worstLateHours = Math.max(worstLateHours, late / 3_600_000);
  if (late <= onTimeMs) dueDelivered++;
  else dueQueued++;
}
console.log(`reminders: ${due.length} due over 30 days (3 a day), offline days ${offline.from}–${offline.to}, ${runs.length} runs of the app, seed ${seed}`);
console.log(`reminders.dueDelivered ${dueDelivered} (within 15 min)`);
console.log(`reminders.dueQueued ${dueQueued} (shown late, listed until then; the latest ${worstLateHours.toFixed(1)} h after its time)`);
console.log(`reminders.missed ${missed} (target 0)`);
writeInteropPart('reminders', { due: due.length, dueDelivered, dueQueued, missed, worstLateHours: Number(worstLateHours.toFixed(1)), offlineDays: offline.to - offline.from + 1, runs: runs.length, seed });
