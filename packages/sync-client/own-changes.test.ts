// ownChanges: the updates a device sends again after a server restore hold exactly its own writes (and the
// delete set), each under the size limit, and rebuild what it wrote on a server that lost them.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ownChanges } from './own-changes';

const doc = (clientID: number) => {
  const d = new Y.Doc();
  d.clientID = clientID;
  return d;
};
const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdateV2(to, Y.encodeStateAsUpdateV2(from, Y.encodeStateVector(to)));

describe('ownChanges', () => {
  it("holds this device's structs only, and restores them where they were lost", () => {
    const station = doc(11);
    const doctor = doc(22);
    station.getMap('chart').set('fullName', 'Lò Thị Mai');
    sync(station, doctor);
    // The backup: what the server holds now.
    const server = doc(99);
    sync(station, server);
    // After it, both write; the doctor's edit reaches the station; then the server's database is restored.
    station.getMap('chart').set('phone', '0912345678');
    station.getText('note').insert(0, 'Sốt 3 ngày');
    doctor.getMap('chart').set('diagnosis', 'A09');
    sync(doctor, station);

    const pieces = ownChanges(station, [11], 128 * 1024);
    expect(pieces.length).toBe(1);
    const structs = Y.decodeUpdateV2(pieces[0]!).structs;
    expect(new Set(structs.map((s) => s.id.client))).toEqual(new Set([11]));
    for (const p of pieces) Y.applyUpdateV2(server, p);
    expect(server.getMap('chart').toJSON()).toEqual({ fullName: 'Lò Thị Mai', phone: '0912345678' });
    expect(server.getText('note').toString()).toBe('Sốt 3 ngày');
    // The doctor sends theirs again too, and the server is whole.
    for (const p of ownChanges(doctor, [22], 128 * 1024)) Y.applyUpdateV2(server, p);
    expect(server.getMap('chart').get('diagnosis')).toBe('A09');
  });

  it('cuts a large document into updates under the limit, and carries the deletions', () => {
    const station = doc(11);
    const photos = station.getMap('photos');
    // 12 photos of 40 KB, under two client ids (two tabs of the same device), then some deleted.
    for (let i = 0; i < 12; i++) {
      if (i === 6) station.clientID = 12;
      photos.set(`p${i}`, new Uint8Array(40_000).fill(i));
    }
    const text = station.getText('note');
    text.insert(0, 'abcdefghij');
    text.delete(2, 3);
    photos.delete('p1');
    const limit = 100_000;
    const pieces = ownChanges(station, [11, 12], limit);
    expect(pieces.length).toBeGreaterThan(4);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(limit);
    // Applied in any order, the pieces rebuild the document.
    const server = doc(99);
    for (const p of [...pieces].reverse()) Y.applyUpdateV2(server, p);
    expect(server.getText('note').toString()).toBe('abfghij');
    expect([...server.getMap('photos').keys()].sort()).toEqual(['p0', 'p10', 'p11', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9']);
    expect(server.getMap('photos').get('p7')).toEqual(new Uint8Array(40_000).fill(7));
    expect(Y.encodeStateVector(server)).toEqual(Y.encodeStateVector(station));
  });

  it('is empty for a device that wrote nothing in the document', () => {
    const doctor = doc(22);
    doctor.getMap('chart').set('fullName', 'x');
    const station = doc(11);
    sync(doctor, station);
    expect(ownChanges(station, [11], 1000)).toEqual([]);
  });
});
