// Untrusted Yjs updates are read within bounds. A 27-byte v2 update that announces 2^31 structs made Yjs's
// decoder allocate until the process ran out of memory (seen: the server stopped answering everyone). Here:
// the bounded reader refuses it at once, the server checks access before decoding anything, and a seeded
// mutation fuzz of real updates against the running server gets a named answer for every one of them while
// a device of the same unit keeps syncing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { MessageType, PROTOCOL_VERSION, SyncStep, decodeServerMessage, encodeClientMessage, type ServerMessage } from '@telehealth/protocol';
import { actOnAppointment, mainRecord, seededRandom, writeFields, writeForm } from '@telehealth/domain';
import { inspectUpdateV2 } from '../src/sync/update-bounds';
import { device, login, startTestSystem, waitFor, wsUrl, type Device, type TestSystem } from './harness';

/** A v2 update whose run-length columns repeat forever, announcing `structs` GC structs in 27 bytes. */
export function structBomb(structs = 2 ** 31 - 1): Uint8Array {
  const len = encoding.createEncoder();
  encoding.writeUint8(len, 0x40); // -0: "a run of zeros"
  encoding.writeVarUint(len, 2 ** 31); // …this long
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0); // feature flag
  const columns = [[], [0], [], [], [0], [0], [], [], [...encoding.toUint8Array(len)]]; // keyClock client leftClock rightClock info string parentInfo typeRef len
  for (const c of columns) encoding.writeVarUint8Array(e, new Uint8Array(c));
  encoding.writeVarUint(e, 1); // one client
  encoding.writeVarUint(e, structs);
  encoding.writeVarUint(e, 0); // first clock
  encoding.writeVarUint(e, 0); // empty delete set
  return encoding.toUint8Array(e);
}

/** Real updates of every record kind, as the app writes them. */
function realUpdates(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const chart = new Y.Doc();
  writeFields(mainRecord(chart, 'patient'), { id: 'p-1', fullName: 'Sùng Thị Mỷ', gender: 'female', dateOfBirth: '1990-03-04', phone: '0912000111' });
  writeForm(chart, 'f-1', { id: 'f-1', pulse: 88, temperatureC: 37.5, mainIcd: 'J06.9' });
  out.push(Y.encodeStateAsUpdateV2(chart));
  const appointment = new Y.Doc();
  writeFields(mainRecord(appointment, 'appointment'), { id: 'a-1', patientId: 'p-1', unitId: 'tyt-02701', purpose: 'station', patientName: 'Sùng Thị Mỷ', wishedAt: '2026-12-02T02:00:00.000Z', consent: true, status: 'new' });
  actOnAppointment(appointment, 'user-x', 'station', { type: 'accept', at: '2026-12-02T03:00:00.000Z' }, '2026-12-01T03:00:00.000Z');
  out.push(Y.encodeStateAsUpdateV2(appointment));
  const sv = Y.encodeStateVector(chart);
  writeFields(mainRecord(chart, 'patient'), { occupation: 'Làm ruộng', phone: undefined });
  out.push(Y.encodeStateAsUpdateV2(chart, sv));
  return out;
}

