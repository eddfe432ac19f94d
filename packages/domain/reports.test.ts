import { describe, expect, it } from 'vitest';
import {
  computeReport,
  parseReportFilter,
  reportAppointment,
  type ReportAccount,
  type ReportAppointment,
  type ReportCall,
  type ReportFilter,
  type ReportInput,
  type ReportTable
} from './reports';

// Two stations of one province (Lào Cai, 15) and a centre. Y Tý's old district is Bát Xát (082).
const units: ReportInput['units'] = [
  { id: 'st-yty', provinceCode: '15', communeCode: '02656', oldDistrictCode: '082' },
  { id: 'st-ams', provinceCode: '15', communeCode: '02680', oldDistrictCode: null },
  { id: 'ttyt', provinceCode: '15', communeCode: null, oldDistrictCode: null }
];
const patients: ReportInput['patients'] = [
  { patientId: 'p1', unitId: 'st-yty', gender: 'female', ethnicityCode: '02', provinceCode: '15', communeCode: '02656', oldDistrictCode: '082' },
  { patientId: 'p2', unitId: 'st-yty', gender: 'male', ethnicityCode: '01', provinceCode: '15', communeCode: '02656', oldDistrictCode: '082' },
  { patientId: 'p3', unitId: 'st-ams', gender: 'female', ethnicityCode: '02', provinceCode: '15', communeCode: '02680', oldDistrictCode: null }
];
const appt = (a: Partial<ReportAppointment> & Pick<ReportAppointment, 'id'>): ReportAppointment => ({
  unitId: 'st-yty',
  patientId: 'p1',
  status: 'new',
  patientGender: null,
  createdAt: null,
  visitAt: null,
  bookedByCitizen: true,
  handlings: [],
  ...a
});
const input = (rest: Partial<ReportInput>): ReportInput => ({ units, patients, appointments: [], forms: [], calls: [], ...rest });
const filter = (table: ReportTable, q: Record<string, string>): ReportFilter => {
  const r = parseReportFilter(table, q);
  if (!r.ok) throw new Error(r.problem.message);
  return r.filter;
};
const august = { from: '2025-08-01', to: '2025-08-31' };

describe('report filters', () => {
  it('takes a period and the filters the table has', () => {
    expect(parseReportFilter('5a', { ...august, provinceCode: '15', gender: 'female', ethnicityCode: '01' })).toEqual({
      ok: true,
      filter: { ...august, provinceCode: '15', gender: 'female', ethnicityCode: '01' }
    });
  });

  it('refuses a missing or impossible date, a period backwards or too long, and says which field', () => {
    const problem = (table: ReportTable, q: Record<string, string>) => {
      const r = parseReportFilter(table, q);
      return r.ok ? undefined : [r.problem.field, r.problem.code];
    };
    expect(problem('5c', { to: '2025-08-31' })).toEqual(['from', 'required']);
    expect(problem('5c', { from: '2025-02-30', to: '2025-08-31' })).toEqual(['from', 'invalid']);
    expect(problem('5c', { from: '2025-08-31', to: '2025-08-01' })).toEqual(['to', 'out_of_range']);
    expect(problem('5c', { from: '2000-01-01', to: '2020-01-01' })).toEqual(['to', 'out_of_range']);
    expect(problem('5c', { ...august, provinceCode: '1' })).toEqual(['provinceCode', 'invalid']);
    expect(problem('5c', { ...august, shoeSize: '42' })).toEqual(['shoeSize', 'invalid']);
  });

  it('refuses a filter the table does not have, and staff gender or ethnicity, which nothing records', () => {
    const r = parseReportFilter('5d', { ...august, gender: 'male' });
    expect(r.ok ? undefined : r.problem.code).toBe('not_applicable');
    const s = parseReportFilter('5b', { ...august, gender: 'male' });
    expect(s.ok ? undefined : s.problem).toMatchObject({ field: 'gender', code: 'not_recorded' });
  });

  it('takes an old district only for a period that starts before 1 July 2025', () => {
    expect(parseReportFilter('5a', { from: '2025-06-30', to: '2025-07-31', oldDistrictCode: '082' }).ok).toBe(true);
    const r = parseReportFilter('5a', { from: '2025-07-01', to: '2025-07-31', oldDistrictCode: '082' });
    expect(r.ok ? undefined : r.problem).toMatchObject({ field: 'oldDistrictCode', code: 'not_applicable' });
  });
});

