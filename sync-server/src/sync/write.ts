// One update into the log, checked as every update is: who may write the document (or create it, with its
// metadata), the update's structure within bounds before Yjs decodes it, its content against the kind's closed layout
// and rules, then the grants it makes and the write. Devices' updates (connection.ts) and the server's own writes
// on a user's behalf (a FHIR import, fhir-api.ts) both go through it, so neither can store what the other
// could not.
import { isDocMeta, parseDocId, type DocMeta } from '@telehealth/domain';
import { ErrorCode, limits } from '@telehealth/protocol';
import type { Principal } from '../auth/tokens';
import type { DocRow, LogWrite, LogWriteResult } from '../storage/storage';
import { chartGrantOnSend, chartRevokeOnWithdraw, prescriptionGrantOnIssue, type CreateDecision } from './access';
import type { ContentDecision } from './content-policy';
import { inspectUpdateV2, type UpdateShape } from './update-bounds';

export type UpdateWrite = {
  principal: Principal;
  /** The writer's reader key (`unit:<id>` or `patient:<id>`), undefined for an account that reads nothing. */
  reader: string | undefined;
  /** The writing device (the server's own writes name theirs with a colon, which no device id has: `server:fhir-import`). */
  origin: string;
  docId: string;
  /** For a new document: its metadata, as JSON text (a device's) or checked already. */
  meta?: string | DocMeta;
  /** A Yjs update (v2). */
  data: Uint8Array;
};

export type UpdateResult = { ok: true; seq: number } | { ok: false; code: ErrorCode; message: string };

export type WriteHost = {
  now: () => number;
  docs: { get(docId: string): Promise<DocRow | undefined>; access(docId: string): Promise<Map<string, { visSeq: number; canWrite: boolean }>> };
  states: { check(p: Principal, docId: string, update: Uint8Array, shape: UpdateShape, patientId: string, unitId?: string): Promise<ContentDecision>; evict(docId: string): void };
  decideCreate(p: Principal, docId: string, meta: DocMeta): Promise<CreateDecision>;
  writer: { write(w: LogWrite): Promise<LogWriteResult> };
};

export async function writeUpdate(host: WriteHost, u: UpdateWrite): Promise<UpdateResult> {
  const refuse = (code: ErrorCode, message: string): UpdateResult => ({ ok: false, code, message });
  if (!parseDocId(u.docId)) return refuse(ErrorCode.badDocId, `not a document id: ${u.docId.slice(0, 80)}`);
  if (u.data.length > limits.maxUpdateBytes) return refuse(ErrorCode.updateTooLarge, `update of ${u.data.length} bytes`);
  const author = { userId: u.principal.userId, atMs: host.now() };

  // Access first: nothing a sender may not write is decoded at all.
  const existing = await host.docs.get(u.docId);
  let write: LogWrite;
  let row: DocRow;
  if (existing) {
    const access = await host.docs.access(u.docId);
    if (!u.reader || !access.get(u.reader)?.canWrite) return refuse(ErrorCode.forbidden, `may not write ${u.docId}`);
    write = { docId: u.docId, origin: u.origin, data: u.data, author };
    row = existing;
  } else {
    if (!u.meta) return refuse(ErrorCode.unknownDoc, `${u.docId} is new and came without metadata`);
    let meta: unknown = u.meta;
    if (typeof meta === 'string') {
      try {
        meta = JSON.parse(meta);
      } catch {
        return refuse(ErrorCode.badMeta, 'metadata is not JSON');
      }
    }
    if (!isDocMeta(meta)) return refuse(ErrorCode.badMeta, 'metadata does not have the expected fields');
    const decision = await host.decideCreate(u.principal, u.docId, meta);
    if (!decision.ok) return refuse(decision.code, decision.message);
    write = { docId: u.docId, origin: u.origin, data: u.data, create: decision.create, grants: decision.grants, author };
    row = { ...meta, id: u.docId, createdSeq: 0 };
  }
  // Then the update's structure, within bounds, before Yjs decodes it (update-bounds.ts).
  const shape = inspectUpdateV2(u.data);
  if (!shape.ok) return refuse(shape.code, `${u.docId}: ${shape.message}`);
  const content = await host.states.check(u.principal, u.docId, u.data, shape.shape, row.patientId, row.unitId);
  if (!content.ok) return refuse(content.code, `${u.docId}: ${content.message}`);
  if (content.issued) {
    write.outbox = { code: content.issued, unitId: row.unitId, patientId: row.patientId };
    write.grants = [...(write.grants ?? []), ...prescriptionGrantOnIssue(row, true)];
  }
  if (content.lockable) write.unlessSigned = true;
  if (content.withdrawn) write.revokes = chartRevokeOnWithdraw(row, true);
  else if (content.sent) write.grants = [...(write.grants ?? []), ...chartGrantOnSend(row, true)];
  const result = await host.writer.write(write);
  if (!result.ok) {
    host.states.evict(u.docId);
    if (result.code === 'signed') return refuse(ErrorCode.forbidden, `${u.docId}: a signed record changes no more; write a correction (a new version that replaces it)`);
    return refuse(ErrorCode.badMeta, `${u.docId} exists with other metadata`);
  }
  return { ok: true, seq: result.seq };
}
