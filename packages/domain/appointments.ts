// The life of an appointment (M4): who may move it from which status to which, and the events that tell the
// other side (in-app notifications). Events are appended to the appointment document, never rewritten.
import * as Y from 'yjs';
import { writeFields, mainRecord, readFields, sameValue } from './documents';
import { AppointmentPurpose, AppointmentStatus, type Appointment } from './records';

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

/** What a booking's purpose requires beyond the schema: an address to go to for a home visit, the booker's name for a booking on behalf of someone. */
export function bookingProblems(a: Partial<Pick<Appointment, 'purpose' | 'homeAddress' | 'bookerName'>>): { field: 'homeAddress' | 'bookerName'; code: 'required' }[] {
  if (a.purpose === AppointmentPurpose.home && !a.homeAddress?.trim()) return [{ field: 'homeAddress', code: 'required' }];
  if (a.purpose === AppointmentPurpose.onBehalf && !a.bookerName?.trim()) return [{ field: 'bookerName', code: 'required' }];
  return [];
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

/** What an appointment document holds, as the server compares it before and after a patient's change. */
export type AppointmentState = { record: Partial<Appointment>; events: AppointmentEvent[]; otherTypes: string[] };

export function appointmentState(doc: Y.Doc): AppointmentState {
  return {
    record: readFields(mainRecord(doc, 'appointment')) as Partial<Appointment>,
    events: appointmentEvents(doc).toArray(),
    otherTypes: [...doc.share.keys()].filter((k) => k !== 'appointment' && k !== 'events')
  };
}

/** Fields only the station sets: a patient's booking may not carry them, and a patient's action changes them only as the action says. */
const stationFields = ['status', 'scheduledAt', 'proposedAt', 'proposalAnswer', 'cancelReason', 'handledBy', 'formId', 'subjectPatientId'] as const;

/**
 * Per-field authorization of a patient's change to an appointment (the document itself the patient may write):
 * a new booking is "new", carries the patient's consent and sets no station field; afterwards the patient only answers a proposal or cancels,
 * each as `applyAction` defines it, with its event appended under their own name.
 */
export function checkPatientChange(before: AppointmentState | undefined, after: AppointmentState, userId: string): { ok: true } | { ok: false; reason: string } {
  if (after.otherTypes.length) return { ok: false, reason: `unexpected content: ${after.otherTypes.join(', ')}` };
  if (!before) {
    if (after.record.status !== AppointmentStatus.new) return { ok: false, reason: 'a booking starts as "new"' };
    // The consent declaration is mandatory (guideline 4.3.1: "Việc chấp thuận của người bệnh với dịch vụ KCB từ xa
    // là bắt buộc"): a booking without it is refused here, on the server, not only by the booking screen.
    if (after.record.consent !== true) return { ok: false, reason: 'a booking needs the consent declaration' };
    const set = stationFields.filter((f) => f !== 'status' && after.record[f] !== undefined);
    if (set.length) return { ok: false, reason: `a booking may not set ${set.join(', ')}` };
    if (after.events.length) return { ok: false, reason: 'a booking starts without events' };
    return { ok: true };
  }
  if (after.events.length < before.events.length || !before.events.every((e, i) => sameValue(e, after.events[i]))) return { ok: false, reason: 'events may only be appended' };
  const added = after.events.slice(before.events.length);
  const changed = Object.keys({ ...before.record, ...after.record }).filter((k) => k !== 'updatedAt' && !sameValue(before.record[k as keyof Appointment], after.record[k as keyof Appointment]));
  if (added.length === 0) return changed.length ? { ok: false, reason: `a patient may not change ${changed.join(', ')} without an action` } : { ok: true };
  if (added.length > 1) return { ok: false, reason: 'one action per change' };
  const event = added[0]!;
  if (event.side !== 'patient' || event.by !== userId) return { ok: false, reason: 'an event must be the patient’s own' };
  const action: AppointmentAction | undefined =
    event.action === 'answer' ? { type: 'answer', accepted: event.detail === 'true' } : event.action === 'cancel' ? { type: 'cancel', reason: String(after.record.cancelReason ?? '') } : undefined;
  if (!action) return { ok: false, reason: `a patient may not ${event.action}` };
  const result = applyAction(before.record as Appointment, 'patient', action, event.at);
  if (!result.ok) return { ok: false, reason: result.reason };
  const expected: Record<string, unknown> = { ...before.record, ...result.patch };
  const wrong = changed.filter((k) => !sameValue(expected[k], after.record[k as keyof Appointment]));
  return wrong.length ? { ok: false, reason: `${event.action} may not change ${wrong.join(', ')}` } : { ok: true };
}