describe('the bounded reader of untrusted updates', () => {
  it('refuses the 27-byte bomb at once, and the same bytes with a small count decode', () => {
    const bomb = structBomb();
    expect(bomb.length).toBeLessThan(32);
    expect(inspectUpdateV2(bomb)).toMatchObject({ ok: false, code: 'update_too_complex' });
    expect(inspectUpdateV2(structBomb(3))).toMatchObject({ ok: true, shape: { structs: 3 } });
  });

  it('reads real updates with their roots and nested maps', () => {
    const [chart, appointment, edit] = realUpdates();
    expect(inspectUpdateV2(chart!)).toMatchObject({ ok: true, shape: { roots: new Set(['patient', 'forms']), nestedTypes: 1 } });
    expect(inspectUpdateV2(appointment!)).toMatchObject({ ok: true, shape: { roots: new Set(['appointment', 'events']) } });
    const shape = inspectUpdateV2(edit!);
    expect(shape.ok && shape.shape.deleteRanges).toBeGreaterThan(0);
  });

  it('reads plain typed text (the minutes’ co-edited fields) and refuses content no record uses: formatting, embeds, XML, subdocuments', () => {
    const text = new Y.Doc();
    text.getText('conclusion').insert(0, 'Viêm phổi');
    expect(inspectUpdateV2(Y.encodeStateAsUpdateV2(text))).toMatchObject({ ok: true, shape: { roots: new Set(['conclusion']) } });
    const formatted = new Y.Doc();
    formatted.getText('conclusion').insert(0, 'x', { bold: true });
    expect(inspectUpdateV2(Y.encodeStateAsUpdateV2(formatted))).toMatchObject({ ok: false, code: 'bad_update' });
    const embed = new Y.Doc();
    embed.getText('conclusion').insertEmbed(0, { image: 'http://x' });
    expect(inspectUpdateV2(Y.encodeStateAsUpdateV2(embed))).toMatchObject({ ok: false, code: 'bad_update' });
    const xml = new Y.Doc();
    xml.getMap('patient').set('x', new Y.XmlElement('script'));
    expect(inspectUpdateV2(Y.encodeStateAsUpdateV2(xml))).toMatchObject({ ok: false, code: 'bad_update' });
    const sub = new Y.Doc();
    sub.getMap('patient').set('x', new Y.Doc());
    expect(inspectUpdateV2(Y.encodeStateAsUpdateV2(sub))).toMatchObject({ ok: false, code: 'bad_update' });
  });

  it('seeded mutations: every mutant is refused by name or decodes within its announced bounds (seed 4242)', () => {
    const random = seededRandom(4242);
    const bases = realUpdates();
    let accepted = 0;
    for (let i = 0; i < 3_000; i++) {
      const mutant = mutate(bases[i % bases.length]!, random);
      const result = inspectUpdateV2(mutant);
      if (!result.ok) {
        expect(['bad_update', 'update_too_complex']).toContain(result.code);
        continue;
      }
      accepted++;
      // What passes has at most the announced structs: Yjs reads it without a blow-up (it may still refuse it).
      try {
        Y.decodeUpdateV2(mutant);
      } catch {
        /* refused by Yjs: fine, it was bounded */
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });
});

/** One to four byte-level mutations: flip, set to an extreme, insert, delete, truncate. */
function mutate(base: Uint8Array, random: () => number): Uint8Array {
  let bytes = [...base];
  const n = 1 + Math.floor(random() * 4);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(random() * bytes.length);
    switch (Math.floor(random() * 5)) {
      case 0:
        bytes[at] = bytes[at]! ^ (1 << Math.floor(random() * 8));
        break;
      case 1:
        bytes[at] = [0x00, 0x7f, 0x80, 0xff][Math.floor(random() * 4)]!;
        break;
      case 2:
        bytes.splice(at, 0, ...[0xff, 0xff, 0xff, 0x7f].slice(0, 1 + Math.floor(random() * 4)));
        break;
      case 3:
        bytes.splice(at, 1 + Math.floor(random() * 3));
        break;
      case 4:
        bytes = bytes.slice(0, Math.max(1, at));
        break;
    }
  }
  return new Uint8Array(bytes);
}

describe('the server under update bombs and mutants', () => {
  let system: TestSystem;
  let witness: Device;
  let reader: Device;

  type Raw = { ws: WebSocket; received: ServerMessage[] };
  async function connect(username: string): Promise<Raw> {
    const { accessToken } = await login(system.url, username);
    const ws = new WebSocket(wsUrl(system.url));
    const received: ServerMessage[] = [];
    ws.on('message', (data) => {
      const d = decodeServerMessage(new Uint8Array(data as Buffer));
      if (d.ok) received.push(d.message);
    });
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    ws.send(encodeClientMessage({ type: MessageType.hello, version: PROTOCOL_VERSION, token: accessToken, deviceId: `bomber-${username.replace(/\W/g, '')}-1`, cursor: { e: 0, s: 0 } }));
    await waitFor(() => received.some((m) => m.type === MessageType.welcome), 10_000, 'welcome');
    return { ws, received };
  }
  const answers = (r: Raw) => r.received.filter((m) => m.type === MessageType.error || m.type === MessageType.updateAck);
  const sendUpdate = (r: Raw, localId: number, docId: string, data: Uint8Array, meta = '') =>
    r.ws.send(encodeClientMessage({ type: MessageType.update, localId, docId, meta, sync: { step: SyncStep.update, data } }));

  beforeAll(async () => {
    system = await startTestSystem();
    witness = await device(system.url, 'tram.yty');
    reader = await device(system.url, 'tram.yty');
    witness.store.edit('patient:p-owned', { kind: 'patient', unitId: 'tyt-02701', patientId: 'p-owned' }, (doc) => writeFields(mainRecord(doc, 'patient'), { fullName: 'Giàng A Páo' }));
    await witness.client.localChange();
    await witness.synced();
  }, 60_000);

  afterAll(async () => {
    witness.client.stop();
    reader.client.stop();
    await system.stop();
  });

  it('a patient sending the bomb to a chart it may not write is refused as forbidden, before any decoding', async () => {
    const patient = await connect('0912345678');
    sendUpdate(patient, 1, 'patient:p-owned', structBomb());
    await waitFor(() => answers(patient).length === 1, 10_000, 'an answer');
    expect(answers(patient)[0]).toMatchObject({ type: MessageType.error, code: 'forbidden' });
    patient.ws.close();
  });

  it('a station sending the bomb as a new chart gets update_too_complex; nothing is stored', async () => {
    const station = await connect('tram.yty');
    const before = await system.storage.log.maxSeq();
    sendUpdate(station, 1, 'patient:p-bomb', structBomb(), JSON.stringify({ kind: 'patient', unitId: 'tyt-02701', patientId: 'p-bomb' }));
    sendUpdate(station, 2, 'patient:p-owned', structBomb());
    await waitFor(() => answers(station).length === 2, 10_000, 'two answers');
    expect(answers(station).map((m) => m.type === MessageType.error && m.code)).toEqual(['update_too_complex', 'update_too_complex']);
    expect(await system.storage.log.maxSeq()).toBe(before);
    expect(system.logs.some((l) => l.includes('"sync.update_refused"') && l.includes('update_too_complex'))).toBe(true);
    station.ws.close();
  });

  it('seeded mutants of real updates (seed 9001): each gets an ack or a named error, and the unit keeps syncing', async () => {
    const station = await connect('tram.yty');
    const random = seededRandom(9001);
    const bases = realUpdates();
    const count = 300;
    for (let i = 0; i < count; i++) {
      const base = i % bases.length;
      const kind = base === 1 ? 'appointment' : 'patient';
      const id = `mut-${i}`;
      const meta = kind === 'appointment' ? { kind, unitId: 'tyt-02701', patientId: 'p-1' } : { kind, unitId: 'tyt-02701', patientId: id };
      sendUpdate(station, i + 1, `${kind}:${id}`, mutate(bases[base]!, random), JSON.stringify(meta));
      // Keep under the connection's rate limit, waiting on answers rather than on time.
      if (i % 50 === 49) await waitFor(() => answers(station).length === i + 1, 30_000, `answers to ${i + 1} mutants`);
    }
    await waitFor(() => answers(station).length === count, 30_000, 'an answer to every mutant');
    const codes = new Map<string, number>();
    for (const m of answers(station)) {
      const code = m.type === MessageType.error ? m.code : 'stored';
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    expect([...codes.keys()].every((c) => ['stored', 'bad_update', 'update_too_complex', 'invalid_value', 'forbidden', 'bad_meta'].includes(c)), JSON.stringify([...codes])).toBe(true);
    expect(codes.get('stored') ?? 0).toBeGreaterThan(0);
    expect(station.ws.readyState).toBe(WebSocket.OPEN);
    station.ws.close();

    // The unit's other device received whatever was stored, and still syncs: an edit reaches it.
    witness.store.edit('patient:p-owned', undefined, (doc) => writeFields(mainRecord(doc, 'patient'), { occupation: 'Chăn nuôi' }));
    await witness.client.localChange();
    await waitFor(() => mainRecord(reader.store.doc('patient:p-owned'), 'patient').get('occupation') === 'Chăn nuôi', 20_000, 'the edit on the other device');
    await reader.synced(20_000);
    expect(reader.store.refusedEntries).toEqual([]);
    // Nothing stored breaks a fresh device that reads it all from the log.
    const fresh = await device(system.url, 'tram.yty');
    await fresh.synced(30_000);
    expect(mainRecord(fresh.store.doc('patient:p-owned'), 'patient').get('occupation')).toBe('Chăn nuôi');
    fresh.client.stop();
  });
});
