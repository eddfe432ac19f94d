// One storage contract, run against every backend: embedded PGlite and a real PostgreSQL server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, UnitKind } from '@telehealth/domain';
import { backends, type TestDatabase } from '../../test/databases';
import { connectPostgres, createPostgresStorage } from './postgres-storage';
import type { Storage, UserRow } from './storage';

const station = { id: 'tyt-1', kind: UnitKind.station, name: 'Trạm Y tế xã Y Tý', provinceCode: '15', communeCode: '02701', parentId: null };
const centre = { id: 'ttyt-1', kind: UnitKind.centre, name: 'TTYT khu vực Bát Xát', provinceCode: '15', communeCode: null, parentId: null };
const worker: UserRow = {
  id: 'u1',
  username: 'tram.yty',
  displayName: 'Lý Thị Mai',
  role: Role.stationWorker,
  unitId: 'tyt-1',
  patientId: null,
  passwordHash: 'scrypt$x'
};

describe.each(backends)('storage contract on $name', (backend) => {
  let db: TestDatabase;
  let storage: Storage;

  beforeAll(async () => {
    db = await backend.create();
    storage = createPostgresStorage(connectPostgres(db.url, db.maxConnections));
    await storage.migrate();
    await storage.upsertUnit(centre);
    await storage.upsertUnit(station);
  });

  afterAll(async () => {
    await storage.close();
    await db.drop();
  });

  it('migrates again without error or change', async () => {
    await storage.migrate();
    expect((await storage.listUnits()).map((u) => u.id)).toEqual(['ttyt-1', 'tyt-1']);
  });

  it('reports itself reachable', async () => {
    expect(await storage.ping()).toBe(true);
  });

  it('keeps Vietnamese unit names exactly and updates a unit in place', async () => {
    await storage.upsertUnit({ ...station, name: 'Trạm Y tế xã Y Tý (mới)' });
    const units = await storage.listUnits();
    expect(units.find((u) => u.id === 'tyt-1')?.name).toBe('Trạm Y tế xã Y Tý (mới)');
    expect(units).toHaveLength(2);
  });

  it('keeps the diseases a unit handles by teleconsultation, or none for the default list', async () => {
    await storage.upsertUnit({ ...station, telehealthIcd: ['I10', 'E11'] });
    expect((await storage.listUnits()).find((u) => u.id === 'tyt-1')?.telehealthIcd).toEqual(['I10', 'E11']);
    await storage.upsertUnit(station);
    expect((await storage.listUnits()).find((u) => u.id === 'tyt-1')?.telehealthIcd).toBeNull();
  });

  it('links a station to its upper unit once', async () => {
    await storage.linkUnits('tyt-1', 'ttyt-1');
    await storage.linkUnits('tyt-1', 'ttyt-1');
    expect(await storage.linkedUnits('tyt-1')).toEqual(['ttyt-1']);
    expect(await storage.linkedUnits('ttyt-1')).toEqual([]);
  });

  it('creates a user and refuses a second one with the same username', async () => {
    expect(await storage.createUser(worker)).toBe('created');
    expect(await storage.createUser({ ...worker, id: 'u2' })).toBe('username-taken');
    expect(await storage.findUserByUsername('tram.yty')).toEqual(worker);
    expect(await storage.findUserById('u1')).toEqual(worker);
    expect(await storage.findUserById('nobody')).toBeUndefined();
    expect(await storage.countUsers()).toBe(1);
  });

  it('lets a refresh token be used once, and never after it expires', async () => {
    const now = new Date('2026-11-22T00:00:00Z');
    await storage.saveRefreshToken('h1', 'u1', new Date(now.getTime() + 60_000));
    expect(await storage.takeRefreshToken('h1', now)).toEqual({ userId: 'u1' });
    expect(await storage.takeRefreshToken('h1', now)).toBeUndefined();
    await storage.saveRefreshToken('h2', 'u1', new Date(now.getTime() - 1));
    expect(await storage.takeRefreshToken('h2', now)).toBeUndefined();
  });

  it('revokes a refresh token at logout: it cannot be used afterwards', async () => {
    const now = new Date('2026-11-22T00:00:00Z');
    await storage.saveRefreshToken('h3', 'u1', new Date(now.getTime() + 60_000));
    expect(await storage.revokeRefreshToken('h3')).toBe(true);
    expect(await storage.revokeRefreshToken('h3')).toBe(false);
    expect(await storage.takeRefreshToken('h3', now)).toBeUndefined();
  });
});
