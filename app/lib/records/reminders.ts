// The station's side of the patient's reminders (M9): suggested from the last visit and the last issued
// prescription, written into the chart (its `reminders` root, which the patient's phone syncs), cancelled. Every
// entry is checked against the schema before it is written; the server checks it again.
import type * as Y from 'yjs';
import { chartReminders, medicationReminders, readReminders, readForms, reminderSchema, validateRecord, visitReminders, writeReminder, type Fields, type Reminder, type Suggestion } from '@telehealth/domain';

export type SuggestTexts = { advice: string; followUp: (when: string) => string; medication: (drug: string) => string };

export const remindersOf = (doc: Y.Doc): Reminder[] => readReminders(chartReminders(doc));

/** What the chart's last finished visit and the patient's last issued prescription suggest, not already scheduled. */
export function suggestReminders(doc: Y.Doc, prescriptions: readonly Fields[], now: string, text: SuggestTexts): Suggestion[] {
  const visit = readForms(doc)
    .filter((f) => typeof f.completedAt === 'string')
    .sort((a, b) => String(b.completedAt).localeCompare(String(a.completedAt)))[0];
  const rx = prescriptions.filter((p) => typeof p.issuedAt === 'string').sort((a, b) => String(b.issuedAt).localeCompare(String(a.issuedAt)))[0];
  const all = [...(visit ? visitReminders(visit, now, text) : []), ...(rx ? medicationReminders(rx, now, text.medication) : [])];
  const have = new Set(remindersOf(doc).filter((r) => !r.cancelledAt).map(key));
  return all.filter((s) => !have.has(key(s)));
}

const key = (r: Pick<Reminder, 'sourceId' | 'dueAt' | 'title'>) => `${r.sourceId ?? ''}|${r.dueAt}|${r.title}`;

/** Writes reminders into the chart (one change); the invalid ones are left out and counted. */
export function addReminders(doc: Y.Doc, suggestions: readonly Suggestion[], by: string, now: string, newId: () => string = () => crypto.randomUUID()): { added: number; invalid: number } {
  let added = 0;
  let invalid = 0;
  doc.transact(() => {
    for (const s of suggestions) {
      const entry = Object.fromEntries(Object.entries({ ...s, id: newId(), createdAt: now, createdBy: by }).filter(([, v]) => v !== undefined && v !== ''));
      if (!validateRecord(reminderSchema, entry).ok) {
        invalid++;
        continue;
      }
      writeReminder(doc, String(entry.id), entry);
      added++;
    }
  });
  return { added, invalid };
}

/** Cancels a reminder not yet due (it stays listed as cancelled; the patient's phone stops showing it). */
export function cancelReminder(doc: Y.Doc, id: string, now: string): void {
  if (chartReminders(doc).has(id)) writeReminder(doc, id, { cancelledAt: now });
}
