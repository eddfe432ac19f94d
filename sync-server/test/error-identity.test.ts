// Every refusal names the message it answers: the update's localId, and (to apps that announce revision 1) the
// document id of the update, docSync or awareness message; an app that announces no revision gets errors in the
// format it decodes (no trailing field).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  MessageType,
  PROTOCOL_REVISION,
  PROTOCOL_VERSION,
  SyncStep,
  decodeServerMessage,
  encodeClientMessage,
  encodeServerMessage,
  type ClientMessage,
  type ServerMessage
} from '@telehealth/protocol';
import { ApiError, defaultAuthLimits } from '../src/app';
import { login, startTestSystem, waitFor, wsUrl, type TestSystem } from './harness';

type Raw = { ws: WebSocket; frames: Uint8Array[]; received: ServerMessage[] };

async function connect(url: string, token: string, revision: number | undefined, deviceId: string): Promise<Raw> {
  const ws = new WebSocket(url);
  const frames: Uint8Array[] = [];
  const received: ServerMessage[] = [];
  ws.on('message', (data) => {
    const bytes = new Uint8Array(data as Buffer);
    frames.push(bytes);
    const d = decodeServerMessage(bytes);
    if (d.ok) received.push(d.message);
  });
  await new Promise((resolve, reject) => {
    ws.on('open', resolve);
    ws.on('error', reject);
  });
  const raw = { ws, frames, received };
  send(raw, { type: MessageType.hello, version: PROTOCOL_VERSION, token, deviceId, cursor: { e: 0, s: 0 }, ...(revision === undefined ? {} : { schemaVersion: 2, revision }) });
  await waitFor(() => received.some((m) => m.type === MessageType.welcome), 5_000, 'welcome');
  return raw;
}

const send = (r: Raw, m: ClientMessage) => r.ws.send(encodeClientMessage(m));
const errors = (r: Raw) => r.received.filter((m): m is Extract<ServerMessage, { type: typeof MessageType.error }> => m.type === MessageType.error);

/** One refusal of each kind of message: an update (bad id), a docSync and an awareness for documents this account does not read. */
function offend(r: Raw) {
  send(r, { type: MessageType.update, localId: 7, docId: '../etc/passwd', meta: '', sync: { step: SyncStep.update, data: new Uint8Array([0, 0]) } });
  send(r, { type: MessageType.update, localId: 8, docId: 'patient:p-nobody', meta: '', sync: { step: SyncStep.update, data: new Uint8Array([0, 0]) } });
  send(r, { type: MessageType.docSync, docId: 'patient:p-nobody', sync: { step: SyncStep.step1, data: new Uint8Array([0]) } });
  send(r, { type: MessageType.awareness, docId: 'minutes:m-nobody', data: new Uint8Array([0]) });
}

describe('errors name the message they answer', () => {
  let system: TestSystem;
  let token: string;

  beforeAll(async () => {
    system = await startTestSystem();
    token = (await login(system.url, 'tram.yty')).accessToken;
  });

  afterAll(async () => {
    await system.stop();
  });

  it('carries the localId of a refused update and the docId of every refused message', async () => {
    expect(PROTOCOL_REVISION).toBeGreaterThanOrEqual(1);
    const r = await connect(wsUrl(system.url), token, PROTOCOL_REVISION, 'identity-device-1');
    offend(r);
    await waitFor(() => errors(r).length === 4, 5_000, 'four refusals');
    expect(errors(r).map(({ code, localId, docId }) => ({ code, localId, docId }))).toEqual([
      { code: 'bad_doc_id', localId: 7, docId: '../etc/passwd' },
      { code: 'unknown_doc', localId: 8, docId: 'patient:p-nobody' },
      { code: 'forbidden', localId: 0, docId: 'patient:p-nobody' },
      { code: 'forbidden', localId: 0, docId: 'minutes:m-nobody' }
    ]);
    expect(r.ws.readyState).toBe(WebSocket.OPEN);
    r.ws.close();
  });

  it('sends an app that announces no revision the errors it can decode, without the docId', async () => {
    const r = await connect(wsUrl(system.url), token, undefined, 'identity-device-2');
    offend(r);
    await waitFor(() => errors(r).length === 4, 5_000, 'four refusals');
    for (const e of errors(r)) expect(e.docId).toBeUndefined();
    // Byte for byte the revision-0 format: an app built before revision 1 refuses trailing bytes.
    const errorFrames = r.frames.filter((f) => f[0] === MessageType.error);
    expect(errorFrames).toEqual(errors(r).map((e) => encodeServerMessage(e)));
    expect(errors(r).map((e) => e.localId)).toEqual([7, 8, 0, 0]);
    r.ws.close();
  });
});

describe('ARCHITECTURE.md on HTTP refusals', () => {
  const doc = readFileSync(new URL('../../ARCHITECTURE.md', import.meta.url), 'utf8');
  const start = doc.indexOf('\n## HTTP API\n');
  const api = doc.slice(start, doc.indexOf('\n## ', start + 5));

  it('has a row for every refusal code the API sends, and its limits', () => {
    expect(start).toBeGreaterThan(0);
    const rows = new Set([...api.matchAll(/^\| `(\w+)` \| \d{3} \|/gm)].map((m) => m[1]));
    for (const code of Object.values(ApiError)) expect(rows.has(code), code).toBe(true);
    const { perAddress, perAccount, hashConcurrency, hashQueue, maxBodyBytes } = defaultAuthLimits;
    expect(api).toContain(`Per network address: ${perAddress.capacity} attempts, one more\n  every ${perAddress.refillMs / 1000} s`);
    expect(api).toContain(`Per account (the lowercased username): ${perAccount.capacity} attempts, one more every ${perAccount.refillMs / 1000} s`);
    expect(api).toContain(`at most ${hashConcurrency} run at once and ${hashQueue} wait`);
    expect(api).toContain(`${maxBodyBytes.toLocaleString('en-US')} bytes (413)`);
  });
});
