// The consultation minutes (Biên bản hội chẩn, appendix 4 / circular 49 appendix I): one document per consultation,
// its id the request's, co-edited live by the station and the upper unit. Its plain fields (time, place, number,
// participants, ticks) go through an `Editor` like every record; its free-text fields are Y.Text roots bound to the
// text boxes (co-edit.ts), so two people typing in one field both keep their words, online or after an offline spell.
import type * as Y from 'yjs';
import { docId, mainRecord, maxSignatures, minutesTextFields, readFields, readRecord, setText, versionId, recordVersion, writeFields, type Fields, type MinutesTextField } from '@telehealth/domain';
import { session } from '../auth/session.svelte';
import { nowIso } from './dates';
import { hasDoc, type LiveDoc } from './live.svelte';
import { minutesFromRequest } from './prefill';

export const minutesDocId = (requestId: string) => docId('minutes', requestId);

/** Whether this device holds the minutes of the consultation of request `requestId`. */
export const hasMinutes = (requestId: string) => hasDoc(minutesDocId(requestId));

export type MinutesOpening = 'open' | 'not_started' | 'cannot';

/**
 * The minutes of request `requestId` that are current on this device: the first version, or its latest correction
 * (`<requestId>.v2`, `.v3`…: a signed version changes no more, a correction replaces it).
 */
export async function currentMinutesId(requestId: string): Promise<string> {
  let id = minutesDocId(requestId);
  for (let v = 2; v <= maxSignatures; v++) {
    const next = docId('minutes', versionId(requestId, v));
    if (!(await hasDoc(next))) break;
    id = next;
  }
  return id;
}

/**
 * A correction of the signed minutes open in `live` (the station writes it): a new version with everything the
 * signed one says, naming it in `replacesId`, not completed and not signed, opened in `live` in its place.
 */
export async function correctMinutes(live: LiveDoc, requestId: string, request: Fields): Promise<boolean> {
  const user = session.user;
  const old = live.doc;
  if (!old || !user?.unitId || user.role !== 'station_worker' || request.fromUnitId !== user.unitId) return false;
  const version = recordVersion(live.docId) + 1;
  if (version > maxSignatures) return false;
  const fields = readFields(mainRecord(old, 'minutes'));
  const texts = Object.fromEntries(minutesTextFields.map((f) => [f, old.getText(f).toString()]));
  const recordId = versionId(requestId, version);
  const doc = await live.open(docId('minutes', recordId), { kind: 'minutes', unitId: user.unitId, patientId: String(request.patientId), peerUnitId: String(request.toUnitId) });
  if (!doc) return false;
  if (!mainRecord(doc, 'minutes').get('id')) {
    const at = new Date().toISOString();
    const { completedAt: _completed, updatedAt: _updated, createdAt: _created, createdBy: _author, schemaVersion: _version, ...kept } = fields;
    doc.transact(() => {
      writeFields(mainRecord(doc, 'minutes'), { ...kept, id: recordId, replacesId: String(fields.id ?? requestId), createdAt: at, createdBy: user.id });
      for (const [field, value] of Object.entries(texts)) if (value) setText(doc.getText(field), value);
    });
  }
  return true;
}

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
  if (await hasDoc(id)) return (await live.open(await currentMinutesId(requestId))) ? 'open' : 'cannot';
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
