// The life of an appointment (M4): who may move it from which status to which, and the events that tell the
// other side (in-app notifications). Events are appended to the appointment document, never rewritten.
import * as Y from 'yjs';
import { writeFields, mainRecord, readFields } from './documents';
import { AppointmentStatus, type Appointment } from './records';

export type AppointmentAction =
  | { type: 'accept'; at: string }
  | { type: 'propose'; at: string }
  | { type: 'answer'; accepted: boolean }
  | { type: 'cancel'; reason: string }
  | { type: 'complete'; formId: string };

export type AppointmentEvent = { at: string; by: string; side: 'patient' | 'station'; action: AppointmentAction['type']; status: string; detail?: string };

/** Which actions each side may take in a status. */
export function allowedActions(a: Pick<Appointment, 'status' | 'proposedAt' | 'proposalAnswer'>, side: 'patient' | 'station'): AppointmentAction['type'][] {
  const open = a.status === AppointmentStatus.new || a.status === AppointmentStatus.waiting;
  if (!open) return [];
  const proposalPending = Boolean(a.proposedAt) && !a.proposalAnswer;
  if (side === 'patient') return proposalPending ? ['answer', 'cancel'] : ['cancel'];
  const actions: AppointmentAction['type'][] = ['propose', 'cancel'];
  if (a.status === AppointmentStatus.new && !proposalPending) actions.unshift('accept');
  if (a.status === AppointmentStatus.waiting) actions.push('complete');
  return actions;
}

export type ActionResult = { ok: true; patch: Partial<Appointment> } | { ok: false; reason: 'not_allowed' | 'reason_required' | 'time_in_past' };

/** The fields an action changes, or why it may not happen. */
export function applyAction(a: Appointment, side: 'patient' | 'station', action: AppointmentAction, now: string): ActionResult {
  if (!allowedActions(a, side).includes(action.type)) return { ok: false, reason: 'not_allowed' };
  switch (action.type) {
    case 'accept':
      return { ok: true, patch: { status: AppointmentStatus.waiting, scheduledAt: action.at } };
    case 'propose':
      if (action.at < now) return { ok: false, reason: 'time_in_past' };
      return { ok: true, patch: { proposedAt: action.at, proposalAnswer: undefined } };
    case 'answer':
      return action.accepted
        ? { ok: true, patch: { proposalAnswer: 'accepted', status: AppointmentStatus.waiting, scheduledAt: a.proposedAt } }
        : { ok: true, patch: { proposalAnswer: 'declined' } };
    case 'cancel':
      if (!action.reason.trim()) return { ok: false, reason: 'reason_required' };
      return { ok: true, patch: { status: AppointmentStatus.cancelled, cancelReason: action.reason.trim() } };
    case 'complete':
      return { ok: true, patch: { status: AppointmentStatus.done, formId: action.formId } };
  }
}

export const appointmentEvents = (doc: Y.Doc) => doc.getArray<AppointmentEvent>('events');

/** Applies an action to the appointment document in one transaction, with its event. */
export function actOnAppointment(doc: Y.Doc, by: string, side: 'patient' | 'station', action: AppointmentAction, now: string): ActionResult {
  const current = readFields(mainRecord(doc, 'appointment')) as Appointment;
  const result = applyAction(current, side, action, now);
  if (!result.ok) return result;
  const detail = action.type === 'accept' || action.type === 'propose' ? action.at : action.type === 'cancel' ? action.reason : action.type === 'answer' ? String(action.accepted) : undefined;
  doc.transact(() => {
    writeFields(mainRecord(doc, 'appointment'), { ...result.patch, updatedAt: now });
    const event: AppointmentEvent = { at: now, by, side, action: action.type, status: result.patch.status ?? current.status };
    if (detail !== undefined) event.detail = detail;
    appointmentEvents(doc).push([event]);
  });
  return result;
}
