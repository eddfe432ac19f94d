// Patient search in the in-memory index, by every key a station worker types.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldVietnamese } from '@telehealth/domain';
import { openLocalDb, type LocalDb, type PatientRow } from '../sync/local-db';
import { PatientIndex } from './patient-index';

const row = (id: string, fullName: string, extra: Partial<PatientRow> = {}): PatientRow => ({
  id,
  fullName,
  nameKey: foldVietnamese(fullName),
  dateOfBirth: '1980-01-01',
  gender: 'female',
  personalId: '',
  insuranceNumber: '',
  phone: '',
  communeCode: '02701',
  updatedAt: 1,
  ...extra
});

describe('patient search', () => {
  let db: LocalDb;
  const index = new PatientIndex();
  beforeAll(async () => {
    db = openLocalDb('search-test');
    await db.patients.bulkPut([
      row('1', 'Nguyễn Thị Đào', { personalId: '001190012345', phone: '0912345678' }),
      row('2', 'Giàng A Páo', { insuranceNumber: '0123456789', dateOfBirth: '2019-06-30' }),
      row('3', 'Hầu Thị Dua', { insuranceNumber: 'DN4010123456789' }),
      row('4', 'Đào Văn Sính')
    ]);
    await index.load(db);
  });
  afterAll(() => db.delete());

  const ids = async (q: string) => index.search(q).map((p) => p.id).sort();

  it('finds a name typed with or without diacritics, from any word', async () => {
    expect(await ids('nguyen thi dao')).toEqual(['1']);
    expect(await ids('Nguyễn')).toEqual(['1']);
    expect(await ids('dao')).toEqual(['1', '4']);
    expect(await ids('thi d')).toEqual(['1', '3']);
    expect(await ids('pao giang')).toEqual([]);
  });

  it('finds by personal id, phone, insurance number or card code, and date of birth', async () => {
    expect(await ids('001190012345')).toEqual(['1']);
    expect(await ids('0912345678')).toEqual(['1']);
    expect(await ids('0123456789')).toEqual(['2']);
    expect(await ids('dn4010123456789')).toEqual(['3']);
    expect(await ids('2019-06-30')).toEqual(['2']);
  });

  it('finds a date of birth typed as people write it: dd/mm/yyyy, d/m/yyyy', async () => {
    expect(await ids('30/06/2019')).toEqual(['2']);
    expect(await ids('30/6/2019')).toEqual(['2']);
    expect(await ids('1/1/1980')).toEqual(['1', '3', '4']);
    expect(await ids('01.01.1980')).toEqual(['1', '3', '4']);
    // Half typed, or not a real day: no one, rather than every name containing digits.
    expect(await ids('30/06/20')).toEqual([]);
    expect(await ids('31/02/2019')).toEqual([]);
  });

  it('finds a phone number from its first digits or its last 4 to 6 digits', async () => {
    expect(await ids('5678')).toEqual(['1']);
    expect(await ids('345678')).toEqual(['1']);
    expect(await ids('09123')).toEqual(['1']);
    expect(await ids('0912 345')).toEqual(['1']);
    expect(await ids('1111')).toEqual([]);
    // Four digits may be a year of birth too.
    expect(await ids('2019')).toEqual(['2']);
  });

  it('lists the most recently changed patients for an empty query', async () => {
    expect(index.search('  ')).toHaveLength(4);
  });

  it('warns of a likely duplicate: same name without diacritics, date of birth and commune', () => {
    expect(index.likelyDuplicates({ fullName: 'NGUYEN THI DAO', dateOfBirth: '1980-01-01', communeCode: '02701' }).map((p) => p.id)).toEqual(['1']);
    expect(index.likelyDuplicates({ fullName: 'Nguyễn Thị Đào', dateOfBirth: '1980-01-02', communeCode: '02701' })).toEqual([]);
    expect(index.likelyDuplicates({ fullName: 'Nguyễn Thị Đào', dateOfBirth: '1980-01-01', communeCode: '02686' })).toEqual([]);
    expect(index.likelyDuplicates({ fullName: 'nguyễn thị đào', dateOfBirth: '1980-01-01' }).map((p) => p.id)).toEqual(['1']);
  });

  it('counts a patient registered without a commune as a possible duplicate in any commune', async () => {
    await db.patients.put({ ...row('9', 'Lý Seo Chải'), dateOfBirth: '1975-05-05', communeCode: '' });
    await index.refresh(db, ['patient:9']);
    expect(index.likelyDuplicates({ fullName: 'Ly Seo Chai', dateOfBirth: '1975-05-05', communeCode: '02686' }).map((p) => p.id)).toEqual(['9']);
  });

  it('picks up a patient changed after loading', async () => {
    await db.patients.put(row('5', 'Vàng Seo Páo'));
    expect(await ids('vang seo')).toEqual([]);
    await index.refresh(db, ['patient:5', 'request:x']);
    expect(await ids('vang seo')).toEqual(['5']);
  });
});
