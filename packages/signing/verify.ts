// Reading and checking the signatures of a signed PDF (PAdES, ETSI.CAdES.detached or adbe.pkcs7.detached): where
// each signature sits (its /ByteRange and the CMS in its /Contents), and whether it is intact — the CMS signature
// is valid over its signed attributes with the signer's certificate, and their message digest is the digest of the
// bytes the byte range covers. Used by the server (an upload must add exactly one intact signature over the whole
// file) and by the verify view on the device (who signed, when, with which certificate, and whether the file is
// intact). Certificate trust (the national root CA, revocation) is not judged here: the view says whose certificate
// it is and who issued it.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export type PdfSignature = {
  /** [offset, length, offset, length]: the bytes the signature covers (everything but its own /Contents). */
  byteRange: [number, number, number, number];
  /** Where the byte range was written in the file (its revision is the one that ends after it). */
  at: number;
  /** The DER of the CMS SignedData (the /Contents without its zero padding). */
  cms: Uint8Array;
  /** The signature dictionary's /T (field name), /Reason, /Location and /M (signing time claimed), when present. */
  reason?: string;
  location?: string;
  claimedAt?: string;
};

export type SignatureCheck = {
  /** The CMS signature is valid and the bytes it covers are those it signed. */
  intact: boolean;
  /** It covers the whole file (the last signature): later bytes were appended after an earlier one. */
  coversWhole: boolean;
  /** Why it is not intact, in English, for logs. */
  problem?: string;
  signerName: string;
  /** Subject and issuer distinguished names, e.g. "CN=Nguyễn Văn A, O=…". */
  subject: string;
  issuer: string;
  /** Certificate serial number, hex. */
  serial: string;
  notBefore: string;
  notAfter: string;
  /** The signing time the signature claims (signed attribute, else the dictionary's /M), ISO 8601. */
  signedAt?: string;
};

const latin1 = (bytes: Uint8Array) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
};

/** The length of the DER element at the start of `bytes` (its tag, length and content), or undefined. */
function derLength(bytes: Uint8Array): number | undefined {
  if (bytes.length < 2) return undefined;
  const first = bytes[1]!;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || bytes.length < 2 + n) return undefined;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + bytes[2 + i]!;
  return 2 + n + len;
}

function hexToBytes(hex: string): Uint8Array | undefined {
  if (hex.length % 2 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** A PDF literal string's text: (…) with escapes, or <FEFF…> UTF-16BE hex. */
function pdfString(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.startsWith('<')) {
    const bytes = hexToBytes(raw.slice(1, -1).replace(/\s+/g, ''));
    if (!bytes) return undefined;
    if (bytes[0] === 0xfe && bytes[1] === 0xff) {
      let s = '';
      for (let i = 2; i + 1 < bytes.length; i += 2) s += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
      return s;
    }
    return latin1(bytes);
  }
  const body = raw.slice(1, -1).replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, e: string) => {
    const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '(': '(', ')': ')', '\\': '\\' };
    return map[e] ?? String.fromCharCode(parseInt(e, 8));
  });
  if (body.charCodeAt(0) === 0xfe && body.charCodeAt(1) === 0xff) {
    let s = '';
    for (let i = 2; i + 1 < body.length; i += 2) s += String.fromCharCode((body.charCodeAt(i) << 8) | body.charCodeAt(i + 1));
    return s;
  }
  return body;
}

/** "D:20261201103000+07'00'" as ISO 8601. */
function pdfDate(raw: string | undefined): string | undefined {
  const m = raw && /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}'?\d{2}'?)?/.exec(raw);
  if (!m) return undefined;
  const zone = !m[7] || m[7] === 'Z' ? 'Z' : `${m[7].slice(0, 3)}:${m[7].replace(/'/g, '').slice(3, 5)}`;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The most signatures read from one file (a record holds at most 30); the rest are not looked at. */
export const maxSignaturesRead = 64;
/** The largest CMS read (a signature with its chain and a timestamp is under 20 KiB). */
const maxCmsBytes = 64 * 1024;
/** How far from the byte range its dictionary is looked for, each way. */
const dictWindow = 4096;

