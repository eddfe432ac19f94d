// The update log on PostgreSQL. Appends hold one advisory lock, so sequence numbers commit in order and a
// reader that has seen seq N has seen everything before N; other nodes learn of appends through NOTIFY.
import type { DocKind, SignatureEntry } from '@telehealth/domain';
import type { Sql } from './postgres-client';
import type { AccessRow, AuditEntry, DocRow, LogRow, LogStorage, LogWriteResult, Revocation } from './storage';

/** Serialises appends and compactions across every node sharing the database. */
const logLockKey = 7_462_001;
const channel = 'telehealth_log';

/** A `docs` row as PostgreSQL returns it. */
export type DocDb = { id: string; kind: string; unit_id: string; patient_id: string; peer_unit_id: string | null; created_seq: string };
type RowDb = { seq: string; doc_id: string; origin: string | null; data: Uint8Array };
type AccessDb = { reader: string; doc_id: string; vis_seq: string; can_write: boolean };
type RevocationDb = { seq: string; reader: string; doc_id: string };

export const toDoc = (r: DocDb): DocRow => ({
  id: r.id,
  kind: r.kind as DocKind,
  unitId: r.unit_id,
  patientId: r.patient_id,
  ...(r.peer_unit_id ? { peerUnitId: r.peer_unit_id } : {}),
  createdSeq: Number(r.created_seq)
});
type SignatureDb = { version: number; length: number; sha256: string; user_id: string; role: string; signer_name: string; cert_serial: string; cert_issuer: string; signed_at: Date };
const toSignature = (r: SignatureDb): SignatureEntry => ({
  version: r.version,
  length: r.length,
  sha256: r.sha256,
  userId: r.user_id,
  role: r.role as SignatureEntry['role'],
  signerName: r.signer_name,
  certSerial: r.cert_serial,
  certIssuer: r.cert_issuer,
  signedAt: r.signed_at.toISOString()
});
const toRow = (r: RowDb): LogRow => ({ seq: Number(r.seq), docId: r.doc_id, origin: r.origin, data: new Uint8Array(r.data) });
const toAccess = (r: AccessDb): AccessRow => ({ reader: r.reader, docId: r.doc_id, visSeq: Number(r.vis_seq), canWrite: r.can_write });
const toRevocation = (r: RevocationDb): Revocation => ({ reader: r.reader, docId: r.doc_id, seq: Number(r.seq) });

const sameMeta = (a: DocRow, m: { kind: string; unitId: string; patientId: string; peerUnitId?: string }) =>
  a.kind === m.kind && a.unitId === m.unitId && a.patientId === m.patientId && (a.peerUnitId ?? null) === (m.peerUnitId ?? null);

