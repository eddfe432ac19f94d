// The consultation minutes (Biên bản hội chẩn, appendix 4 / circular 49 appendix I): one document per consultation,
// its id the request's, co-edited live by the station and the upper unit. Its plain fields (time, place, number,
// participants, ticks) go through an `Editor` like every record; its free-text fields are Y.Text roots bound to the
// text boxes (co-edit.ts), so two people typing in one field both keep their words, online or after an offline spell.
import type * as Y from 'yjs';
import { docId, mainRecord, readRecord, setText, writeFields, type Fields, type MinutesTextField } from '@telehealth/domain';
import { session } from '../auth/session.svelte';
import { nowIso } from './dates';
import { hasDoc, type LiveDoc } from './live.svelte';
import { minutesFromRequest } from './prefill';

export const minutesDocId = (requestId: string) => docId('minutes', requestId);

/** Whether this device holds the minutes of the consultation of request `requestId`. */
export const hasMinutes = (requestId: string) => hasDoc(minutesDocId(requestId));

export type MinutesOpening = 'open' | 'not_started' | 'cannot';

/**
 * Opens the minutes of request `requestId` in `live`. The station writes them first (the server lets the station
 * create them, both units write them): a station without them on this device creates them, prefilled from the
 * request and the upper unit's review (`minutesFromRequest`). The upper unit opens them once they have reached it
 * ('not_started' until then).
 */
export async function openMinutes(live: LiveDoc, requestId: string, request: Fields, review: Fields | undefined, unitName: (id: string) => string | undefined): Promise<MinutesOpening> {
  const user = session.user;
  if (!user?.unitId || !requestId) return 'cannot';
  const id = minutesDocId(requestId);
  if (await hasDoc(id)) return (await live.open(id)) ? 'open' : 'cannot';
  if (user.role !== 'station_worker' || request.fromUnitId !== user.unitId) return 'not_started';
  const doc = await live.open(id, { kind: 'minutes', unitId: user.unitId, patientId: String(request.patientId), peerUnitId: String(request.toUnitId) });
  if (!doc) return 'cannot';
  if (!mainRecord(doc, 'minutes').get('id')) {
    const { fields, texts } = minutesFromRequest(requestId, request, review ?? {}, unitName);
    // Held at the scheduled time, or now when the review set none (a required field).
    const at = nowIso();
    doc.transact(() => {
      writeFields(mainRecord(doc, 'minutes'), { ...fields, heldAt: fields.heldAt ?? at, createdAt: at, createdBy: user.id });
      for (const [field, value] of Object.entries(texts)) setText(doc.getText(field), value);
    });
  }
  return 'open';
}

/** A co-edited text of the open minutes, for a text box (`{@attach coEdit(minutesText(live, 'conclusion'))}`). */
export function minutesText(live: LiveDoc, field: MinutesTextField): Y.Text | undefined {
  return live.doc?.getText(field);
}

/** The minutes as one record (plain fields and texts), read for the PDF and the screen's summary. */
export function readMinutes(live: LiveDoc): Fields | undefined {
  void live.version;
  return live.doc ? readRecord(live.doc, 'minutes') : undefined;
}