/** The raw value of `/key` in a dictionary's text: a literal string (…) or a hex string <…>, read linearly, bounded. */
function rawValue(dict: string, key: string): string | undefined {
  const at = dict.indexOf(`/${key}`);
  if (at < 0) return undefined;
  let i = at + key.length + 1;
  while (i < dict.length && /\s/.test(dict[i]!)) i++;
  if (dict[i] === '<') {
    const end = dict.indexOf('>', i);
    return end > i && end - i <= 2048 ? dict.slice(i, end + 1) : undefined;
  }
  if (dict[i] !== '(') return undefined;
  let depth = 0;
  for (let j = i; j < dict.length && j - i <= 1024; j++) {
    const ch = dict[j];
    if (ch === '\\') j++;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return dict.slice(i, j + 1);
  }
  return undefined;
}

/**
 * The signatures of a PDF, in the order they were written: each /ByteRange whose hole is a hex /Contents string.
 * `from`: only those written at or after this offset (the revision an upload appended). Linear in the file's size
 * whatever it holds: at most `maxSignaturesRead` byte ranges are looked at, a hole over 64 KiB of CMS is not read,
 * and each dictionary is looked for within 4 KiB of its byte range.
 */
export function findSignatures(pdf: Uint8Array, from = 0): PdfSignature[] {
  const text = latin1(pdf);
  const found: PdfSignature[] = [];
  const pattern = /\/ByteRange\s*\[\s*(\d{1,10})\s+(\d{1,10})\s+(\d{1,10})\s+(\d{1,10})\s*\]/g;
  let looked = 0;
  for (let m = pattern.exec(text); m && looked < maxSignaturesRead; m = pattern.exec(text)) {
    looked++;
    if (m.index < from) continue;
    const range = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as [number, number, number, number];
    const [a, b, c, d] = range;
    if (a !== 0 || b <= 0 || c <= b + 1 || c + d > pdf.length || c - b - 2 > 2 * maxCmsBytes || text[b] !== '<' || text[c - 1] !== '>') continue;
    const contents = hexToBytes(text.slice(b + 1, c - 1));
    const length = contents && derLength(contents);
    if (!contents || !length || length > contents.length) continue;
    // The dictionary around the byte range: from its "<<" before to its ">>" after the /Contents hole, close by.
    const windowStart = Math.max(0, Math.min(m.index, b) - dictWindow);
    const start = text.lastIndexOf('<<', Math.min(m.index, b));
    const end = text.indexOf('>>', c);
    const dict = start >= windowStart && end > c && end - c <= dictWindow ? text.slice(start, b) + text.slice(c, end) : '';
    found.push({
      byteRange: range,
      at: m.index,
      cms: contents.subarray(0, length),
      reason: pdfString(rawValue(dict, 'Reason')),
      location: pdfString(rawValue(dict, 'Location')),
      claimedAt: pdfDate(pdfString(rawValue(dict, 'M')))
    });
  }
  return found;
}

const oidNames: Record<string, string> = { '2.5.4.3': 'CN', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '0.9.2342.19200300.100.1.1': 'UID' };

function nameOf(name: pkijs.RelativeDistinguishedNames): { dn: string; cn?: string } {
  const parts: string[] = [];
  let cn: string | undefined;
  for (const tv of [...name.typesAndValues].reverse()) {
    const value = String(tv.value.valueBlock.value ?? '');
    if (tv.type === '2.5.4.3') cn ??= value;
    parts.push(`${oidNames[tv.type] ?? tv.type}=${value}`);
  }
  return { dn: parts.join(', '), cn };
}

/**
 * The WebCrypto engine the checks run on, our own: @libpdf/core installs its engine as pkijs's global one when it
 * signs, and that one cannot verify.
 */
let engine: pkijs.CryptoEngine | undefined;
const verifyEngine = () => (engine ??= new pkijs.CryptoEngine({ name: 'telehealth-verify', crypto: globalThis.crypto }));

const toHex = (bytes: ArrayBuffer | Uint8Array) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
const ab = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;

