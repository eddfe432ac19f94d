// The wire format: every message survives a round trip, and no byte sequence makes the decoder throw.
import { describe, expect, it } from 'vitest';
import {
  MessageType,
  SyncStep,
  decodeClientMessage,
  decodeServerMessage,
  encodeClientMessage,
  encodeServerMessage,
  type ClientMessage,
  type ServerMessage
} from './messages';

const bytes = (...b: number[]) => new Uint8Array(b);

const clientMessages: ClientMessage[] = [
  { type: MessageType.hello, version: 1, token: 'abc.def', deviceId: 'dev-1', cursor: { e: 12, s: 9 }, schemaVersion: 2, revision: 1 },
  { type: MessageType.update, localId: 7, docId: 'patient:p1', meta: '{"kind":"patient"}', sync: { step: SyncStep.update, data: bytes(1, 2, 3) } },
  { type: MessageType.ack, cursor: { e: 300_000, s: 299_999 } },
  { type: MessageType.docSync, docId: 'request:r1', sync: { step: SyncStep.step1, data: bytes(0) } },
  { type: MessageType.awareness, docId: 'minutes:m1', data: bytes(9, 9) }
];

const serverMessages: ServerMessage[] = [
  { type: MessageType.welcome, version: 1, nodeId: 'node-a', serverTimeMs: 1_795_000_000_123 },
  { type: MessageType.welcome, version: 1, nodeId: 'node-a', serverTimeMs: 1_795_000_000_123, log: { id: 'log-2', restoredSeq: 2 ** 40 + 17 } },
  { type: MessageType.updateAck, localId: 7, seq: 123_456 },
  { type: MessageType.chunk, entries: [{ docId: 'patient:Nguyễn', update: bytes(4, 5) }], cursor: { e: 5, s: 5 }, caughtUp: true },
  { type: MessageType.chunk, entries: [], cursor: { e: 0, s: 0 }, caughtUp: false },
  { type: MessageType.docSync, docId: 'review:r1', sync: { step: SyncStep.step2, data: bytes(0, 0) } },
  { type: MessageType.error, code: 'forbidden', localId: 3, message: 'may not write review:r1', docId: 'review:r1' }
];

describe('sync protocol encoding', () => {
  it.each(clientMessages.map((m) => [m.type, m] as const))('round-trips client message type %i', (_t, m) => {
    expect(decodeClientMessage(encodeClientMessage(m))).toEqual({ ok: true, message: m });
  });

  it.each(serverMessages.map((m) => [m.type, m] as const))('round-trips server message type %i', (_t, m) => {
    expect(decodeServerMessage(encodeServerMessage(m))).toEqual({ ok: true, message: m });
  });

  it('refuses every truncation of every message without throwing', () => {
    for (const m of clientMessages) {
      const full = encodeClientMessage(m);
      // A hello cut just before its revision or its schema version is an older app's hello, which is valid.
      const legacyEnds = m.type === MessageType.hello ? [full.length - 2, full.length - 1] : [];
      for (let n = 0; n < full.length; n++) expect(decodeClientMessage(full.slice(0, n)).ok, `${m.type} cut at ${n}`).toBe(legacyEnds.includes(n));
    }
    for (const m of serverMessages) {
      const full = encodeServerMessage(m);
      // An error cut just before its document id is the error of a server before revision 1, and a welcome cut just
      // before its log identity the welcome of a server before revision 2: both are valid.
      const legacyEnd =
        m.type === MessageType.error
          ? full.length - 1 - (m.docId?.length ?? 0)
          : m.type === MessageType.welcome && m.log
            ? encodeServerMessage({ ...m, log: undefined }).length
            : -1;
      for (let n = 0; n < full.length; n++) expect(decodeServerMessage(full.slice(0, n)).ok, `${m.type} cut at ${n}`).toBe(n === legacyEnd);
    }
  });

  it('refuses trailing bytes, unknown types and unknown sync steps', () => {
    const hello = encodeClientMessage(clientMessages[0]!);
    expect(decodeClientMessage(new Uint8Array([...hello, 0]))).toEqual({ ok: false, reason: 'trailing bytes after the message' });
    // A hello from an app older than schema versions ends after the cursor: it writes version 1, revision none.
    const { schemaVersion: _omitted, revision: _none, ...old } = clientMessages[0] as Extract<ClientMessage, { type: typeof MessageType.hello }>;
    void _omitted;
    void _none;
    expect(decodeClientMessage(encodeClientMessage(old))).toEqual({ ok: true, message: { ...old, schemaVersion: 1 } });
    // A revision without a schema version is written after schema version 1.
    expect(decodeClientMessage(encodeClientMessage({ ...old, revision: 1 }))).toEqual({ ok: true, message: { ...old, schemaVersion: 1, revision: 1 } });
    const error = encodeServerMessage(serverMessages.at(-1)!);
    expect(decodeServerMessage(new Uint8Array([...error, 0]))).toEqual({ ok: false, reason: 'trailing bytes after the message' });
    expect(decodeClientMessage(bytes(99))).toEqual({ ok: false, reason: 'unknown message type 99' });
    expect(decodeClientMessage(bytes(MessageType.docSync, 1, 65, 7, 0)).ok).toBe(false);
  });

  it('never throws on random bytes (seeded)', () => {
    let seed = 20_261_122;
    const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 5_000; i++) {
      const junk = new Uint8Array(Math.floor(rnd() * 64)).map(() => Math.floor(rnd() * 256));
      expect(() => decodeClientMessage(junk)).not.toThrow();
      expect(() => decodeServerMessage(junk)).not.toThrow();
    }
  });
});
