// The encrypted backup file of one account's device data (README "Backing up a device"): a small clear header
// (magic, format version, key-derivation parameters, salt, IV, creation time, account and unit, document count —
// no health data), then the payload deflated and encrypted with AES-GCM under a key derived from a passphrase with
// scrypt. The header is the GCM's additional data, so changing any byte of the file is detected. Reading is
// closed and bounded: a file that is not a backup, is of another version, too large, truncated, changed, or opened
// with the wrong passphrase gives a typed error and nothing else.
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { fromBase64, toBase64 } from 'lib0/buffer';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { parseDocId } from '@telehealth/domain';
import type { Cursor } from '@telehealth/protocol';

/** "YTXBAKUP": the first 8 bytes of every backup file. */
export const BACKUP_MAGIC = new Uint8Array([0x59, 0x54, 0x58, 0x42, 0x41, 0x4b, 0x55, 0x50]);
export const BACKUP_FORMAT_VERSION = 1;
/** magic (8) + version (u16) + header length (u32). */
const PREFIX_BYTES = 14;
const MAX_HEADER_BYTES = 4096;
const SALT_BYTES = 16;
const IV_BYTES = 12;
/** Bytes of the derived key material kept in the header to tell a wrong passphrase from a changed file. */
const CHECK_BYTES = 16;
const GCM_TAG_BYTES = 16;

/**
 * scrypt, N = 2^15, r = 8, p = 1 (32 MiB of memory): about 0.25 s in Node on the development server's core,
 * 1–1.5 s on a low-end Android phone (a Cortex-A53 runs such JavaScript 4–6 times slower). Memory-hard, so a
 * stolen file is costly to attack by guessing; the parameters travel in the header, so they can be raised later
 * without breaking older files. @noble/hashes (audited, no dependencies) runs the same code in browsers and Node.
 */
export const DEFAULT_KDF: KdfParams = { name: 'scrypt', logN: 15, r: 8, p: 1 };
export type KdfParams = { name: 'scrypt'; logN: number; r: number; p: number };
/** What a file may ask of the device: at most 64 MiB of scrypt memory (128·r·N bytes), and not too slow. */
const kdfAcceptable = (k: KdfParams) => k.logN >= 10 && k.logN <= 20 && k.r >= 1 && k.r <= 16 && k.p >= 1 && k.p <= 4 && 128 * k.r * 2 ** k.logN <= 64 * 1024 * 1024;

/** A backup file is at most this large (photos are in it: they do not compress). */
export const MAX_BACKUP_FILE_BYTES = 256 * 1024 * 1024;
/** What the payload may inflate to (a bound against a deflate bomb). */
export const MAX_PAYLOAD_BYTES = 512 * 1024 * 1024;
export const MAX_BACKUP_DOCS = 200_000;
/** The shortest passphrase the screen accepts. */
export const MIN_PASSPHRASE_LENGTH = 10;

export type BackupAccount = { userId: string; unitId: string | null };

export type BackupHeader = {
  version: number;
  kdf: KdfParams;
  salt: Uint8Array;
  iv: Uint8Array;
  check: Uint8Array;
  createdAt: string;
  account: BackupAccount;
  docs: number;
  /** Length of the encrypted payload that follows the header. */
  bytes: number;
};

/** One document as the backup carries it: its acknowledged state merged into one update, and what is still queued. */
export type BackupDoc = {
  docId: string;
  /** The document's creation metadata (JSON) until the server knows it; '' after. */
  meta: string;
  known: 0 | 1;
  /** Every acknowledged row merged (Yjs v2 update); an empty update when all of it is still queued. */
  state: Uint8Array;
  /** Local changes not yet acknowledged by the server, oldest first (Yjs v2 updates) and when they were made. */
  queued: { update: Uint8Array; at: number }[];
};

export type BackupPayload = { docs: BackupDoc[]; cursor: Cursor | undefined };

export const BackupError = {
  tooLarge: 'too_large',
  notBackup: 'not_backup',
  unsupportedVersion: 'unsupported_version',
  truncated: 'truncated',
  damaged: 'damaged',
  wrongPassphrase: 'wrong_passphrase',
  tampered: 'tampered',
  wrongAccount: 'wrong_account'
} as const;
export type BackupError = (typeof BackupError)[keyof typeof BackupError];

export type Limits = { maxFileBytes: number; maxPayloadBytes: number };
const defaultLimits: Limits = { maxFileBytes: MAX_BACKUP_FILE_BYTES, maxPayloadBytes: MAX_PAYLOAD_BYTES };

export type WriteOptions = {
  kdf?: KdfParams;
  /** Randomness for the salt and IV (tests inject it); Web Crypto otherwise. */
  random?: (bytes: number) => Uint8Array;
  now?: () => number;
};

const utf8 = new TextEncoder();
const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);
const buffer = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer;

