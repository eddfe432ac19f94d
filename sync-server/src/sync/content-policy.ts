// Per-field authorization: beyond "may this account write this document", what it may change inside it.
// Today one rule needs it: a patient shares their appointment with the station, and may only book, answer a
// proposed time or cancel (packages/domain/appointments.ts, checkPatientChange).
import * as Y from 'yjs';
import { Role, appointmentState, checkPatientChange, parseDocId } from '@telehealth/domain';
import type { Principal } from '../auth/tokens';
import type { LogRow } from '../storage/storage';

export type ContentDecision = { ok: true } | { ok: false; message: string };

/** Whether `update` (Yjs v2) is a change this account may make to the document whose history is given. */
export async function checkContent(p: Principal, docId: string, update: Uint8Array, history: () => Promise<LogRow[]>): Promise<ContentDecision> {
  if (p.role !== Role.patient || parseDocId(docId)?.kind !== 'appointment') return { ok: true };
  const rows = await history();
  const doc = new Y.Doc();
  try {
    if (rows.length) Y.applyUpdateV2(doc, Y.mergeUpdatesV2(rows.map((r) => r.data)));
    const before = rows.length ? appointmentState(doc) : undefined;
    Y.applyUpdateV2(doc, update);
    const verdict = checkPatientChange(before, appointmentState(doc), p.userId);
    return verdict.ok ? verdict : { ok: false, message: verdict.reason };
  } catch (err) {
    return { ok: false, message: `cannot apply the update: ${(err as Error).message}` };
  } finally {
    doc.destroy();
  }
}
