// Signed records (criterion 61; M7, M10): the minutes of a consultation and issued prescriptions, signed as a PDF
// (PAdES) on the device by each signer in turn. The server keeps the signed PDF and checks every upload before it becomes the record's:
//
// - GET  /api/signatures/<docId>             who may read the record: its signatures (packages/domain/signatures.ts)
// - GET  /api/signatures/<docId>/pdf[?version=n]   the signed PDF as it was after signature n (the latest by default)
// - POST /api/signatures/<docId>?role=&version=&content=   body: the PDF (application/pdf). Who may write the record signs
//   it once, in a role of its kind (`signingRoles`: the minutes' chair, secretary and members, one chair and one
//   secretary; a prescription's prescriber, once it is issued). The upload must be the PDF the server
//   holds (the file before, byte for byte) followed by one revision that adds exactly one signature, intact, over the
//   whole file; the first signature also names the record it printed (`content`: the SHA-256 of `canonicalRecord`),
//   which must be the server's, so that what is signed is what the record says. Accepted, the record is
//   locked: the sync server refuses any change to its content from then on (content-policy.ts, postgres-log.ts), and
//   the signer's device appends the signature to the record's `signatures` log. Audited `sign`.
import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { Role, SignatureRole, canonicalRecord, maxSignatures, maxSignedPdfBytes, parseDocId, signedKinds, signingProblem, signingRoles, type SignatureEntry, type SignedKind } from '@telehealth/domain';
import type { Principal } from './auth/tokens';
import type { Logger } from './log';
import type { Storage } from './storage/storage';
import type { Refuse } from './accounts-api';
import { readerOf } from './sync/access';
import { stateOf } from './sync/content-policy';

type Vars = { Variables: { principal: Principal } };

export type SignaturesDeps = { storage: Storage; log: Logger; now: () => number; refuse: Refuse };

const pdfMagic = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
/** Whether the bytes start as a PDF does. */
export const looksLikePdf = (bytes: Uint8Array) => pdfMagic.every((b, i) => bytes[i] === b);

/**
 * A certificate's name as it may be stored and shown: no control characters (PostgreSQL refuses NUL) and no
 * direction overrides (which can make one name look like another), at most `max` characters.
 */
export function printable(text: string, max: number): string {
  const hidden = (c: number) => c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
  return [...text]
    .filter((ch) => !hidden(ch.codePointAt(0)!))
    .join('')
    .trim()
    .slice(0, max);
}

/**
 * An account's access to a record of a signed kind: whether its unit reads it and writes it (who writes it signs it),
 * or undefined (not a signed kind, not a staff account, or not a record its unit reads). The remote-signing relay
 * asks the same.
 */
export async function signedRecordAccess(storage: Storage, p: Principal, docId: string): Promise<{ canWrite: boolean; kind: SignedKind } | undefined> {
  const kind = parseDocId(docId)?.kind;
  if (!kind || !(signedKinds as readonly string[]).includes(kind)) return undefined;
  const reader = readerOf(p);
  if (!reader || (p.role !== Role.stationWorker && p.role !== Role.doctor)) return undefined;
  const row = (await storage.log.docAccess(docId)).find((a) => a.reader === reader);
  return row ? { canWrite: row.canWrite, kind: kind as SignedKind } : undefined;
}

