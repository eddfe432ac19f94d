// The update log's contract, run against embedded PGlite and a real PostgreSQL server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from '../../test/databases';
import { connectPostgres, createPostgresStorage } from './postgres-storage';
import type { LogStorage, LogWrite, Storage } from './storage';

const bytes = (...b: number[]) => new Uint8Array(b);
const patientDoc = (id: string, unit = 'tyt-1'): LogWrite => ({
  docId: `patient:${id}`,
  origin: 'dev-a',
  data: bytes(1),
  create: {
    meta: { kind: 'patient', unitId: unit, patientId: id },
    access: [
      { reader: `unit:${unit}`, canWrite: true },
      { reader: `patient:${id}`, canWrite: false }
    ]
  }
});
const update = (docId: string, origin: string, ...data: number[]): LogWrite => ({ docId, origin, data: bytes(...data) });

describe.each(backends)('update log contract on $name', (backend) => {
  let db: TestDatabase;
  let storage: Storage;
  let log: LogStorage;

  beforeAll(async () => {
    db = await backend.create();
    storage = createPostgresStorage(connectPostgres(db.url, db.maxConnections));
    await storage.migrate();
    log = storage.log;
  });

  afterAll(async () => {
    await storage.close();
    await db.drop();
  });

  const all = (reader: string, device: string, after = { e: 0, s: 0 }, maxBytes = 1_000_000) =>
    log.maxSeq().then((horizon) => log.readLog({ reader, device, after, horizon, maxBytes }));

  it('appends in order, creates documents with their access, and refuses contradicting metadata', async () => {
    const [a, b] = await log.append([patientDoc('p1'), update('patient:p1', 'dev-b', 2)]);
    expect(a).toMatchObject({ ok: true, newAccess: [{ reader: 'unit:tyt-1', canWrite: true, visSeq: 0 }, { reader: 'patient:p1' }] });
    expect(b!.ok && a!.ok && b!.seq > a!.seq).toBe(true);
    expect(await log.getDoc('patient:p1')).toMatchObject({ kind: 'patient', unitId: 'tyt-1', patientId: 'p1' });

    const [same, other] = await log.append([patientDoc('p1'), patientDoc('p1', 'tyt-2')]);
    expect(same!.ok).toBe(true);
    expect(other).toEqual({ ok: false, code: 'bad_meta' });
    expect((await log.getDoc('patient:p1'))!.unitId).toBe('tyt-1');
  });

  it('gives a reader what it may see, in order, without the asking device own updates', async () => {
    const mine = await all('unit:tyt-1', 'dev-a');
    expect(mine.complete).toBe(true);
    expect(mine.entries.map((e) => [...e.data])).toEqual([[2]]);
    const theirs = await all('unit:tyt-1', 'dev-z');
    expect(theirs.entries.map((e) => [...e.data])).toEqual([[1], [2], [1]]);
    expect((await all('unit:tyt-9', 'dev-z')).entries).toEqual([]);
  });

  it('pages by bytes and resumes from a cursor without loss or repetition', async () => {
    await log.append([patientDoc('p2')]);
    for (let i = 0; i < 20; i++) await log.append([update('patient:p2', 'dev-b', ...new Array(50).fill(i))]);
    const whole = (await all('unit:tyt-1', 'dev-z')).entries;
    const seen: number[] = [];
    let cursor = { e: 0, s: 0 };
    let pages = 0;
    for (;;) {
      const page = await all('unit:tyt-1', 'dev-z', cursor, 200);
      pages++;
      for (const e of page.entries) seen.push(e.s);
      if (page.entries.length) cursor = { e: page.entries.at(-1)!.e, s: page.entries.at(-1)!.s };
      if (page.complete) break;
    }
    expect(pages).toBeGreaterThan(5);
    expect(seen).toEqual(whole.map((e) => e.s));
  });

  it('makes the whole history of a document visible to a reader granted access later, at the grant position', async () => {
    await log.append([patientDoc('p3')]);
    await log.append([update('patient:p3', 'dev-a', 3, 3)]);
    const before = await all('unit:ttyt-1', 'dev-d');
    expect(before.entries).toEqual([]);
    const cursor = { e: await log.maxSeq(), s: await log.maxSeq() };

    const [req] = await log.append([
      {
        docId: 'request:r1',
        origin: 'dev-a',
        data: bytes(9),
        create: {
          meta: { kind: 'request', unitId: 'tyt-1', patientId: 'p3', peerUnitId: 'ttyt-1' },
          access: [
            { reader: 'unit:tyt-1', canWrite: true },
            { reader: 'unit:ttyt-1', canWrite: false }
          ]
        },
        grants: [{ reader: 'unit:ttyt-1', docId: 'patient:p3' }]
      }
    ]);
    expect(req).toMatchObject({ ok: true, newAccess: expect.arrayContaining([{ reader: 'unit:ttyt-1', docId: 'patient:p3', visSeq: req!.ok ? req!.seq : -1, canWrite: false }]) });
    const after = await all('unit:ttyt-1', 'dev-d', cursor);
    expect(after.entries.map((e) => e.docId).sort()).toEqual(['patient:p3', 'patient:p3', 'request:r1']);
    expect(new Set(after.entries.map((e) => e.e))).toEqual(new Set([req!.ok ? req!.seq : -1]));
    expect(await log.requestPeers('p3')).toEqual(['ttyt-1']);
    const range = await log.readRange(req!.ok ? req!.seq : 0, req!.ok ? req!.seq : 0);
    expect(range.rows.map((r) => r.docId)).toEqual(['request:r1']);
    expect(range.grants.map((g) => g.docId)).toEqual(['patient:p3']);
  });

  it('takes a grant back once none of the documents that made it still grants it, and logs the revocation', async () => {
    const request = (id: string): LogWrite => ({
      docId: `request:${id}`,
      origin: 'dev-a',
      data: bytes(9),
      create: {
        meta: { kind: 'request', unitId: 'tyt-1', patientId: 'p6', peerUnitId: 'ttyt-1' },
        access: [
          { reader: 'unit:tyt-1', canWrite: true },
          { reader: 'unit:ttyt-1', canWrite: false }
        ]
      },
      grants: [{ reader: 'unit:ttyt-1', docId: 'patient:p6', source: `request:${id}` }]
    });
    const withdraw = (id: string): LogWrite => ({ ...update(`request:${id}`, 'dev-a', 10), revokes: [{ reader: 'unit:ttyt-1', docId: 'patient:p6', source: `request:${id}` }] });
    const reads = async () => (await log.docAccess('patient:p6')).map((a) => a.reader).sort();
    await log.append([patientDoc('p6')]);
    await log.append([request('r6a'), request('r6b')]);
    expect(await reads()).toEqual(['patient:p6', 'unit:ttyt-1', 'unit:tyt-1']);
    const [first] = await log.append([withdraw('r6a')]);
    expect(first).toMatchObject({ ok: true, revoked: [] });
    expect(await reads()).toEqual(['patient:p6', 'unit:ttyt-1', 'unit:tyt-1']);
    expect(await log.wasRevoked('unit:ttyt-1', 'patient:p6')).toBe(false);
    const [second] = await log.append([withdraw('r6b')]);
    const seq = second!.ok ? second!.seq : -1;
    expect(second).toEqual({ ok: true, seq, newAccess: [], revoked: [{ reader: 'unit:ttyt-1', docId: 'patient:p6', seq }] });
    // The station and the patient keep theirs; the upper unit's catch-up no longer finds the chart.
    expect(await reads()).toEqual(['patient:p6', 'unit:tyt-1']);
    expect((await all('unit:ttyt-1', 'dev-e')).entries.some((e) => e.docId === 'patient:p6')).toBe(false);
    expect((await log.readRange(seq, seq)).revoked).toEqual([{ reader: 'unit:ttyt-1', docId: 'patient:p6', seq }]);
    expect(await log.wasRevoked('unit:ttyt-1', 'patient:p6')).toBe(true);
    // Revoking what a document was created with does nothing: only grants are taken back.
    const [none] = await log.append([{ ...update('patient:p6', 'dev-a', 11), revokes: [{ reader: 'unit:tyt-1', docId: 'patient:p6', source: 'request:r6a' }] }]);
    expect(none).toMatchObject({ ok: true, revoked: [] });
    expect(await reads()).toEqual(['patient:p6', 'unit:tyt-1']);
  });

  it('compacts a document into merged runs at their last sequence number, and a reader in the middle still gets the rest', async () => {
    await log.append([patientDoc('p4')]);
    const seqs: number[] = [];
    for (let i = 0; i < 6; i++) {
      const [r] = await log.append([update('patient:p4', 'dev-b', 10 + i)]);
      if (r?.ok) seqs.push(r.seq);
    }
    expect(await log.docsToCompact(7, 10)).toContain('patient:p4');
    const middle = { e: seqs[2]!, s: seqs[2]! };
    const concat = (parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));
    expect(await log.compactDoc('patient:p4', concat, 1_000)).toEqual({ before: 7, after: 1 });
    const history = await log.docHistory('patient:p4', await log.maxSeq());
    expect(history).toHaveLength(1);
    expect(history[0]!.seq).toBe(seqs[5]);
    expect([...history[0]!.data]).toEqual([1, 10, 11, 12, 13, 14, 15]);
    expect(history[0]!.origin).toBeNull();
    const rest = await all('unit:tyt-1', 'dev-z', middle);
    expect(rest.entries.filter((e) => e.docId === 'patient:p4').map((e) => [...e.data])).toEqual([[1, 10, 11, 12, 13, 14, 15]]);
  });

  it('keeps runs under the size limit when compacting', async () => {
    await log.append([patientDoc('p5')]);
    for (let i = 0; i < 5; i++) await log.append([update('patient:p5', 'dev-b', ...new Array(40).fill(i))]);
    const concat = (parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));
    const result = await log.compactDoc('patient:p5', concat, 100);
    expect(result.before).toBe(6);
    const rows = await log.docHistory('patient:p5', await log.maxSeq());
    expect(rows.every((r) => r.data.length <= 100)).toBe(true);
    expect(rows.length).toBe(result.after);
  });
});
