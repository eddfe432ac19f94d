// The backup file format: what it writes reads back the same under the right passphrase, and every other file — a
// wrong passphrase, a changed or cut byte, another format or version, an oversized file — is refused with its reason.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { docId, mainRecord, writeFields } from '@telehealth/domain';
import { BACKUP_MAGIC, BackupError, DEFAULT_KDF, readBackup, readBackupHeader, writeBackup, type BackupPayload, type KdfParams } from './format';

/** Fast parameters for tests; one test uses the real ones. */
const kdf: KdfParams = { name: 'scrypt', logN: 10, r: 8, p: 1 };
const account = { userId: 'u-tram-yty', unitId: 'tyt-02701' };
const passphrase = 'trạm y tế Y Tý 2026';
/** Seeded bytes, so the salt and IV are the test's own. */
const seeded = (seed: number) => (n: number) => Uint8Array.from({ length: n }, (_, i) => (seed * 31 + i * 7) & 0xff);

function payload(): BackupPayload {
  const chart = new Y.Doc();
  writeFields(mainRecord(chart, 'patient'), { id: 'p-1', fullName: 'Sùng Thị Mai', gender: 'female', dateOfBirth: '1990-02-03' });
  const queued: Uint8Array[] = [];
  chart.on('updateV2', (u: Uint8Array) => queued.push(u));
  const state = Y.encodeStateAsUpdateV2(chart);
  writeFields(mainRecord(chart, 'patient'), { phone: '0912000111' });
  return {
    docs: [{ docId: docId('patient', 'p-1'), meta: '', known: 1, state, queued: queued.map((update) => ({ update, at: 1_764_000_000_000 })) }],
    cursor: { e: 3, s: 1234 }
  };
}

const write = (p = payload(), options = {}) => writeBackup(p, account, passphrase, { kdf, random: seeded(1), now: () => Date.UTC(2026, 11, 1), ...options });

describe('the backup file', () => {
  it('reads back the same documents, queued changes and cursor under the right passphrase', async () => {
    const p = payload();
    const file = await write(p);
    const read = await readBackup(file, passphrase);
    if ('error' in read) throw new Error(read.error);
    expect(read.payload).toEqual(p);
    expect(read.header).toMatchObject({ version: 1, account, docs: 1, createdAt: '2026-12-01T00:00:00.000Z', kdf });
  });

  it('keeps health data out of the clear header: a name typed in a record is not readable in the file', async () => {
    const file = await write();
    const text = new TextDecoder('latin1').decode(file);
    expect(text.startsWith(new TextDecoder().decode(BACKUP_MAGIC))).toBe(true);
    expect(text).toContain('tyt-02701');
    expect(new TextDecoder().decode(file)).not.toContain('Sùng');
    expect(text).not.toContain('0912000111');
  });

  it('uses the memory-hard default parameters when none are given, and still reads back', async () => {
    const file = await writeBackup(payload(), account, passphrase);
    const read = readBackupHeader(file);
    if ('error' in read) throw new Error(read.error);
    expect(read.header.kdf).toEqual(DEFAULT_KDF);
    expect('payload' in (await readBackup(file, passphrase))).toBe(true);
  });

  it('refuses a wrong passphrase', async () => {
    expect(await readBackup(await write(), 'not the passphrase')).toEqual({ error: BackupError.wrongPassphrase });
  });

  it('refuses a file with any byte of its encrypted part or header changed', async () => {
    const file = await write();
    const body = file.slice();
    body[body.length - 40]! ^= 1;
    expect(await readBackup(body, passphrase)).toEqual({ error: BackupError.tampered });
    // The account in the header is authenticated too: pointing a file at another unit breaks it.
    const text = new TextDecoder('latin1').decode(file);
    const at = text.indexOf('tyt-02701');
    const header = file.slice();
    header[at + 8] = '2'.charCodeAt(0);
    expect(await readBackup(header, passphrase)).toEqual({ error: BackupError.tampered });
  });

  it('refuses a truncated file, and one with bytes added', async () => {
    const file = await write();
    expect(await readBackup(file.subarray(0, file.length - 1), passphrase)).toEqual({ error: BackupError.truncated });
    expect(await readBackup(file.subarray(0, 30), passphrase)).toEqual({ error: BackupError.truncated });
    expect(await readBackup(file.subarray(0, 10), passphrase)).toEqual({ error: BackupError.notBackup });
    expect(await readBackup(new Uint8Array([...file, 0]), passphrase)).toEqual({ error: BackupError.damaged });
  });

  it('refuses a file that is not a backup, and a backup of another format version', async () => {
    expect(await readBackup(new TextEncoder().encode('PK\u0003\u0004 a zip file, not a backup at all'), passphrase)).toEqual({ error: BackupError.notBackup });
    const newer = (await write()).slice();
    newer[9] = 2;
    expect(await readBackup(newer, passphrase)).toEqual({ error: BackupError.unsupportedVersion });
  });

  it('refuses an oversized file before reading it, and a payload that would inflate past its bound', async () => {
    const file = await write();
    expect(await readBackup(file, passphrase, { maxFileBytes: file.length - 1, maxPayloadBytes: 1 << 20 })).toEqual({ error: BackupError.tooLarge });
    expect(await readBackup(file, passphrase, { maxFileBytes: 1 << 20, maxPayloadBytes: 64 })).toEqual({ error: BackupError.tooLarge });
  });

  it('refuses a header asking for key-derivation work beyond what a phone can do', async () => {
    await expect(write(payload(), { kdf: { name: 'scrypt', logN: 22, r: 8, p: 1 } })).rejects.toThrow(/out of bounds/);
    // A hand-made header with N = 2^22 (512 MiB of memory) is refused without deriving anything.
    const file = await write();
    const text = new TextDecoder('latin1').decode(file);
    const at = text.indexOf('"logN":10');
    const big = file.slice();
    big.set(new TextEncoder().encode('"logN":22'), at);
    expect(await readBackup(big, passphrase)).toEqual({ error: BackupError.damaged });
  });
});
