import { describe, expect, it } from 'vitest';
import { chapterOf, icd10Chapters } from './icd10';
import { curatedIcd10 } from './icd10-curated';
import { icd10, normalizeCode } from './icd10-lookup';

describe('the curated ICD-10 set', () => {
  it('has at least 300 distinct codes, each in its chapter, named in Vietnamese and English', () => {
    expect(curatedIcd10.length).toBeGreaterThanOrEqual(300);
    expect(new Set(curatedIcd10.map((e) => e.code)).size).toBe(curatedIcd10.length);
    for (const e of curatedIcd10) {
      expect(e.code).toMatch(/^[A-Z]\d{2}(\.\d{1,2})?$/);
      expect(e.chapter).toBe(chapterOf(e.code));
      expect(e.nameVi.length).toBeGreaterThan(1);
      expect(e.nameEn.length).toBeGreaterThan(2);
    }
    // The codes commune stations meet reach across the classification.
    expect(new Set(curatedIcd10.map((e) => e.chapter)).size).toBeGreaterThanOrEqual(icd10Chapters.length - 1);
  });

  it('refuses as main diagnosis an asterisk code, an external cause and a category with more specific codes', () => {
    expect(icd10.check('J06.9', 'main')).toMatchObject({ ok: true });
    expect(icd10.check('H36.0', 'main')).toMatchObject({ ok: false, reason: 'not_main' });
    expect(icd10.check('H36.0', 'secondary')).toMatchObject({ ok: true });
    expect(icd10.check('W54.9', 'main')).toMatchObject({ ok: false, reason: 'not_main' });
    expect(icd10.check('J06', 'main')).toMatchObject({ ok: false, reason: 'more_specific' });
    expect(icd10.check('Q99.9', 'main')).toEqual({ ok: false, reason: 'unknown_code' });
    expect(icd10.check('R50.9', 'main')).toMatchObject({ ok: true, warning: 'discouraged_main' });
    expect(icd10.check('N40', 'main', 'female')).toMatchObject({ ok: false, reason: 'sex_mismatch' });
  });

  it('finds codes by code, by Vietnamese words with or without diacritics, and by English', () => {
    expect(normalizeCode(' i10 ')).toBe('I10');
    expect(normalizeCode('j069')).toBe('J06.9');
    expect(icd10.search('J06').map((e) => e.code)).toEqual(['J06', 'J06.0', 'J06.9']);
    expect(icd10.search('tăng huyết áp').map((e) => e.code)).toContain('I10');
    expect(icd10.search('tang huyet ap').map((e) => e.code)).toContain('I10');
    expect(icd10.search('hypertension').map((e) => e.code)).toContain('I10');
  });
});

describe('diseases eligible for teleconsultation', () => {
  it('uses a unit\'s own list, else the default of its kind; every default category is in the shipped catalog', async () => {
    const { eligibleForTelehealth, stationTelehealthDefault } = await import('./telehealth-eligible');
    expect(eligibleForTelehealth('I10', { kind: 'station' })).toBe(true);
    expect(eligibleForTelehealth('C16.9', { kind: 'station' })).toBe(false);
    expect(eligibleForTelehealth('C16.9', { kind: 'centre' })).toBe(true);
    expect(eligibleForTelehealth('I10', { kind: 'station', telehealthIcd: ['E11'] })).toBe(false);
    expect(eligibleForTelehealth('e11.9', { kind: 'station', telehealthIcd: ['E11'] })).toBe(true);
    const categories = new Set(curatedIcd10.map((e) => e.code.slice(0, 3)));
    expect(stationTelehealthDefault.filter((c) => !categories.has(c))).toEqual([]);
  });
});

describe('the ICD-10 catalog as published to devices', () => {
  it('accepts a well-formed publication and refuses one with a code outside its chapter, a missing name or no version', async () => {
    const { readIcd10Publication } = await import('./icd10-lookup');
    const entries = curatedIcd10.slice(0, 3);
    const good = { version: 'abcdef0123456789', source: 'curated', entries };
    expect(readIcd10Publication(good)?.entries).toHaveLength(3);
    expect(readIcd10Publication({ ...good, version: 'x' })).toBeUndefined();
    expect(readIcd10Publication({ ...good, entries: [{ ...entries[0]!, chapter: 'II' }] })).toBeUndefined();
    expect(readIcd10Publication({ ...good, entries: [{ ...entries[0]!, nameVi: '' }] })).toBeUndefined();
    expect(readIcd10Publication({ ...good, entries: [] })).toBeUndefined();
    expect(readIcd10Publication('not json')).toBeUndefined();
  });
});