describe('an appointment as reports read it', () => {
  it('is a citizen’s booking unless its author acted for the station on it (a follow-up from a form)', () => {
    const fields = { id: 'a1', unitId: 'st-yty', patientId: 'p1', status: 'waiting', createdAt: '2025-08-01T01:00:00.000Z', createdBy: 'user-p1', wishedAt: '2025-08-02T01:00:00.000Z' };
    const booking = reportAppointment(fields, [{ at: '2025-08-01T02:00:00.000Z', by: 'worker', side: 'station', action: 'accept', status: 'waiting' }]);
    expect(booking).toMatchObject({ bookedByCitizen: true, visitAt: '2025-08-02T01:00:00.000Z', handlings: [{ at: '2025-08-01T02:00:00.000Z', by: 'worker' }] });
    const followUp = reportAppointment({ ...fields, createdBy: 'worker', scheduledAt: '2025-09-01T01:00:00.000Z' }, [
      { at: '2025-08-01T01:00:00.000Z', by: 'worker', side: 'station', action: 'accept', status: 'waiting' }
    ]);
    expect(followUp).toMatchObject({ bookedByCitizen: false, visitAt: '2025-09-01T01:00:00.000Z' });
    expect(reportAppointment({ id: 'a2' }, [])).toBeUndefined();
  });
});

describe('5C, appointments by status', () => {
  it('counts the appointments whose visit falls on a day of the period, in Vietnam’s time, by unit and gender', () => {
    const appointments = [
      appt({ id: 'a1', status: 'new', patientGender: 'female', visitAt: '2025-08-10T02:00:00.000Z' }),
      // 23:30 on 31 August in Vietnam: the period's last day.
      appt({ id: 'a2', status: 'done', patientGender: 'female', visitAt: '2025-08-31T16:30:00.000Z' }),
      // 00:00 on 1 September in Vietnam (still 31 August in UTC): after the period.
      appt({ id: 'a3', status: 'waiting', patientGender: 'female', visitAt: '2025-08-31T17:00:00.000Z' }),
      // 00:00 on 1 August in Vietnam (31 July in UTC): in the period. No gender stated: the chart's.
      appt({ id: 'a4', status: 'cancelled', patientId: 'p2', visitAt: '2025-07-31T17:00:00.000Z' }),
      appt({ id: 'a5', status: 'waiting', unitId: 'st-ams', patientId: 'p3', patientGender: 'female', visitAt: '2025-08-05T02:00:00.000Z' })
    ];
    const report = computeReport('5c', input({ appointments }), filter('5c', august));
    expect(report.columns.map((c) => c.key)).toEqual(['province', 'district', 'commune', 'unit', 'gender', 'total', 'new', 'done', 'waiting', 'cancelled']);
    expect(report.rows.map((r) => [r.unitId, r.gender, r.oldDistrictCode, r.counts])).toEqual([
      ['st-yty', 'female', null, { total: 2, new: 1, done: 1, waiting: 0, cancelled: 0 }],
      ['st-yty', 'male', null, { total: 1, new: 0, done: 0, waiting: 0, cancelled: 1 }],
      ['st-ams', 'female', null, { total: 1, new: 0, done: 0, waiting: 1, cancelled: 0 }]
    ]);
    const one = computeReport('5c', input({ appointments }), filter('5c', { ...august, unitId: 'st-ams' }));
    expect(one.rows.map((r) => r.unitId)).toEqual(['st-ams']);
    const men = computeReport('5c', input({ appointments }), filter('5c', { ...august, gender: 'male' }));
    expect(men.rows.map((r) => r.counts.total)).toEqual([1]);
  });
});

