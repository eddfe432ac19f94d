// Consultation requests (M6, appendix 4A) and the upper unit's review: the writes their screen makes. The station
// makes a request from the chart and the form, attaches photos (photos.ts) and may withdraw it once sent; the upper
// unit starts its review.
import { ReviewStatus, chartForms, docId, mainRecord, readFields, writeFields, type Fields } from '@telehealth/domain';
import { session } from '../auth/session.svelte';
import { catalogs } from '../catalogs.svelte';
import { sync } from '../sync/sync-state.svelte';
import { nowIso } from './dates';
import { withdrawable } from './inbox';
import { hasDoc, type LiveDoc } from './live.svelte';
import { requestFromForm } from './prefill';

/**
 * A new request from this station to the upper unit `toUnitId`, filled from the patient's chart and, when given,
 * the form it follows; returns its id, or undefined when this device cannot write one (no unit, not started).
 */
export async function createRequest(patientId: string, formId: string, toUnitId: string): Promise<string | undefined> {
  const engine = sync.engine;
  const user = session.user;
  if (!engine || !user?.unitId || !patientId || !toUnitId) return undefined;
  const chartId = docId('patient', patientId);
  const chart = await engine.openDoc(chartId);
  const p = readFields(mainRecord(chart, 'patient'));
  const form: Fields = formId ? (chartForms(chart).get(formId)?.toJSON() ?? {}) : {};
  await engine.closeDoc(chartId);
  const icd10 = await catalogs.loadIcd10();
  const id = crypto.randomUUID();
  const request: Fields = {
    id,
    patientId,
    fromUnitId: user.unitId,
    toUnitId,
    formId: formId || undefined,
    requestingDoctorName: user.displayName,
    ...requestFromForm(p, form, (code) => icd10?.get(code)?.nameVi),
    createdAt: nowIso(),
    createdBy: user.id
  };
  const requestDocId = docId('request', id);
  const doc = await engine.openDoc(requestDocId, { kind: 'request', unitId: user.unitId, patientId, peerUnitId: toUnitId });
  writeFields(mainRecord(doc, 'request'), request);
  await engine.closeDoc(requestDocId);
  return id;
}

/**
 * The upper unit starts its review of request `requestId` (`request` is the request's record): opens the review
 * in `live` (creating it when this device has none) and writes it as received by the signed-in doctor.
 */
export async function startReview(live: LiveDoc, requestId: string, request: Fields): Promise<void> {
  const user = session.user;
  if (!user?.unitId || !requestId) return;
  const reviewDocId = docId('review', requestId);
  const exists = await hasDoc(reviewDocId);
  const doc = await live.open(reviewDocId, exists ? undefined : { kind: 'review', unitId: user.unitId, patientId: String(request.patientId), peerUnitId: String(request.fromUnitId) });
  if (doc && !mainRecord(doc, 'review').get('id')) {
    writeFields(mainRecord(doc, 'review'), { id: requestId, requestId, unitId: user.unitId, reviewerName: user.displayName, status: ReviewStatus.received, createdAt: nowIso(), createdBy: user.id });
  }
}

/**
 * The station withdraws its sent request (open in `live`; `review` is the upper unit's review, if this device has
 * it): `withdrawnAt` is set, a record change like any other (stored and queued at once, sent when online). The
 * server then takes the patient's chart back from the upper unit unless another request or minutes grants it, and
 * refuses any later change to the request. Returns whether it was withdrawn (not when the screen may not offer it:
 * not a station, not sent, withdrawn already, or the upper unit has dealt with it — `withdrawable`).
 */
export function withdrawRequest(live: LiveDoc, review: Fields | undefined): boolean {
  const doc = live.doc;
  const user = session.user;
  if (!doc || user?.role !== 'station_worker') return false;
  const request = mainRecord(doc, 'request');
  if (request.get('fromUnitId') !== user.unitId || !withdrawable(readFields(request), review, Date.now())) return false;
  const at = nowIso();
  writeFields(request, { withdrawnAt: at, updatedAt: at });
  return true;
}