export function mountSignatures(app: Hono<Vars>, deps: SignaturesDeps) {
  const { storage, log, now, refuse } = deps;

  const access = (p: Principal, docId: string) => signedRecordAccess(storage, p, docId);

  app.get('/api/signatures/:docId', async (c) => {
    const docId = c.req.param('docId');
    if (!(await access(c.get('principal'), docId))) return refuse(c, 404, 'not_found', 'no signed record with this id that you may read');
    c.header('Cache-Control', 'no-store');
    return c.json({ signatures: await storage.log.signatures(docId) });
  });

  app.get('/api/signatures/:docId/pdf', async (c) => {
    const docId = c.req.param('docId');
    if (!(await access(c.get('principal'), docId))) return refuse(c, 404, 'not_found', 'no signed record with this id that you may read');
    const raw = c.req.query('version');
    const version = raw === undefined ? undefined : Number(raw);
    if (version !== undefined && !(Number.isInteger(version) && version >= 1 && version <= maxSignatures)) return refuse(c, 400, 'invalid_version', `version: a whole number from 1 to ${maxSignatures}`);
    const pdf = await storage.log.signedPdf(docId, version);
    if (!pdf) return refuse(c, 404, 'not_signed', 'this record has no signature yet');
    c.header('Content-Type', 'application/pdf');
    c.header('Cache-Control', 'private, no-store');
    return c.body(pdf.slice().buffer as ArrayBuffer);
  });

  app.post(
    '/api/signatures/:docId',
    bodyLimit({ maxSize: maxSignedPdfBytes, onError: (c) => refuse(c, 413, 'payload_too_large', `a signed PDF is at most ${maxSignedPdfBytes} bytes`) }),
    async (c) => {
      const p = c.get('principal');
      const docId = c.req.param('docId');
      const allowed = await access(p, docId);
      if (!allowed) return refuse(c, 404, 'not_found', 'no signed record with this id that you may read');
      if (!allowed.canWrite) return refuse(c, 403, 'forbidden', 'only the units that write this record sign it');
      if (!/^application\/pdf\s*(;|$)/i.test(c.req.header('content-type') ?? '')) return refuse(c, 415, 'unsupported_media_type', 'send the signed file as application/pdf');
      const role = c.req.query('role');
      const roles = signingRoles[allowed.kind];
      if (!(roles as readonly string[]).includes(role ?? '')) return refuse(c, 400, 'invalid_role', `role: one of ${roles.join(', ')}`);
      const version = Number(c.req.query('version'));
      if (!Number.isInteger(version) || version < 1 || version > maxSignatures) return refuse(c, 400, 'invalid_version', `version: a whole number from 1 to ${maxSignatures}`);

      // The first signature names the record it printed (the SHA-256 of `canonicalRecord`): checked before the file is read.
      const content = c.req.query('content');
      if (version === 1 && !/^[0-9a-f]{64}$/.test(content ?? '')) return refuse(c, 400, 'invalid_content', 'content: the SHA-256 (hex) of the record that was printed');

      const accepted = await storage.log.signatures(docId);
      if (version !== accepted.length + 1) return refuse(c, 409, 'version_taken', `the record has ${accepted.length} signature(s): this one would be number ${accepted.length + 1}`, { signatures: accepted });
      if (accepted.some((s) => s.userId === p.userId)) return refuse(c, 409, 'already_signed', 'you have signed this record already');
      // The minutes are chaired: the chair signs first (who chairs is the minutes' to say; the signer names the role).
      if (allowed.kind === 'minutes' && version === 1 && role !== SignatureRole.chair) return refuse(c, 409, 'chair_first', 'the chair signs the minutes first');
      if (role !== SignatureRole.member && accepted.some((s) => s.role === role)) return refuse(c, 409, 'role_taken', `the record has a ${role}'s signature already`);

      const pdf = new Uint8Array(await c.req.arrayBuffer());
      const before = accepted.length ? await storage.log.signedPdf(docId) : undefined;
      if (before) {
        if (pdf.length <= before.length || !Buffer.from(pdf.buffer, pdf.byteOffset, before.length).equals(Buffer.from(before))) {
          return refuse(c, 400, 'not_incremental', 'the signed file must be the file the server holds followed by the new signature');
        }
      } else if (!looksLikePdf(pdf)) {
        return refuse(c, 400, 'not_a_pdf', 'the file is not a PDF');
      }
      // Exactly one new signature, written after the file before, intact, over the whole file; none other anywhere.
      // The PDF and CMS code (pkijs) is loaded with the first signature, not with every server start.
      const { checkSignature, findSignatures, revisionProblem } = await import('@telehealth/signing/verify');
      const added = findSignatures(pdf, before?.length ?? 0);
      if (added.length !== 1 || findSignatures(pdf).length !== version) return refuse(c, 400, 'bad_signature', `the file must add exactly one signature (it adds ${added.length})`);
      // The revision that carries it adds a signature and nothing else: what the file shows stays what was signed.
      const changed = before ? revisionProblem(before, pdf) : undefined;
      if (changed) {
        log.warn('signatures.refused', { docId, userId: p.userId, problem: changed });
        return refuse(c, 400, 'not_incremental', changed);
      }
      const check = await checkSignature(pdf, added[0]!);
      if (!check.intact || !check.coversWhole) {
        log.warn('signatures.refused', { docId, userId: p.userId, problem: check.problem ?? 'does not cover the whole file' });
        return refuse(c, 400, 'bad_signature', check.intact ? 'the signature does not cover the whole file' : `the signature is not intact: ${check.problem}`);
      }

      // The first signature is of the record as the server has it now (and as it may be signed: an issued prescription).
      let contentSeq: number | undefined;
      if (version === 1) {
        const rows = await storage.log.docHistory(docId, Number.MAX_SAFE_INTEGER);
        const doc = stateOf(docId, rows);
        const same = createHash('sha256').update(canonicalRecord(doc, allowed.kind)).digest('hex') === content;
        const problem = signingProblem(allowed.kind, doc);
        doc.destroy();
        if (problem) return refuse(c, 409, 'not_signable', problem);
        if (!same) return refuse(c, 409, 'changed', 'the record changed since it was printed (or this device has changes not yet synced): print it again and sign');
        contentSeq = rows.reduce((max, r) => Math.max(max, r.seq), 0);
      }

      const entry: SignatureEntry = {
        version,
        length: pdf.length,
        sha256: createHash('sha256').update(pdf).digest('hex'),
        userId: p.userId,
        role: role as SignatureRole,
        signerName: printable(check.signerName || check.subject, 200) || '?',
        certSerial: (check.serial || '0').slice(0, 128),
        certIssuer: printable(check.issuer, 500) || '?',
        signedAt: new Date(now()).toISOString()
      };
      const stored = await storage.log.addSignature(docId, entry, pdf, contentSeq);
      if (stored === 'changed') return refuse(c, 409, 'changed', 'the record changed while it was being signed: print it again and sign');
      if (stored === 'version_taken') return refuse(c, 409, 'version_taken', 'someone else signed at the same time: sign again over their signature', { signatures: await storage.log.signatures(docId) });
      await storage.log.audit([{ atMs: now(), action: 'sign', docId, userId: p.userId, device: null, seq: null }]);
      log.info('signatures.accepted', { docId, userId: p.userId, version, role, bytes: pdf.length });
      return c.json({ signature: entry }, 201);
    }
  );
}