describe('5A, citizens', () => {
  const forms = [
    // 23:59 on 30 June 2025 in Vietnam: before the reform, in the old district.
    { patientId: 'p1', unitId: 'st-yty', completedAt: '2025-06-30T16:59:00.000Z' },
    // 00:00 on 1 July 2025 in Vietnam: after it, no district.
    { patientId: 'p1', unitId: 'st-yty', completedAt: '2025-06-30T17:00:00.000Z' },
    { patientId: 'p2', unitId: 'st-yty', completedAt: '2025-07-15T03:00:00.000Z' },
    { patientId: 'p2', unitId: 'st-yty', completedAt: '2025-07-20T03:00:00.000Z' },
    { patientId: 'p2', unitId: 'st-yty', completedAt: null }
  ];
  const period = { from: '2025-06-01', to: '2025-07-31' };

  it('groups a record before 1 July 2025 under its old district, one after it under none', () => {
    const report = computeReport('5a', input({ forms }), filter('5a', period));
    expect(report.rows.map((r) => [r.oldDistrictCode, r.communeCode, r.gender, r.ethnicityCode, r.counts.consulted])).toEqual([
      ['082', '02656', 'female', '02', 1],
      [null, '02656', 'female', '02', 1],
      [null, '02656', 'male', '01', 1]
    ]);
    const inDistrict = computeReport('5a', input({ forms }), filter('5a', { ...period, oldDistrictCode: '082' }));
    expect(inDistrict.rows.map((r) => [r.oldDistrictCode, r.gender, r.counts.consulted])).toEqual([['082', 'female', 1]]);
  });

  it('counts each citizen once per row however many visits, and filters by ethnic group', () => {
    const report = computeReport('5a', input({ forms }), filter('5a', { ...period, ethnicityCode: '01' }));
    expect(report.rows.map((r) => [r.gender, r.counts.consulted])).toEqual([['male', 1]]);
  });

  it('counts citizens who booked (not the station’s follow-ups), and leaves what is not recorded empty, not 0', () => {
    const appointments = [
      appt({ id: 'a1', patientId: 'p1', createdAt: '2025-07-02T01:00:00.000Z' }),
      appt({ id: 'a2', patientId: 'p1', createdAt: '2025-07-03T01:00:00.000Z' }),
      appt({ id: 'a3', patientId: 'p2', createdAt: '2025-07-03T01:00:00.000Z', bookedByCitizen: false }),
      // A booker with no chart at the station: counted at the station's place, gender unknown.
      appt({ id: 'a4', patientId: 'booker', unitId: 'st-ams', createdAt: '2025-07-04T01:00:00.000Z' })
    ];
    const onDevice = computeReport('5a', input({ appointments }), filter('5a', period));
    expect(onDevice.rows.map((r) => [r.communeCode, r.gender, r.counts])).toEqual([
      ['02656', 'female', { accountsCreated: null, usedApp: null, booked: 1, consulted: 0 }],
      ['02680', null, { accountsCreated: null, usedApp: null, booked: 1, consulted: 0 }]
    ]);
    const accounts: ReportAccount[] = [
      { id: 'u1', role: 'patient', unitId: 'st-yty', patientId: 'p1', createdAt: '2025-06-30T17:00:00.000Z', disabledAt: null },
      { id: 'u2', role: 'patient', unitId: 'st-yty', patientId: 'p2', createdAt: '2025-08-01T01:00:00.000Z', disabledAt: null },
      { id: 'w1', role: 'station_worker', unitId: 'st-yty', patientId: null, createdAt: '2025-07-01T01:00:00.000Z', disabledAt: null }
    ];
    const onServer = computeReport('5a', input({ appointments, accounts }), filter('5a', period));
    expect(onServer.rows[0]!.counts).toEqual({ accountsCreated: 1, usedApp: null, booked: 1, consulted: 0 });
  });
});