/** Checks one signature of `pdf` (from `findSignatures`). Never throws: a malformed one is "not intact". */
export async function checkSignature(pdf: Uint8Array, sig: PdfSignature): Promise<SignatureCheck> {
  const [, b, c, d] = sig.byteRange;
  const base = { coversWhole: c + d === pdf.length, signerName: '', subject: '', issuer: '', serial: '', notBefore: '', notAfter: '', signedAt: sig.claimedAt };
  try {
    const asn = asn1js.fromBER(ab(sig.cms));
    if (asn.offset === -1) return { ...base, intact: false, problem: 'the signature is not DER' };
    const info = new pkijs.ContentInfo({ schema: asn.result });
    if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA) return { ...base, intact: false, problem: 'not a CMS SignedData' };
    const signed = new pkijs.SignedData({ schema: info.content });
    const signerInfo = signed.signerInfos[0];
    if (!signerInfo || signed.signerInfos.length !== 1) return { ...base, intact: false, problem: 'not one signer' };
    const content = new Uint8Array(b + d);
    content.set(pdf.subarray(0, b), 0);
    content.set(pdf.subarray(c, c + d), b);
    const result = await signed.verify({ signer: 0, data: ab(content), checkChain: false, extendedMode: true }, verifyEngine());
    const cert = result.signerCertificate;
    const who = cert ? nameOf(cert.subject) : undefined;
    const signingTime = signerInfo.signedAttrs?.attributes.find((a) => a.type === '1.2.840.113549.1.9.5')?.values[0] as asn1js.UTCTime | undefined;
    return {
      ...base,
      intact: result.signatureVerified === true,
      problem: result.signatureVerified ? undefined : (result.message ?? 'the signature does not match the document'),
      signerName: who?.cn ?? who?.dn ?? '',
      subject: who?.dn ?? '',
      issuer: cert ? nameOf(cert.issuer).dn : '',
      serial: cert ? toHex(cert.serialNumber.valueBlock.valueHexView) : '',
      notBefore: cert ? cert.notBefore.value.toISOString() : '',
      notAfter: cert ? cert.notAfter.value.toISOString() : '',
      signedAt: signingTime?.toDate?.().toISOString() ?? sig.claimedAt
    };
  } catch (err) {
    return { ...base, intact: false, problem: `cannot read the signature: ${(err as Error).message}` };
  }
}

/** Every signature of `pdf`, checked, in the order they were written. */
export async function verifyPdf(pdf: Uint8Array): Promise<SignatureCheck[]> {
  return Promise.all(findSignatures(pdf).map((s) => checkSignature(pdf, s)));
}

/** Whitespace runs as one space, and an /AcroForm entry (a signature adds or keeps one) left out. */
const sameBut = (dict: string) => dict.replace(/\/AcroForm\s+\d+\s+\d+\s+R/g, '').replace(/\s+/g, ' ').trim();

/**
 * What is wrong with the revision `after` appends to `before`, for a revision that must only add a signature, or
 * undefined. Such a revision holds no stream (no new page content, no object stream hiding objects) and defines
 * only signature objects — the signature dictionary, its field, the form's dictionary — and, of the objects the file
 * had, only the catalog (which may only gain its /AcroForm) and the form's dictionary. So a signature cannot change
 * what the signed pages show: without this, a later signer could redefine a page in the revision that carries their
 * signature, and every earlier signature would still check as intact over its own bytes.
 */
export function revisionProblem(before: Uint8Array, after: Uint8Array): string | undefined {
  const old = latin1(before);
  const added = latin1(after.subarray(before.length));
  if (/\bstream\b/.test(added)) return 'the new revision holds a stream';
  const objects = /(\d{1,10})\s+(\d{1,5})\s+obj\b([\s\S]*?)\bendobj\b/g;
  let count = 0;
  for (let m = objects.exec(added); m; m = objects.exec(added)) {
    if (++count > 20) return 'the new revision holds too many objects';
    const [, n, , body] = m;
    const dict = body!;
    const isSignature = /\/Type\s*\/Sig\b/.test(dict) || /\/FT\s*\/Sig\b/.test(dict);
    const isForm = /\/Fields\s*\[/.test(dict) && !/\/Type\s*\/(Page|Pages|Catalog)\b/.test(dict);
    const at = Math.max(old.lastIndexOf(`\n${n} 0 obj`), old.lastIndexOf(`\r${n} 0 obj`));
    if (at < 0) {
      if (!isSignature && !isForm) return `the new revision adds object ${n}, which is not a signature's`;
      continue;
    }
    const end = old.indexOf('endobj', at);
    const was = end > at ? old.slice(old.indexOf('obj', at) + 3, end) : '';
    const wasCatalog = /\/Type\s*\/Catalog\b/.test(was);
    const wasForm = /\/Fields\s*\[/.test(was) && /\/SigFlags\b/.test(was);
    if (wasCatalog && sameBut(was) === sameBut(dict)) continue;
    if (wasForm && isForm) continue;
    return `the new revision changes object ${n} of the signed file`;
  }
  return count ? undefined : 'the new revision defines nothing';
}
