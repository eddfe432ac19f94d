// Who may create, read and write which document: decided from the account's role and unit, never from the client.
import { DocKind, Role, parseDocId, type DocMeta } from '@telehealth/domain';
import { ErrorCode } from '@telehealth/protocol';
import type { Principal } from '../auth/tokens';
import type { DocRow, LogWrite, Reader } from '../storage/storage';

/** The log reader an account reads as: its unit for staff, its own record for a patient; none for an admin. */
export function readerOf(p: Principal): Reader | undefined {
  if (p.role === Role.patient) return p.patientId ? `patient:${p.patientId}` : undefined;
  if (p.role === Role.stationWorker || p.role === Role.doctor) return p.unitId ? `unit:${p.unitId}` : undefined;
  return undefined;
}

export type CreateContext = {
  linkedUnits(unitId: string): Promise<string[]>;
  getDoc(docId: string): Promise<DocRow | undefined>;
  requestPeers(patientId: string): Promise<string[]>;
  /** The station of a patient account with this patient id (a patient who registered themselves), if any. */
  patientAccountUnit(patientId: string): Promise<string | undefined>;
};

export type CreateDecision = { ok: true; create: NonNullable<LogWrite['create']>; grants: NonNullable<LogWrite['grants']> } | { ok: false; code: ErrorCode; message: string };

const refuse = (code: ErrorCode, message: string): CreateDecision => ({ ok: false, code, message });

type AccessList = NonNullable<LogWrite['create']>['access'];
const allow = (meta: DocMeta, access: AccessList, grants: NonNullable<LogWrite['grants']> = []): CreateDecision => ({
  ok: true,
  create: { meta, access },
  grants
});