describe('5B, health workers', () => {
  it('counts staff who handled a booking or took part in a call, staff accounts created, and accounts active at the end', () => {
    const appointments = [
      appt({ id: 'a1', handlings: [{ at: '2025-08-02T01:00:00.000Z', by: 'w1' }, { at: '2025-08-03T01:00:00.000Z', by: 'w1' }, { at: '2025-09-01T01:00:00.000Z', by: 'w2' }] })
    ];
    const calls: ReportCall[] = [
      { id: 'c1', unitId: 'ttyt', direction: 'incoming', purpose: 'consultation', channel: 'webrtc', startedAt: '2025-08-04T01:00:00.000Z', createdBy: 'd1' },
      { id: 'c2', unitId: 'st-yty', direction: 'outgoing', purpose: 'consultation', channel: 'webrtc', startedAt: '2025-08-04T01:00:00.000Z', createdBy: 'w2' }
    ];
    const accounts: ReportAccount[] = [
      { id: 'w1', role: 'station_worker', unitId: 'st-yty', patientId: null, createdAt: '2025-01-01T01:00:00.000Z', disabledAt: null },
      { id: 'w2', role: 'station_worker', unitId: 'st-yty', patientId: null, createdAt: '2025-08-10T01:00:00.000Z', disabledAt: null },
      // Disabled at 00:30 on 1 September in Vietnam: still active on the period's last day.
      { id: 'w3', role: 'station_worker', unitId: 'st-yty', patientId: null, createdAt: '2025-01-01T01:00:00.000Z', disabledAt: '2025-08-31T17:30:00.000Z' },
      { id: 'w4', role: 'station_worker', unitId: 'st-yty', patientId: null, createdAt: '2025-01-01T01:00:00.000Z', disabledAt: '2025-08-20T01:00:00.000Z' },
      { id: 'd1', role: 'doctor', unitId: 'ttyt', patientId: null, createdAt: '2025-08-01T01:00:00.000Z', disabledAt: null },
      { id: 'u1', role: 'patient', unitId: 'st-yty', patientId: 'p1', createdAt: '2025-08-01T01:00:00.000Z', disabledAt: null }
    ];
    const report = computeReport('5b', input({ appointments, calls, accounts }), filter('5b', august));
    expect(report.rows.map((r) => [r.unitId, r.gender, r.qualification, r.counts])).toEqual([
      ['st-yty', null, null, { staffAccounts: 1, staffTookPart: 2, staffActive: 3 }],
      ['ttyt', null, null, { staffAccounts: 1, staffTookPart: 1, staffActive: 1 }]
    ]);
    const onDevice = computeReport('5b', input({ appointments, calls }), filter('5b', { ...august, unitId: 'st-yty' }));
    expect(onDevice.rows.map((r) => r.counts)).toEqual([{ staffAccounts: null, staffTookPart: 2, staffActive: null }]);
  });
});

describe('5D, calls', () => {
  it('counts each unit’s video calls in and out by purpose, leaving out calls on the phone line', () => {
    const call = (id: string, direction: string, purpose: string, channel = 'webrtc', startedAt = '2025-08-04T01:00:00.000Z'): ReportCall => ({
      id,
      unitId: direction === 'incoming' ? 'ttyt' : 'st-yty',
      direction,
      purpose,
      channel,
      startedAt,
      createdBy: 'x'
    });
    const calls = [
      call('c1', 'outgoing', 'consultation'),
      call('c2', 'incoming', 'consultation'),
      call('c3', 'outgoing', 'briefing'),
      call('c4', 'outgoing', 'professional'),
      call('c5', 'outgoing', 'other'),
      call('c6', 'outgoing', 'consultation', 'phone'),
      call('c7', 'outgoing', 'consultation', 'webrtc', '2025-08-31T17:00:00.000Z')
    ];
    const report = computeReport('5d', input({ calls }), filter('5d', august));
    expect(report.columns.filter((c) => c.group === 'incoming').map((c) => c.key)).toEqual(['inConsultation', 'inBriefing', 'inProfessional', 'inOther']);
    const byUnit = Object.fromEntries(report.rows.map((r) => [r.unitId, r.counts]));
    expect(byUnit['st-yty']).toEqual({ inConsultation: 0, inBriefing: 0, inProfessional: 0, inOther: 0, outConsultation: 1, outBriefing: 1, outProfessional: 1, outOther: 1 });
    expect(byUnit.ttyt).toEqual({ inConsultation: 1, inBriefing: 0, inProfessional: 0, inOther: 0, outConsultation: 0, outBriefing: 0, outProfessional: 0, outOther: 0 });
  });
});
