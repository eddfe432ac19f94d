// Signing a PDF (PAdES B-B, ETSI.CAdES.detached) by an incremental update: the signed file is the file before it
// plus one appended revision, so every earlier signature stays valid and several signers (the chair, the secretary,
// the members) sign one after another. The PDF machinery is @libpdf/core's; who signs is a `Signer`
// (./signers.ts): a PKCS#12 file on the device, a CSC signHash service, or a confirm-on-phone service. This module
// is loaded only by the screens that sign (it is large).
import { PDF, P12Signer, type Signer } from '@libpdf/core';

export type { Signer } from '@libpdf/core';

/**
 * Bytes reserved for one signature's CMS (certificate chain included): the hex placeholder is twice this. 8 KiB
 * holds a signature with a chain of three 2048-bit RSA certificates with room to spare, and keeps a signature
 * under 17 KB of the file.
 */
export const signatureReserve = 8192;

export type SignOptions = {
  /** Why (the signer's role in the record, e.g. "Chủ trì"), where (the unit), and the signature field's name. */
  reason: string;
  location?: string;
  fieldName: string;
  /** The signing time written in the signature (the device's clock; injected in tests). */
  at?: Date;
};

export class SigningError extends Error {
  constructor(
    readonly code: 'bad_password' | 'bad_file' | 'signer_failed' | 'not_a_pdf',
    message: string
  ) {
    super(message);
  }
}

/** `pdf` signed once more: the same bytes followed by a revision that holds the new signature. */
export async function signPdf(pdf: Uint8Array, signer: Signer, options: SignOptions): Promise<Uint8Array> {
  let doc: PDF;
  try {
    doc = await PDF.load(pdf);
  } catch (err) {
    throw new SigningError('not_a_pdf', `cannot read the PDF: ${(err as Error).message}`);
  }
  try {
    const signed = await doc.sign({
      signer,
      reason: options.reason,
      location: options.location,
      fieldName: options.fieldName,
      signingTime: options.at,
      subFilter: 'ETSI.CAdES.detached',
      level: 'B-B',
      estimatedSize: signatureReserve
    });
    return signed.bytes;
  } catch (err) {
    if (err instanceof SigningError) throw err;
    throw new SigningError('signer_failed', (err as Error).message);
  }
}

/**
 * A signer from a PKCS#12 file (.p12, .pfx) and its password: the key is read into memory on this device for this
 * signature only, never stored, never sent.
 */
export async function p12Signer(file: Uint8Array, password: string): Promise<Signer> {
  try {
    return await P12Signer.create(file, password);
  } catch (err) {
    const message = (err as Error).message;
    throw new SigningError(/password|mac|decrypt|integrity/i.test(message) ? 'bad_password' : 'bad_file', message);
  }
}