export function createPostgresLog(sql: Sql, options: { notify: boolean }): LogStorage {
  return {
    async append(writes) {
      if (writes.length === 0) return [];
      return sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(${logLockKey})`;
        const seqRows = await tx<{ s: string }[]>`select nextval('log_seq') as s from generate_series(1, ${writes.length})`;
        const seqs = seqRows.map((r) => Number(r.s));
        const results: LogWriteResult[] = [];
        // The audit lines of the batch's writes: one insert after the loop, in the same transaction.
        const audits: { at: Date; action: 'write'; doc_id: string; user_id: string; device: string; seq: number }[] = [];
        for (const [i, w] of writes.entries()) {
          const seq = seqs[i]!;
          const newAccess: AccessRow[] = [];
          const revoked: Revocation[] = [];
          if (w.create) {
            const m = w.create.meta;
            const inserted = await tx`
              insert into docs (id, kind, unit_id, patient_id, peer_unit_id, created_seq)
              values (${w.docId}, ${m.kind}, ${m.unitId}, ${m.patientId}, ${m.peerUnitId ?? null}, ${seq})
              on conflict (id) do nothing returning id`;
            if (inserted.length === 0) {
              // Created before (a retried first send, or another device): the metadata must agree.
              const [existing] = await tx<DocDb[]>`select * from docs where id = ${w.docId}`;
              if (!existing || !sameMeta(toDoc(existing), m)) {
                results.push({ ok: false, code: 'bad_meta' });
                continue;
              }
            } else {
              for (const a of w.create.access) {
                const visSeq = a.granted ? seq : 0;
                await tx`
                  insert into doc_access (reader, doc_id, vis_seq, can_write) values (${a.reader}, ${w.docId}, ${visSeq}, ${a.canWrite})
                  on conflict do nothing`;
                newAccess.push({ reader: a.reader, docId: w.docId, visSeq, canWrite: a.canWrite });
              }
            }
          }
          // A change to a signed record's content: the signature may have been accepted since the change was checked.
          if (w.unlessSigned) {
            const [signed] = await tx`select 1 from signatures where doc_id = ${w.docId} limit 1`;
            if (signed) {
              results.push({ ok: false, code: 'signed' });
              continue;
            }
          }
          await tx`insert into updates (seq, doc_id, origin, data) values (${seq}, ${w.docId}, ${w.origin}, ${w.data})`;
          if (w.outbox) {
            await tx`
              insert into prescription_outbox (code, doc_id, unit_id, patient_id, next_at, queued_at)
              values (${w.outbox.code}, ${w.docId}, ${w.outbox.unitId}, ${w.outbox.patientId}, now(), now())
              on conflict (code) do nothing`;
          }
          if (w.author) audits.push({ at: new Date(w.author.atMs), action: 'write', doc_id: w.docId, user_id: w.author.userId, device: w.origin, seq });
          for (const g of w.grants ?? []) {
            const granted = await tx`
              insert into doc_access (reader, doc_id, vis_seq, can_write)
              select ${g.reader}, id, ${seq}, false from docs where id = ${g.docId}
              on conflict do nothing returning reader`;
            if (granted.length) newAccess.push({ reader: g.reader, docId: g.docId, visSeq: seq, canWrite: false });
            if (g.source) {
              await tx`
                insert into grant_sources (reader, doc_id, source_id)
                select ${g.reader}, ${g.docId}, ${g.source} where exists (select 1 from doc_access where reader = ${g.reader} and doc_id = ${g.docId})
                on conflict do nothing`;
            }
          }
          // A revocation takes back a grant (never the access a document is created with) once no source grants it.
          for (const r of w.revokes ?? []) {
            await tx`delete from grant_sources where reader = ${r.reader} and doc_id = ${r.docId} and source_id = ${r.source}`;
            const gone = await tx`
              delete from doc_access a where a.reader = ${r.reader} and a.doc_id = ${r.docId} and a.vis_seq > 0 and not a.can_write
                and not exists (select 1 from grant_sources s where s.reader = a.reader and s.doc_id = a.doc_id)
              returning reader`;
            if (gone.length) {
              await tx`insert into access_revocations (seq, reader, doc_id) values (${seq}, ${r.reader}, ${r.docId}) on conflict do nothing`;
              revoked.push({ reader: r.reader, docId: r.docId, seq });
            }
          }
          results.push({ ok: true, seq, newAccess, revoked });
        }
        if (audits.length) await tx`insert into audit ${tx(audits, 'at', 'action', 'doc_id', 'user_id', 'device', 'seq')}`;
        if (options.notify) await tx`select pg_notify(${channel}, ${`${seqs[0]}-${seqs[seqs.length - 1]}`})`;
        return results;
      });
    },

    async signatures(docId) {
      const rows = await sql<SignatureDb[]>`select * from signatures where doc_id = ${docId} order by version`;
      return rows.map(toSignature);
    },

    async signedPdf(docId, version) {
      const [row] = await sql<{ bytes: Uint8Array; length: number }[]>`
        select p.bytes, s.length from signed_pdfs p join signatures s on s.doc_id = p.doc_id
        where p.doc_id = ${docId} and (${version ?? null}::int is null or s.version = ${version ?? null})
        order by s.version desc limit 1`;
      return row ? new Uint8Array(row.bytes).slice(0, row.length) : undefined;
    },

    async addSignature(docId, entry, pdf, contentSeq) {
      return sql.begin(async (tx) => {
        // Under the log's lock: no change to the record commits between the check of its state and the signature.
        await tx`select pg_advisory_xact_lock(${logLockKey})`;
        const [last] = await tx<{ version: number }[]>`select version from signatures where doc_id = ${docId} order by version desc limit 1`;
        if ((last?.version ?? 0) + 1 !== entry.version) return 'version_taken' as const;
        if (contentSeq !== undefined) {
          const [row] = await tx<{ seq: string | null }[]>`select max(seq) as seq from updates where doc_id = ${docId}`;
          if (Number(row?.seq ?? 0) !== contentSeq) return 'changed' as const;
        }
        await tx`
          insert into signed_pdfs (doc_id, bytes, updated_at) values (${docId}, ${pdf}, now())
          on conflict (doc_id) do update set bytes = excluded.bytes, updated_at = now()`;
        await tx`
          insert into signatures (doc_id, version, length, sha256, user_id, role, signer_name, cert_serial, cert_issuer, signed_at)
          values (${docId}, ${entry.version}, ${entry.length}, ${entry.sha256}, ${entry.userId}, ${entry.role}, ${entry.signerName}, ${entry.certSerial}, ${entry.certIssuer}, ${entry.signedAt})`;
        return 'ok' as const;
      });
    },

    async audit(entries) {
      if (entries.length === 0) return;
      const rows = entries.map((e) => ({ at: new Date(e.atMs), action: e.action, doc_id: e.docId, user_id: e.userId, device: e.device, seq: e.seq }));
      await sql`insert into audit ${sql(rows, 'at', 'action', 'doc_id', 'user_id', 'device', 'seq')}`;
    },

    async auditTrail({ docId, userId, limit }) {
      const rows = await sql<{ at: Date; action: AuditEntry['action']; doc_id: string; user_id: string; device: string | null; seq: string | null }[]>`
        select at, action, doc_id, user_id, device, seq from audit
        where (${docId ?? null}::text is null or doc_id = ${docId ?? null}) and (${userId ?? null}::text is null or user_id = ${userId ?? null})
        order by id desc limit ${limit}`;
      return rows.map((r) => ({ atMs: r.at.getTime(), action: r.action, docId: r.doc_id, userId: r.user_id, device: r.device, seq: r.seq === null ? null : Number(r.seq) }));
    },

    async maxSeq() {
      const [row] = await sql<{ s: string | null }[]>`select max(seq) as s from updates`;
      return Number(row?.s ?? 0);
    },

    async getDoc(docId) {
      const [row] = await sql<DocDb[]>`select * from docs where id = ${docId}`;
      return row && toDoc(row);
    },

    async docAccess(docId) {
      const rows = await sql<AccessDb[]>`select * from doc_access where doc_id = ${docId} order by reader`;
      return rows.map(toAccess);
    },

    async readableDocs(reader, filter, limit) {
      const rows = await sql<DocDb[]>`
        select d.* from docs d join doc_access a on a.doc_id = d.id
        where a.reader = ${reader}
          ${filter.patientId !== undefined ? sql`and d.patient_id = ${filter.patientId}` : sql``}
          ${filter.unitId !== undefined ? sql`and d.unit_id = ${filter.unitId}` : sql``}
          ${filter.kind !== undefined ? sql`and d.kind = ${filter.kind}` : sql``}
        order by d.id limit ${limit}`;
      return rows.map(toDoc);
    },

    async requestPeers(patientId) {
      const rows = await sql<{ peer_unit_id: string }[]>`
        select distinct peer_unit_id from docs where patient_id = ${patientId} and kind = 'request' and peer_unit_id is not null`;
      return rows.map((r) => r.peer_unit_id);
    },

    async readLog({ reader, device, after, horizon, maxBytes }) {
      const pageRows = 500;
      const entries: { docId: string; data: Uint8Array; e: number; s: number }[] = [];
      let bytes = 0;
      let cursor = after;
      for (;;) {
        const rows = await sql<(RowDb & { e: string })[]>`
          select u.seq, u.doc_id, u.data, greatest(u.seq, a.vis_seq) as e
          from doc_access a join updates u on u.doc_id = a.doc_id
          where a.reader = ${reader} and a.vis_seq <= ${horizon} and u.seq <= ${horizon}
            and (greatest(u.seq, a.vis_seq) > ${cursor.e} or (greatest(u.seq, a.vis_seq) = ${cursor.e} and u.seq > ${cursor.s}))
            and (u.origin is null or u.origin <> ${device})
          order by e, u.seq
          limit ${pageRows}`;
        for (const r of rows) {
          const size = r.data.length + r.doc_id.length + 10;
          if (entries.length > 0 && bytes + size > maxBytes) return { entries, complete: false };
          entries.push({ docId: r.doc_id, data: new Uint8Array(r.data), e: Number(r.e), s: Number(r.seq) });
          bytes += size;
          cursor = { e: Number(r.e), s: Number(r.seq) };
        }
        if (rows.length < pageRows) return { entries, complete: true };
      }
    },

    async docHistory(docId, upTo) {
      const rows = await sql<RowDb[]>`select seq, doc_id, origin, data from updates where doc_id = ${docId} and seq <= ${upTo} order by seq`;
      return rows.map(toRow);
    },

    async readRange(from, to) {
      const rows = await sql<RowDb[]>`select seq, doc_id, origin, data from updates where seq between ${from} and ${to} order by seq`;
      const grants = await sql<AccessDb[]>`select * from doc_access where vis_seq between ${from} and ${to} order by vis_seq`;
      const revoked = await sql<RevocationDb[]>`select seq, reader, doc_id from access_revocations where seq between ${from} and ${to} order by seq`;
      return { rows: rows.map(toRow), grants: grants.map(toAccess), revoked: revoked.map(toRevocation) };
    },

    async wasRevoked(reader, docId) {
      const rows = await sql`select 1 from access_revocations where doc_id = ${docId} and reader = ${reader} limit 1`;
      return rows.length > 0;
    },

    async docsToCompact(minRows, limit) {
      const rows = await sql<{ doc_id: string }[]>`
        select doc_id from updates group by doc_id having count(*) >= ${minRows} order by count(*) desc limit ${limit}`;
      return rows.map((r) => r.doc_id);
    },

    async compactDoc(docId, merge, maxBytes) {
      return sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(${logLockKey})`;
        const rows = (await tx<RowDb[]>`select seq, doc_id, origin, data from updates where doc_id = ${docId} order by seq`).map(toRow);
        // Runs of consecutive updates whose merge stays under maxBytes; each run becomes one row at its last seq.
        const runs: LogRow[][] = [];
        let run: LogRow[] = [];
        let size = 0;
        for (const row of rows) {
          if (run.length && size + row.data.length > maxBytes) {
            runs.push(run);
            run = [];
            size = 0;
          }
          run.push(row);
          size += row.data.length;
        }
        if (run.length) runs.push(run);
        let after = 0;
        for (const r of runs) {
          after++;
          if (r.length < 2) continue;
          const last = r[r.length - 1]!;
          const origins = new Set(r.map((x) => x.origin));
          const origin = origins.size === 1 ? last.origin : null;
          await tx`delete from updates where doc_id = ${docId} and seq between ${r[0]!.seq} and ${last.seq}`;
          await tx`insert into updates (seq, doc_id, origin, data) values (${last.seq}, ${docId}, ${origin}, ${merge(r.map((x) => x.data))})`;
        }
        return { before: rows.length, after };
      });
    },

    ...(options.notify
      ? {
          async listen(onAppend: (from: number, to: number) => void) {
            const { unlisten } = await sql.listen(channel, (payload) => {
              const [from, to] = payload.split('-').map(Number);
              if (Number.isSafeInteger(from) && Number.isSafeInteger(to)) onAppend(from!, to!);
            });
            return unlisten;
          }
        }
      : {})
  };
}
