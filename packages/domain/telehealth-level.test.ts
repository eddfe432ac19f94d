import { describe, expect, it } from 'vitest';
import { assessLevel, emptyLevelAnswers, levelCriteria, parseLevelAnswers, unitCriteria, type LevelAnswers } from './telehealth-level';

const all = (over: Partial<LevelAnswers> = {}): LevelAnswers => ({
  ...emptyLevelAnswers(),
  phone: { doctors: true, citizens: true, units: true },
  met: [...unitCriteria],
  operatingRoom: true,
  pacs: true,
  ...over
});
const withSfu = { sfu: true };

describe('the criteria table of decision 28', () => {
  it('holds criteria 1 to 75 once each, in order, with the columns of the seed', () => {
    expect(levelCriteria.map((c) => c.n)).toEqual(Array.from({ length: 75 }, (_, i) => i + 1));
    const columns = (n: number) => levelCriteria[n - 1]!.levels;
    expect(columns(1)).toEqual([2, 3, 4, 5]);
    expect(columns(9)).toEqual([4, 5]); // wireless LAN
    expect(columns(10)).toEqual([5]); // tablets and phones
    expect(columns(12)).toEqual([3, 4, 5]); // MCU or web video conference
    expect(columns(21)).toEqual([4, 5]); // operating room
    expect(columns(50)).toEqual([3, 4, 5]);
    expect(columns(61)).toEqual([4, 5]); // signed minutes
    expect(columns(68)).toEqual([5]);
    expect(columns(71)).toEqual([4, 5]);
    expect(levelCriteria.filter((c) => c.group === 'D').map((c) => c.minPoints)).toEqual([5, 7, 10, 20]);
  });
});

describe('the level a unit reaches', () => {
  it('is 0 with nothing ticked, and the next level asks for the three phone channels', () => {
    const r = assessLevel(emptyLevelAnswers(), { sfu: false }, 0);
    expect(r.level).toBe(0);
    expect(r.missing).toEqual({ level: 1, criteria: [], phone: ['doctors', 'citizens', 'units'] });
  });

  it('is 1 with a phone channel to doctors, citizens and units, and names what level 2 lacks', () => {
    const r = assessLevel({ ...emptyLevelAnswers(), phone: { doctors: true, citizens: true, units: true } }, withSfu, 2);
    expect(r.level).toBe(1);
    expect(r.missing?.level).toBe(2);
    // Level 2's equipment (1–8), the security attestation (70) and 5 connection points (72).
    expect(r.missing?.criteria).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 70, 72]);
  });

  it('stops where the product stops: with the SFU, everything a unit can tick reaches level 3 and level 4 lacks what the product has not built', () => {
    const r = assessLevel(all(), withSfu, 25);
    expect(r.level).toBe(3);
    expect(r.missing?.criteria).toEqual([53, 54, 56]);
    expect(r.criteria.find((c) => c.n === 43)).toEqual({ n: 43, met: true, applies: true, source: 'product' });
  });

  it('takes the recordings of calls (49) from the SFU: without it level 2 is out of reach', () => {
    const r = assessLevel(all(), { sfu: false }, 25);
    expect(r.level).toBe(1);
    expect(r.missing?.criteria).toEqual([49]);
  });

  it('counts connection points against 5, 7, 10 and 20', () => {
    const r = assessLevel(all(), withSfu, 7);
    expect(r.criteria.filter((c) => c.source === 'connections').map((c) => c.met)).toEqual([true, true, false, false]);
  });

  it('takes the web video conference (12) from the SFU', () => {
    expect(assessLevel(all(), { sfu: false }, 25).criteria.find((c) => c.n === 12)?.met).toBe(false);
    expect(assessLevel(all(), withSfu, 25).criteria.find((c) => c.n === 12)?.met).toBe(true);
  });

  it('does not ask for criterion 20 without an operating room, nor PACS (54) from a unit that uses none', () => {
    const r = assessLevel(all({ operatingRoom: false, pacs: false, met: unitCriteria.filter((n) => n !== 20) }), withSfu, 25);
    expect(r.criteria.find((c) => c.n === 20)).toMatchObject({ met: false, applies: false });
    expect(r.criteria.find((c) => c.n === 54)).toMatchObject({ met: false, applies: false });
    expect(r.missing?.criteria).not.toContain(20);
  });
});

describe('answers from the network', () => {
  it('reads well-formed answers, sorted and without repeats', () => {
    const r = parseLevelAnswers({ phone: { doctors: true }, met: [8, 1, 1], forms: [2, 1], head: '  Nguyễn Văn A ', operatingRoom: false });
    expect(r).toEqual({ ok: true, answers: { ...emptyLevelAnswers(), phone: { doctors: true, citizens: false, units: false }, met: [1, 8], forms: [1, 2], head: 'Nguyễn Văn A' } });
  });

  it('refuses unknown keys, criteria the product answers, wrong types and long or control text, naming each', () => {
    const r = parseLevelAnswers({ level: 5, met: [43], phone: { fax: true }, pacs: 'yes', head: 'x'.repeat(121), email: 'a\u0000b' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.split(':')[0])).toEqual(['level', 'phone.fax', 'met', 'pacs', 'head', 'email']);
    expect(parseLevelAnswers([]).ok).toBe(false);
    expect(parseLevelAnswers(null).ok).toBe(false);
  });
});
