// Checking and finding diagnoses in the shipped ICD-10 catalog (circular 06/2026), the diseases eligible for
// teleconsultation, and the catalog as the server publishes it.
import { describe, expect, it } from 'vitest';
import { icd10 } from './icd10-official';
import { normalizeCode, readIcd10Publication } from './icd10-lookup';
import { eligibleForTelehealth, stationTelehealthDefault } from './telehealth-eligible';

const codes = (query: string, limit?: number) => icd10.search(query, limit).map((e) => e.code);

describe('checking a diagnosis against the official list', () => {
  it('refuses as main diagnosis an asterisk code, an external cause, a cause-of-death code and a category with more specific codes', () => {
    expect(icd10.check('J06.9', 'main')).toMatchObject({ ok: true, entry: { nameVi: 'Nhiễm trùng đường hô hấp trên cấp tính, không xác định' } });
    expect(icd10.check('I10', 'main')).toMatchObject({ ok: true });
    expect(icd10.check('H36.0', 'main')).toMatchObject({ ok: false, reason: 'not_main' });
    expect(icd10.check('H36.0*', 'secondary')).toMatchObject({ ok: true, entry: { mark: 'asterisk' } });
    expect(icd10.check('W54', 'main')).toMatchObject({ ok: false, reason: 'not_main' });
    expect(icd10.check('W54', 'secondary')).toMatchObject({ ok: true });
    expect(icd10.check('O96.0', 'main', 'female')).toMatchObject({ ok: false, reason: 'not_main' });
    expect(icd10.check('J06', 'main')).toMatchObject({ ok: false, reason: 'more_specific' });
    expect(icd10.check('J06', 'secondary')).toMatchObject({ ok: false, reason: 'more_specific' });
    expect(icd10.check('Q99.99', 'main')).toEqual({ ok: false, reason: 'unknown_code' });
    expect(icd10.check('I69.3', 'main')).toMatchObject({ ok: true, warning: 'discouraged_main' });
    expect(icd10.check('N40', 'main', 'female')).toMatchObject({ ok: false, reason: 'sex_mismatch' });
    expect(icd10.check('O80.0', 'main', 'male')).toMatchObject({ ok: false, reason: 'sex_mismatch' });
    expect(icd10.check('O80.0', 'main', 'female')).toMatchObject({ ok: true });
  });

  it('never accepts an asterisk code or a code of chapter XX as the main diagnosis', () => {
    const never = icd10.entries.filter((e) => e.mark === 'asterisk' || e.chapter === 'XX');
    expect(never).toHaveLength(807 + 1_549);
    expect(never.filter((e) => icd10.check(e.code, 'main').ok)).toEqual([]);
  });
});

describe('finding codes', () => {
  it('finds codes by code, with or without the dot, in the list order', () => {
    expect(normalizeCode(' i10 ')).toBe('I10');
    expect(normalizeCode('j069')).toBe('J06.9');
    expect(codes('J06')).toEqual(['J06', 'J06.0', 'J06.8', 'J06.9']);
    expect(codes('j069')).toEqual(['J06.9']);
    expect(codes('M00.0', 3)).toEqual(['M00.0', 'M00.00', 'M00.01']);
    expect(codes('Z99.99')).toEqual([]);
  });

  it('finds codes by Vietnamese words with or without diacritics, and by English', () => {
    expect(codes('tăng huyết áp')[0]).toBe('I10');
    expect(codes('tang huyet ap')[0]).toBe('I10');
    expect(codes('TĂNG HUYẾT ÁP')[0]).toBe('I10');
    expect(codes('hypertension')).toContain('I10');
    expect(codes('đái tháo đường típ 2')).toContain('E11');
    expect(codes('dai thao duong tip 2')).toContain('E11');
    // Names that begin with the words (after "Bệnh") come first, in the list's order.
    expect(codes('đái tháo đường', 3)).toEqual(['E10', 'E10.0', 'E10.1']);
    expect(icd10.search('viem phoi').every((e) => /^(bệnh )?viêm phổi/i.test(e.nameVi))).toBe(true);
    // Typed with diacritics, names written with them come first ("ho" also folds "hở").
    expect(codes('ho', 1)).toEqual(['A37']);
    expect(codes('hở', 1)).toEqual(['H02.2']);
    expect(codes('')).toEqual([]);
    expect(codes('khong co benh nao ten nay')).toEqual([]);
  });
});

describe('diseases eligible for teleconsultation', () => {
  it("uses a unit's own list, else the default of its kind; every default category is in the shipped catalog", () => {
    expect(eligibleForTelehealth('I10', { kind: 'station' })).toBe(true);
    expect(eligibleForTelehealth('C16.9', { kind: 'station' })).toBe(false);
    expect(eligibleForTelehealth('C16.9', { kind: 'centre' })).toBe(true);
    expect(eligibleForTelehealth('I10', { kind: 'station', telehealthIcd: ['E11'] })).toBe(false);
    expect(eligibleForTelehealth('e11.9', { kind: 'station', telehealthIcd: ['E11'] })).toBe(true);
    expect(stationTelehealthDefault.filter((c) => !icd10.get(c))).toEqual([]);
    // Each default category has a code a station may record as the main diagnosis.
    expect(stationTelehealthDefault.filter((c) => !icd10.search(c, 50).some((e) => icd10.check(e.code, 'main').ok))).toEqual([]);
  });
});

describe('the ICD-10 catalog as published to devices', () => {
  it('accepts a well-formed publication and refuses one with a code outside its chapter, a missing name or no version', () => {
    const entries = icd10.entries.slice(0, 3);
    const good = { version: 'abcdef0123456789', source: 'official', entries };
    expect(readIcd10Publication(good)?.entries).toHaveLength(3);
    expect(readIcd10Publication({ ...good, entries: [...icd10.entries] })?.entries).toHaveLength(15_844);
    expect(readIcd10Publication({ ...good, version: 'x' })).toBeUndefined();
    expect(readIcd10Publication({ ...good, entries: [{ ...entries[0]!, chapter: 'II' }] })).toBeUndefined();
    expect(readIcd10Publication({ ...good, entries: [{ ...entries[0]!, nameVi: '' }] })).toBeUndefined();
    expect(readIcd10Publication({ ...good, entries: [] })).toBeUndefined();
    expect(readIcd10Publication('not json')).toBeUndefined();
  });
});
