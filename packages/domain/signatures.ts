// Signed records (criterion 61; M7, M10): the minutes of a consultation are signed as a PDF (PAdES) by the chair,
// the secretary and the members, one after another; an issued prescription by its prescriber. The server keeps the signed PDF and a row per signature; the
// record's `signatures` log carries the same rows to every device that holds it (checked by the server against its
// own rows), so that a device offline knows the record is signed and locked, and who signed it. Once signed, the
// record changes no more: a correction is a new version that replaces it (`replacesId`).
import * as Y from 'yjs';
import { ParticipantRole } from './records';
import { validatePatch, type Schema } from './schema';

/** The kinds of record that are signed this way. */
export const signedKinds = ['minutes', 'prescription'] as const;
export type SignedKind = (typeof signedKinds)[number];

/** In which role one signs: a consultation's chair, secretary or member (appendix I), a prescription's prescriber. */
export const SignatureRole = { ...ParticipantRole, prescriber: 'prescriber' } as const;
export type SignatureRole = (typeof SignatureRole)[keyof typeof SignatureRole];

/** The roles a kind is signed in, the first the one who signs first; each but `member` is signed once. */
export const signingRoles: Record<SignedKind, readonly SignatureRole[]> = {
  minutes: [SignatureRole.chair, SignatureRole.secretary, SignatureRole.member],
  prescription: [SignatureRole.prescriber]
};

/** Why a record cannot be signed as it stands (minutes once completed, a prescription once issued), or undefined. */
export function signingProblem(kind: SignedKind, doc: Y.Doc): string | undefined {
  if (kind === 'prescription' && doc.getMap('prescription').get('issuedAt') === undefined) return 'a prescription is signed once it is issued';
  if (kind === 'minutes' && doc.getMap('minutes').get('completedAt') === undefined) return 'the minutes are signed once they are marked completed';
  return undefined;
}

/** Signatures a record holds at most (the members of a consultation, 30, each once). */
export const maxSignatures = 30;
/** The largest signed PDF the server keeps (the minutes with photos are not printed; their PDF is ≈ 60 KB, 17 KB a signature). */
export const maxSignedPdfBytes = 2 * 1024 * 1024;

/** One signature as the server recorded it, and as the record's `signatures` log carries it. */
export type SignatureEntry = {
  /** 1 for the first signature, then 2, 3…: the revision of the signed PDF that holds it. */
  version: number;
  /** Bytes of the signed PDF up to and with this signature (each signature appends to the file before it). */
  length: number;
  /** SHA-256 of those bytes, hex. */
  sha256: string;
  /** The account that signed, its role in the consultation, and its name on the certificate. */
  userId: string;
  role: SignatureRole;
  signerName: string;
  /** The certificate: its serial number (hex) and its issuer. */
  certSerial: string;
  certIssuer: string;
  /** When the server accepted the signature. */
  signedAt: string;
};

export const signatureEntrySchema = {
  version: { type: 'number', min: 1, max: maxSignatures, integer: true, required: true },
  length: { type: 'number', min: 1, max: maxSignedPdfBytes, integer: true, required: true },
  sha256: { type: 'text', max: 64, pattern: /^[0-9a-f]{64}$/, required: true },
  userId: { type: 'text', max: 64, pattern: /^[A-Za-z0-9_.-]{1,64}$/, required: true },
  role: { type: 'enum', values: Object.values(SignatureRole), required: true },
  signerName: { type: 'text', max: 200, required: true },
  certSerial: { type: 'text', max: 128, pattern: /^[0-9a-f]{1,128}$/, required: true },
  certIssuer: { type: 'text', max: 500, required: true },
  signedAt: { type: 'datetime', required: true }
} as const satisfies Schema;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Y.AbstractType);

/** A `signatures` log entry: exactly the fields of `SignatureEntry`, valid. */
export function checkSignatureEntry(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'a signature is an object';
  const unknown = Object.keys(value).filter((k) => !Object.hasOwn(signatureEntrySchema, k));
  if (unknown.length) return `unknown signature fields: ${unknown.slice(0, 3).join(', ')}`;
  const missing = Object.keys(signatureEntrySchema).filter((k) => value[k] === undefined || value[k] === '');
  if (missing.length) return `signature without ${missing.join(', ')}`;
  const errors = validatePatch(signatureEntrySchema, value);
  return errors.length ? `signature ${errors[0]!.field}: ${errors[0]!.code}` : undefined;
}

/** Two entries say the same signature (field by field). */
export function sameSignature(a: SignatureEntry, b: SignatureEntry): boolean {
  return (Object.keys(signatureEntrySchema) as (keyof SignatureEntry)[]).every((k) => a[k] === b[k]);
}

/** The signatures a record's log holds, one per version, in version order (a version appended twice counts once). */
export function signaturesOf(doc: Y.Doc): SignatureEntry[] {
  if (!doc.share.has('signatures')) return [];
  const byVersion = new Map<number, SignatureEntry>();
  for (const value of doc.getArray('signatures').toArray()) {
    if (checkSignatureEntry(value) === undefined) byVersion.set((value as SignatureEntry).version, value as SignatureEntry);
  }
  return [...byVersion.values()].sort((a, b) => a.version - b.version);
}

/** Which version a record id is: n for `<baseId>.vn`, else 1 (`versionId`'s inverse). */
export const recordVersion = (id: string | undefined) => Number(/\.v(\d+)$/.exec(id ?? '')?.[1] ?? 1);

/** A correction's id: the record it replaces, numbered (`<requestId>.v2`, `.v3`…), so every device finds the latest. */
export function versionId(baseId: string, version: number): string {
  return version <= 1 ? baseId : `${baseId}.v${version}`;
}