async function deriveKey(passphrase: string, salt: Uint8Array, kdf: KdfParams): Promise<{ key: CryptoKey; check: Uint8Array }> {
  const material = await scryptAsync(passphrase.normalize('NFC'), salt, { N: 2 ** kdf.logN, r: kdf.r, p: kdf.p, dkLen: 32 + CHECK_BYTES });
  const key = await crypto.subtle.importKey('raw', buffer(material.subarray(0, 32)), 'AES-GCM', false, ['encrypt', 'decrypt']);
  return { key, check: material.slice(32) };
}

function encodePayload(payload: BackupPayload): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, payload.docs.length);
  for (const d of payload.docs) {
    encoding.writeVarString(e, d.docId);
    encoding.writeVarString(e, d.meta);
    encoding.writeVarUint(e, d.known);
    encoding.writeVarUint8Array(e, d.state);
    encoding.writeVarUint(e, d.queued.length);
    for (const q of d.queued) {
      encoding.writeVarUint8Array(e, q.update);
      encoding.writeVarUint(e, q.at);
    }
  }
  encoding.writeVarString(e, payload.cursor ? JSON.stringify(payload.cursor) : '');
  return encoding.toUint8Array(e);
}

const isCount = (v: unknown, max: number): v is number => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= max;

/** The payload, read with every count and length checked; undefined when it does not read as one. */
function decodePayload(bytes: Uint8Array, expectedDocs: number): BackupPayload | undefined {
  const d = decoding.createDecoder(bytes);
  const count = decoding.readVarUint(d);
  if (count !== expectedDocs) return undefined;
  const docs: BackupDoc[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const docId = decoding.readVarString(d);
    if (!parseDocId(docId) || seen.has(docId)) return undefined;
    seen.add(docId);
    const meta = decoding.readVarString(d);
    const known = decoding.readVarUint(d);
    if (known !== 0 && known !== 1) return undefined;
    const state = decoding.readVarUint8Array(d).slice();
    const queuedCount = decoding.readVarUint(d);
    if (!isCount(queuedCount, 1_000_000)) return undefined;
    const queued: BackupDoc['queued'] = [];
    for (let j = 0; j < queuedCount; j++) {
      const update = decoding.readVarUint8Array(d).slice();
      const at = decoding.readVarUint(d);
      queued.push({ update, at });
    }
    docs.push({ docId, meta, known, state, queued });
  }
  const cursorText = decoding.readVarString(d);
  if (decoding.hasContent(d)) return undefined;
  let cursor: Cursor | undefined;
  if (cursorText) {
    const c = JSON.parse(cursorText) as unknown;
    if (typeof c !== 'object' || c === null || Object.keys(c).sort().join() !== 'e,s') return undefined;
    const { e, s } = c as Record<string, unknown>;
    if (!isCount(e, Number.MAX_SAFE_INTEGER) || !isCount(s, Number.MAX_SAFE_INTEGER)) return undefined;
    cursor = { e, s };
  }
  // Every update must read as a Yjs update (an unreadable one would break the document it is restored into).
  for (const doc of docs) for (const u of [doc.state, ...doc.queued.map((q) => q.update)]) Y.decodeUpdateV2(u);
  return { docs, cursor };
}

async function through(bytes: Uint8Array, stream: CompressionStream): Promise<Uint8Array> {
  return new Uint8Array(await new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream)).arrayBuffer());
}

/** Inflates at most `max` bytes; undefined past that. */
async function inflateBounded(bytes: Uint8Array, max: number): Promise<Uint8Array | undefined> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Writes the backup file of `payload` for `account`, encrypted under `passphrase`. */
export async function writeBackup(payload: BackupPayload, account: BackupAccount, passphrase: string, options: WriteOptions = {}): Promise<Uint8Array> {
  const kdf = options.kdf ?? DEFAULT_KDF;
  if (!kdfAcceptable(kdf)) throw new Error(`backup KDF parameters out of bounds: ${JSON.stringify(kdf)}`);
  const random = options.random ?? ((n: number) => crypto.getRandomValues(new Uint8Array(n)));
  const salt = random(SALT_BYTES);
  const iv = random(IV_BYTES);
  const { key, check } = await deriveKey(passphrase, salt, kdf);
  const compressed = await through(encodePayload(payload), new CompressionStream('deflate-raw'));
  const header = {
    kdf,
    salt: toBase64(salt),
    iv: toBase64(iv),
    check: toBase64(check),
    createdAt: new Date((options.now ?? Date.now)()).toISOString(),
    account: { userId: account.userId, unitId: account.unitId },
    docs: payload.docs.length,
    bytes: compressed.length + GCM_TAG_BYTES
  };
  const headerBytes = utf8.encode(JSON.stringify(header));
  const prefix = new Uint8Array(PREFIX_BYTES + headerBytes.length);
  prefix.set(BACKUP_MAGIC, 0);
  const view = new DataView(prefix.buffer);
  view.setUint16(8, BACKUP_FORMAT_VERSION);
  view.setUint32(10, headerBytes.length);
  prefix.set(headerBytes, PREFIX_BYTES);
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: buffer(iv), additionalData: buffer(prefix) }, key, buffer(compressed)));
  const file = new Uint8Array(prefix.length + sealed.length);
  file.set(prefix, 0);
  file.set(sealed, prefix.length);
  return file;
}

