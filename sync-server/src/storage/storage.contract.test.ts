// One storage contract, run against every backend: embedded PGlite and a real PostgreSQL server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, UnitKind } from '@telehealth/domain';
import { backends, type TestDatabase } from '../../test/databases';
import { connectPostgres, createPostgresStorage } from './postgres-storage';
import { migrations } from './migrations';
import type { Storage, UserRow } from './storage';

const station = { id: 'tyt-1', kind: UnitKind.station, name: 'Trạm Y tế xã Y Tý', provinceCode: '15', communeCode: '02701', parentId: null };
const centre = { id: 'ttyt-1', kind: UnitKind.centre, name: 'TTYT khu vực Bát Xát', provinceCode: '15', communeCode: null, parentId: null };
/** What storage answers for an account created without a profile: every profile field null. */
const noProfile = { gender: null, qualification: null, jobTitle: null, practiceCertificate: null, practiceScope: null, createdBy: null };
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

  it('keeps a unit\'s facility code (Mã cơ sở y tế) and refuses one that is not 5 digits or capitals', async () => {
    await storage.upsertUnit({ ...station, facilityCode: '15122' });
    expect((await storage.listUnits()).find((u) => u.id === 'tyt-1')?.facilityCode).toBe('15122');
    for (const bad of ['1512', '151220', '15 12', 'ab123']) {
      await expect(storage.upsertUnit({ ...station, facilityCode: bad })).rejects.toThrow(/facility code/);
    }
    expect((await storage.listUnits()).find((u) => u.id === 'tyt-1')?.facilityCode).toBe('15122');
    await storage.upsertUnit(station);
    expect((await storage.listUnits()).find((u) => u.id === 'tyt-1')?.facilityCode).toBeNull();
  });

  it('keeps a unit\'s phone line (a call\'s last rung) and refuses one that is not 0 and 9 or 10 digits', async () => {
    await storage.upsertUnit({ ...station, phone: '02143880701' });
    expect((await storage.listUnits()).find((u) => u.id === 'tyt-1')?.phone).toBe('02143880701');
    for (const bad of ['2143880701', '0214 388 070', '021438807011', 'tel:0912345678']) {
      await expect(storage.upsertUnit({ ...station, phone: bad })).rejects.toThrow(/phone/);
    }
    await storage.upsertUnit({ ...station, phone: '0912345678' });
    expect((await storage.listUnits()).find((u) => u.id === 'tyt-1')?.phone).toBe('0912345678');
    await storage.upsertUnit(station);
    expect((await storage.listUnits()).find((u) => u.id === 'tyt-1')?.phone).toBeNull();
  });

  it('upgrades a database made before facility codes: its units stay, without a code, and take one afterwards', async () => {
    const old = await backend.create();
    const sql = connectPostgres(old.url, old.maxConnections);
    const upgraded = createPostgresStorage(sql);
    try {
      // The schema as it was just before the facility-code migration, with a unit in it.
      const at = migrations.findIndex((m) => m.includes('facility_code'));
      expect(at).toBeGreaterThan(0);
      await sql`create table schema_migrations (version int primary key, applied_at timestamptz not null default now())`;
      for (const [index, text] of migrations.slice(0, at).entries()) {
        await sql.unsafe(text);
        await sql`insert into schema_migrations (version) values (${index + 1})`;
      }
      await sql`insert into units (id, kind, name, province_code) values ('tyt-1', 'station', 'Trạm Y tế xã Y Tý', '15')`;
      await upgraded.migrate();
      expect(await upgraded.listUnits()).toMatchObject([{ id: 'tyt-1', name: 'Trạm Y tế xã Y Tý', facilityCode: null }]);
      await upgraded.upsertUnit({ ...station, facilityCode: '15122' });
      expect((await upgraded.listUnits())[0]?.facilityCode).toBe('15122');
      // The database itself refuses a malformed code, whatever writes it.
      await expect(sql`update units set facility_code = '15-12' where id = 'tyt-1'`).rejects.toThrow();
    } finally {
      await upgraded.close();
      await old.drop();
    }
  });

  it('keeps bulletins per province, newest first, withdrawn ones out unless asked, and counts them per unit and period', async () => {
    await storage.upsertUnit({ id: 'syt-15', kind: UnitKind.department, name: 'Sở Y tế tỉnh Lào Cai', provinceCode: '15', communeCode: null, parentId: null });
    await storage.upsertUnit({ id: 'syt-01', kind: UnitKind.department, name: 'Sở Y tế Hà Nội', provinceCode: '01', communeCode: null, parentId: null });
    const at = (day: number) => new Date(Date.UTC(2026, 11, day, 2));
    const bulletin = (id: string, unitId: string, provinceCode: string, day: number) => ({ id, unitId, provinceCode, title: `Tin ${id}`, body: 'Nội dung', publishedAt: at(day), publishedBy: 'admin', withdrawnAt: null });
    await storage.addBulletin(bulletin('b-1', 'syt-15', '15', 1));
    await storage.addBulletin(bulletin('b-2', 'syt-15', '15', 3));
    await storage.addBulletin(bulletin('b-3', 'syt-01', '01', 2));
    expect((await storage.listBulletins(['15'], { limit: 50, withdrawn: false })).map((b) => b.id)).toEqual(['b-2', 'b-1']);
    expect((await storage.listBulletins('all', { limit: 2, withdrawn: false })).map((b) => b.id)).toEqual(['b-2', 'b-3']);
    expect(await storage.withdrawBulletin('b-2', at(4))).toBe(true);
    expect(await storage.withdrawBulletin('b-2', at(5))).toBe(false);
    expect((await storage.listBulletins(['15'], { limit: 50, withdrawn: false })).map((b) => b.id)).toEqual(['b-1']);
    expect(await storage.getBulletin('b-2')).toMatchObject({ title: 'Tin b-2', withdrawnAt: at(4) });
    expect(await storage.countBulletins(at(1), at(3))).toEqual([
      { unitId: 'syt-01', count: 1 },
      { unitId: 'syt-15', count: 1 }
    ]);
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
    expect(await storage.findUserByUsername('tram.yty')).toEqual({ ...worker, ...noProfile, disabledAt: null });
    expect(await storage.findUserById('u1')).toEqual({ ...worker, ...noProfile, disabledAt: null });
    expect(await storage.findUserById('nobody')).toBeUndefined();
    expect(await storage.countUsers()).toBe(1);
  });

  it('disables an account (deleting its refresh tokens, keeping the first time) and enables it again', async () => {
    const at = new Date('2026-11-22T01:00:00Z');
    await storage.saveRefreshToken('d1', 'u1', new Date(at.getTime() + 60_000));
    expect(await storage.setUserDisabled('u1', at)).toEqual({ ...worker, ...noProfile, disabledAt: at });
    expect(await storage.takeRefreshToken('d1', at)).toBeUndefined();
    expect((await storage.setUserDisabled('u1', new Date(at.getTime() + 5_000)))?.disabledAt).toEqual(at);
    expect((await storage.findUserByUsername('tram.yty'))?.disabledAt).toEqual(at);
    expect(await storage.setUserDisabled('u1', null)).toEqual({ ...worker, ...noProfile, disabledAt: null });
    expect(await storage.setUserDisabled('nobody', at)).toBeUndefined();
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