/** Checks a new document's metadata against its id and the creating account, and decides who may read and write it. */
export async function decideCreate(p: Principal, docId: string, meta: DocMeta, ctx: CreateContext): Promise<CreateDecision> {
  const parsed = parseDocId(docId);
  if (!parsed || parsed.kind !== meta.kind) return refuse(ErrorCode.badMeta, `metadata kind ${meta.kind} does not match ${docId}`);
  const unit = (id: string) => `unit:${id}`;
  const isStationStaff = p.role === Role.stationWorker && p.unitId === meta.unitId;

  switch (meta.kind) {
    case DocKind.patient: {
      if (!isStationStaff) return refuse(ErrorCode.forbidden, 'only the station staff of the owning unit create a patient chart');
      if (parsed.id !== meta.patientId) return refuse(ErrorCode.badMeta, 'a chart id must be its patient id');
      // A patient who registered with another station is that station's: no one else may create their chart.
      const home = await ctx.patientAccountUnit(meta.patientId);
      if (home !== undefined && home !== meta.unitId) return refuse(ErrorCode.forbidden, 'this patient is registered with another station');
      // Upper units that already hold a request for this patient may read the chart from now on.
      const peers = await ctx.requestPeers(meta.patientId);
      return allow(meta, [
        { reader: unit(meta.unitId), canWrite: true },
        { reader: `patient:${meta.patientId}`, canWrite: false },
        ...peers.map((peer) => ({ reader: unit(peer), canWrite: false, granted: true }))
      ]);
    }
    case DocKind.appointment: {
      const ownBooking = p.role === Role.patient && p.patientId === meta.patientId && p.unitId === meta.unitId;
      if (!isStationStaff && !ownBooking) return refuse(ErrorCode.forbidden, 'a booking is made by the patient or by the station');
      return allow(meta, [
        { reader: unit(meta.unitId), canWrite: true },
        { reader: `patient:${meta.patientId}`, canWrite: true }
      ]);
    }
    case DocKind.request:
    case DocKind.minutes: {
      if (!isStationStaff) return refuse(ErrorCode.forbidden, `only station staff create a ${meta.kind}`);
      const peer = meta.peerUnitId;
      if (!peer || !(await ctx.linkedUnits(meta.unitId)).includes(peer)) return refuse(ErrorCode.badMeta, 'the upper unit must be one the station is linked to');
      // The chart it is about must be the station's own: a request must not open another unit's chart to anyone.
      const chart = await ctx.getDoc(`patient:${meta.patientId}`);
      if (!chart || chart.unitId !== meta.unitId) return refuse(ErrorCode.forbidden, `the chart of ${meta.patientId} is not one of this station's`);
      return allow(
        meta,
        [
          { reader: unit(meta.unitId), canWrite: true },
          { reader: unit(peer), canWrite: meta.kind === DocKind.minutes }
        ],
        // A request opens the chart to the upper unit when it is sent (see chartGrantOnSend), not as a draft.
        meta.kind === DocKind.minutes ? [{ reader: unit(peer), docId: `patient:${meta.patientId}`, source: docId }] : []
      );
    }
    case DocKind.call: {
      // A unit's staff log their own unit's calls; patients and admins log none.
      const staff = (p.role === Role.stationWorker || p.role === Role.doctor) && p.unitId === meta.unitId;
      if (!staff) return refuse(ErrorCode.forbidden, 'a call is logged by the staff of the unit that logs it');
      // A call about no patient (a briefing) names itself as its patient; else the chart must be one the unit reads.
      if (meta.patientId === parsed.id) {
        if (meta.peerUnitId) return refuse(ErrorCode.badMeta, 'a call linked to a request names the request’s patient');
        return allow(meta, [{ reader: unit(meta.unitId), canWrite: true }]);
      }
      const chart = await ctx.getDoc(`patient:${meta.patientId}`);
      const peers = await ctx.requestPeers(meta.patientId);
      if (!chart || (chart.unitId !== meta.unitId && !peers.includes(meta.unitId))) return refuse(ErrorCode.forbidden, `the chart of ${meta.patientId} is not one this unit reads`);
      const peer = meta.peerUnitId;
      if (!peer) return allow(meta, [{ reader: unit(meta.unitId), canWrite: true }]);
      // Linked to a request: the other unit of a request for this patient between the two units reads the log.
      const linked = (chart.unitId === meta.unitId && peers.includes(peer)) || (chart.unitId === peer && peers.includes(meta.unitId));
      if (!linked) return refuse(ErrorCode.forbidden, 'no consultation request for this patient links the two units');
      return allow(meta, [
        { reader: unit(meta.unitId), canWrite: true },
        { reader: unit(peer), canWrite: false }
      ]);
    }
    case DocKind.prescription: {
      // The station that owns the chart prescribes (from its form or from the minutes of a consultation); the upper
      // units that hold a request for this patient read it (as they read the chart); the patient reads it once it is
      // issued (prescriptionGrantOnIssue), never a draft.
      if (!isStationStaff) return refuse(ErrorCode.forbidden, 'only the station staff of the owning unit write a prescription');
      const chart = await ctx.getDoc(`patient:${meta.patientId}`);
      if (!chart || chart.unitId !== meta.unitId) return refuse(ErrorCode.forbidden, `the chart of ${meta.patientId} is not one of this station's`);
      if (meta.peerUnitId) return refuse(ErrorCode.badMeta, 'a prescription names no other unit');
      const peers = await ctx.requestPeers(meta.patientId);
      return allow(meta, [
        { reader: unit(meta.unitId), canWrite: true },
        ...peers.map((peer) => ({ reader: unit(peer), canWrite: false }))
      ]);
    }
    case DocKind.review: {
      if (p.role !== Role.doctor || p.unitId !== meta.unitId) return refuse(ErrorCode.forbidden, 'only the upper unit a request was sent to writes its review');
      const request = await ctx.getDoc(`request:${parsed.id}`);
      if (!request || request.peerUnitId !== meta.unitId) return refuse(ErrorCode.forbidden, 'no request with this id was sent to this unit');
      if (meta.peerUnitId !== request.unitId || meta.patientId !== request.patientId) return refuse(ErrorCode.badMeta, 'a review must name its request station and patient');
      return allow(meta, [
        { reader: unit(meta.unitId), canWrite: true },
        { reader: unit(request.unitId), canWrite: false }
      ]);
    }
  }
}

/** The grant a write that issues a prescription makes: the patient reads it from then on (with its whole history). */
export function prescriptionGrantOnIssue(doc: DocRow, issued: boolean): NonNullable<LogWrite['grants']> {
  if (!issued || doc.kind !== DocKind.prescription) return [];
  return [{ reader: `patient:${doc.patientId}`, docId: doc.id }];
}

/** The grant a write to a request makes when it sends the request: the upper unit may read the chart from then on. */
export function chartGrantOnSend(doc: DocRow, sent: boolean): NonNullable<LogWrite['grants']> {
  if (!sent || doc.kind !== DocKind.request || !doc.peerUnitId) return [];
  return [{ reader: `unit:${doc.peerUnitId}`, docId: `patient:${doc.patientId}`, source: doc.id }];
}

/**
 * What a write to a request takes back when it withdraws the request: this request no longer opens the chart to the
 * upper unit. The unit keeps reading the chart while another sent request or minutes of the station still grants it.
 */
export function chartRevokeOnWithdraw(doc: DocRow, withdrawn: boolean): NonNullable<LogWrite['revokes']> {
  if (!withdrawn || doc.kind !== DocKind.request || !doc.peerUnitId) return [];
  return [{ reader: `unit:${doc.peerUnitId}`, docId: `patient:${doc.patientId}`, source: doc.id }];
}