const b64 = (v: unknown, bytes: number): Uint8Array | undefined => {
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]+=*$/.test(v) || v.length > 4 * Math.ceil(bytes / 3)) return undefined;
  const out = fromBase64(v);
  return out.length === bytes ? out : undefined;
};

const sameKeys = (o: unknown, keys: string[]): o is Record<string, unknown> =>
  typeof o === 'object' && o !== null && !Array.isArray(o) && Object.keys(o).sort().join() === [...keys].sort().join();

/** The clear header of a backup file, checked: what the screen can show before asking for the passphrase. */
export function readBackupHeader(file: Uint8Array, limits: Limits = defaultLimits): { header: BackupHeader; prefixBytes: number } | { error: BackupError } {
  if (file.length > limits.maxFileBytes) return { error: BackupError.tooLarge };
  if (file.length < PREFIX_BYTES || !equalBytes(file.subarray(0, BACKUP_MAGIC.length), BACKUP_MAGIC)) return { error: BackupError.notBackup };
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const version = view.getUint16(8);
  if (version !== BACKUP_FORMAT_VERSION) return { error: BackupError.unsupportedVersion };
  const headerLength = view.getUint32(10);
  if (headerLength > MAX_HEADER_BYTES) return { error: BackupError.damaged };
  if (file.length < PREFIX_BYTES + headerLength) return { error: BackupError.truncated };
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(file.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength)));
  } catch {
    return { error: BackupError.damaged };
  }
  if (!sameKeys(raw, ['kdf', 'salt', 'iv', 'check', 'createdAt', 'account', 'docs', 'bytes'])) return { error: BackupError.damaged };
  const { kdf, account } = raw;
  if (!sameKeys(kdf, ['name', 'logN', 'r', 'p']) || kdf.name !== 'scrypt' || ![kdf.logN, kdf.r, kdf.p].every((n) => Number.isSafeInteger(n))) return { error: BackupError.damaged };
  const kdfParams = kdf as KdfParams;
  if (!kdfAcceptable(kdfParams)) return { error: BackupError.damaged };
  if (!sameKeys(account, ['userId', 'unitId']) || typeof account.userId !== 'string' || account.userId.length === 0 || account.userId.length > 200) return { error: BackupError.damaged };
  if (!(account.unitId === null || (typeof account.unitId === 'string' && account.unitId.length <= 200))) return { error: BackupError.damaged };
  const salt = b64(raw.salt, SALT_BYTES);
  const iv = b64(raw.iv, IV_BYTES);
  const check = b64(raw.check, CHECK_BYTES);
  const createdAt = raw.createdAt;
  if (!salt || !iv || !check || typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)) || createdAt.length > 40) return { error: BackupError.damaged };
  if (!isCount(raw.docs, MAX_BACKUP_DOCS) || !isCount(raw.bytes, limits.maxFileBytes) || raw.bytes < GCM_TAG_BYTES) return { error: BackupError.damaged };
  const prefixBytes = PREFIX_BYTES + headerLength;
  if (file.length < prefixBytes + raw.bytes) return { error: BackupError.truncated };
  if (file.length > prefixBytes + raw.bytes) return { error: BackupError.damaged };
  return {
    header: { version, kdf: kdfParams, salt, iv, check, createdAt, account: { userId: account.userId, unitId: account.unitId as string | null }, docs: raw.docs, bytes: raw.bytes },
    prefixBytes
  };
}

/** Opens a backup file: its header and payload, or why not. Nothing is changed anywhere. */
export async function readBackup(file: Uint8Array, passphrase: string, limits: Limits = defaultLimits): Promise<{ header: BackupHeader; payload: BackupPayload } | { error: BackupError }> {
  const read = readBackupHeader(file, limits);
  if ('error' in read) return read;
  const { header, prefixBytes } = read;
  const { key, check } = await deriveKey(passphrase, header.salt, header.kdf);
  if (!equalBytes(check, header.check)) return { error: BackupError.wrongPassphrase };
  let compressed: Uint8Array;
  try {
    compressed = new Uint8Array(
      await crypto.subtle.decrypt({ name: 'AES-GCM', iv: buffer(header.iv), additionalData: buffer(file.subarray(0, prefixBytes)) }, key, buffer(file.subarray(prefixBytes)))
    );
  } catch {
    // The right passphrase, but the file was changed after it was written (GCM's tag does not match).
    return { error: BackupError.tampered };
  }
  try {
    const plain = await inflateBounded(compressed, limits.maxPayloadBytes);
    if (!plain) return { error: BackupError.tooLarge };
    const payload = decodePayload(plain, header.docs);
    return payload ? { header, payload } : { error: BackupError.damaged };
  } catch {
    // Authenticated, yet unreadable: written by a faulty writer. Nothing was restored.
    return { error: BackupError.damaged };
  }
}
