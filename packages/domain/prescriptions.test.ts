import { describe, expect, it } from 'vitest';
import { seededRandom } from './random';
import { issueProblems, lastIssued, newPrescriptionCode, parsePrescriptionCode, prescriptionCodePattern, prescriptionRules, repeatItems } from './prescriptions';

const item = { drugName: 'Amoxicillin', strength: '500 mg', unit: 'viên', quantity: 21, days: 7, usage: 'Uống 1 viên mỗi 8 giờ' };
const ready = { id: 'rx1', type: 'c', diagnosis: 'Viêm phế quản cấp', items: [item], prescriberName: 'Y sĩ Lò Thị Hoa', code: '15122abc1234-c' };

describe('the national prescription code', () => {
  it('is the facility code, 7 random characters from [0-9a-z], a dash and the type, and parses back', () => {
    const made = newPrescriptionCode('15122', 'n', seededRandom(1), () => false);
    expect(made.ok).toBe(true);
    if (!made.ok) return;
    expect(made.code).toMatch(/^15122[0-9a-z]{7}-n$/);
    expect(prescriptionCodePattern.test(made.code)).toBe(true);
    expect(parsePrescriptionCode(made.code)).toEqual({ facilityCode: '15122', random: made.code.slice(5, 12), type: 'n' });
    for (const bad of ['02701ABC1234-c', '0270abc1234-c', '15122abc1234-x', '15122abc1234c', '15122abc12345-c']) expect(parsePrescriptionCode(bad), bad).toBeUndefined();
  });

  it('never gives a code the facility holds, and needs the facility code', () => {
    // The same seed draws the same first code: marked as taken, the next draw is another.
    const first = newPrescriptionCode('15122', 'c', seededRandom(5), () => false);
    const again = newPrescriptionCode('15122', 'c', seededRandom(5), (c) => first.ok && c === first.code);
    expect(first.ok && again.ok && again.code !== first.code).toBe(true);
    expect(newPrescriptionCode('15122', 'c', () => 0, () => true, 5)).toEqual({ ok: false, problem: 'exhausted' });
    expect(newPrescriptionCode(null, 'c', Math.random, () => false)).toEqual({ ok: false, problem: 'no_facility_code' });
    expect(newPrescriptionCode('2701', 'c', Math.random, () => false)).toEqual({ ok: false, problem: 'no_facility_code' });
  });
});

describe('prescription rules', () => {
  it('issues only with drugs, a diagnosis, the prescriber and a code of the prescription’s type', () => {
    expect(issueProblems(ready)).toEqual([]);
    expect(issueProblems({ ...ready, items: [] })).toContain('items');
    expect(issueProblems({ ...ready, items: [{ ...item, usage: '' }] })).toContain('items.0.usage');
    expect(issueProblems({ ...ready, items: [{ ...item, quantity: -1 }] })).toContain('items.0.quantity');
    expect(issueProblems({ ...ready, prescriberName: ' ' })).toContain('prescriberName');
    expect(issueProblems({ ...ready, code: '15122abc1234-n' })).toContain('code: type');
    expect(prescriptionRules({}, { ...ready, issuedAt: '2026-12-01T02:00:00Z' })).toEqual([]);
    expect(prescriptionRules({}, { ...ready, code: undefined, issuedAt: '2026-12-01T02:00:00Z' })).toEqual(['code: required to issue']);
  });

  it('keeps an issued prescription as it is, and the code once set', () => {
    const issued = { ...ready, issuedAt: '2026-12-01T02:00:00Z' };
    expect(prescriptionRules(issued, { ...issued })).toEqual([]);
    expect(prescriptionRules(issued, { ...issued, advice: 'Tái khám sau 7 ngày' })).toHaveLength(1);
    expect(prescriptionRules(issued, { ...issued, items: [{ ...item, quantity: 30 }] })).toHaveLength(1);
    const { issuedAt: _gone, ...unissued } = issued;
    expect(prescriptionRules(issued, unissued)).toHaveLength(1);
    expect(prescriptionRules(ready, { ...ready, code: '15122zzz9999-c' })).toEqual(['code: fixed']);
    expect(prescriptionRules({}, { ...ready, replacesId: 'rx1' })).toEqual(['replacesId: itself']);
  });

  it('repeats the drugs of the last issued prescription', () => {
    const older = { ...ready, issuedAt: '2026-11-01T02:00:00Z', items: [{ ...item, drugName: 'Old' }] };
    const newer = { ...ready, issuedAt: '2026-11-20T02:00:00Z' };
    const unissued = { ...ready, items: [{ ...item, drugName: 'Draft' }] };
    const last = lastIssued([older, unissued, newer]);
    expect(last).toBe(newer);
    expect(repeatItems(last)).toEqual([item]);
    expect(repeatItems({ items: [{ ...item, stray: 'x' }] })).toEqual([item]);
    expect(repeatItems(undefined)).toEqual([]);
  });
});
