// Reports 5A–5D of the teleconsultation guideline (appendix 5): one definition of each indicator and table, as pure
// functions of plain rows, used by the server (over its projections) and by a station's device (over its local
// index), so both give the same numbers. Periods are Vietnam's calendar days (time.ts), both ends included. Where
// the seed's tables disagree with its own definitions the definitions win and the tables keep their layout (see
// ARCHITECTURE.md, "Reports 5A–5D"): 5A gets a "Dân tộc" column, 5B the "Số tài khoản đang hoạt động" column, 5C a
// "Hủy" column, 5D the purposes as the definitions name them. An indicator the records cannot give yet (login
// history, staff gender and qualification; accounts on a device) is null, never 0.
import type { AppointmentEvent } from './appointments';
import { isCalendarDate } from './schema';
import { patterns } from './records';
import { vietnamDate } from './time';

/** The tables of appendix 5. */
export const ReportTable = { citizens: '5a', staff: '5b', services: '5c', calls: '5d' } as const;
export type ReportTable = (typeof ReportTable)[keyof typeof ReportTable];
export const reportTables: readonly ReportTable[] = Object.values(ReportTable);

/** The first day of the communes in force after the 2025 reform: districts exist only for days before it. */
export const reformDate = '2025-07-01';

/** What a report is asked for: a period (Vietnam's days, both included) and optional places and people. */
export type ReportFilter = {
  from: string;
  to: string;
  provinceCode?: string;
  /** The district before 1 July 2025: only records dated before the reform can be in one. */
  oldDistrictCode?: string;
  communeCode?: string;
  unitId?: string;
  gender?: string;
  ethnicityCode?: string;
};
export type ReportFilterKey = Exclude<keyof ReportFilter, 'from' | 'to'>;

/**
 * The filters each table takes: the seed's (5A province, district, commune, gender, ethnicity; 5B province, district,
 * unit, gender, ethnicity; 5C and 5D province, district, unit), plus the unit everywhere (a station reads its own
 * data) and the commune where the table has a commune column. 5C's gender is the table's own column. 5B's gender and
 * ethnicity are the staff's, which no record holds yet: refused as `not_recorded`.
 */
export const reportFilters: Record<ReportTable, readonly ReportFilterKey[]> = {
  '5a': ['provinceCode', 'oldDistrictCode', 'communeCode', 'unitId', 'gender', 'ethnicityCode'],
  '5b': ['provinceCode', 'oldDistrictCode', 'communeCode', 'unitId'],
  '5c': ['provinceCode', 'oldDistrictCode', 'communeCode', 'unitId', 'gender'],
  '5d': ['provinceCode', 'oldDistrictCode', 'communeCode', 'unitId']
};
const notRecordedFilters: Partial<Record<ReportTable, readonly ReportFilterKey[]>> = { '5b': ['gender', 'ethnicityCode'] };

/** The longest period a report covers (about ten years): bounds the work one request asks for. */
export const maxReportDays = 3_660;

export type ReportFilterProblem = { field: keyof ReportFilter; code: 'required' | 'invalid' | 'not_applicable' | 'not_recorded' | 'out_of_range'; message: string };

const filterPatterns: Record<ReportFilterKey, RegExp> = {
  provinceCode: patterns.provinceCode,
  oldDistrictCode: patterns.districtCode,
  communeCode: patterns.communeCode,
  unitId: patterns.id,
  gender: /^(male|female)$/,
  ethnicityCode: patterns.ethnicityCode
};

const dayMs = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);

/**
 * Reads a filter from untrusted text (a query string, a form): every key known, every value well formed, the period
 * in order and at most `maxReportDays`, a district only for a period that starts before the reform. The first
 * problem found, or the filter.
 */
export function parseReportFilter(table: ReportTable, input: Record<string, string | undefined>): { ok: true; filter: ReportFilter } | { ok: false; problem: ReportFilterProblem } {
  const fail = (field: keyof ReportFilter, code: ReportFilterProblem['code'], message: string) => ({ ok: false as const, problem: { field, code, message } });
  const known = new Set<string>(['from', 'to', ...Object.keys(filterPatterns)]);
  for (const key of Object.keys(input)) if (!known.has(key)) return fail(key as keyof ReportFilter, 'invalid', `${key} is not a report filter (from, to, ${Object.keys(filterPatterns).join(', ')})`);
  const filter: ReportFilter = { from: input.from ?? '', to: input.to ?? '' };
  for (const field of ['from', 'to'] as const) {
    const v = input[field];
    if (v === undefined || v === '') return fail(field, 'required', `${field} is required, a date YYYY-MM-DD`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || !isCalendarDate(v) || v < '2000-01-01' || v > '2099-12-31') return fail(field, 'invalid', `${field} must be a date YYYY-MM-DD between 2000 and 2099, got "${v.slice(0, 40)}"`);
  }
  if (filter.to < filter.from) return fail('to', 'out_of_range', `to (${filter.to}) is before from (${filter.from})`);
  if (daysBetween(filter.from, filter.to) >= maxReportDays) return fail('to', 'out_of_range', `a report covers at most ${maxReportDays} days`);
  for (const key of Object.keys(filterPatterns) as ReportFilterKey[]) {
    const v = input[key];
    if (v === undefined || v === '') continue;
    if (notRecordedFilters[table]?.includes(key)) return fail(key, 'not_recorded', `report ${table} cannot filter by ${key}: staff ${key === 'gender' ? 'gender' : 'ethnicity'} is not recorded`);
    if (!reportFilters[table].includes(key)) return fail(key, 'not_applicable', `report ${table} does not filter by ${key}`);
    if (!filterPatterns[key].test(v)) return fail(key, 'invalid', `${key} is not well formed, got "${v.slice(0, 40)}"`);
    filter[key] = v;
  }
  if (filter.oldDistrictCode && filter.from >= reformDate) return fail('oldDistrictCode', 'not_applicable', `districts ended on 30 June 2025: a district filter needs a period starting before ${reformDate}`);
  return { ok: true, filter };
}

// ---- The rows reports read. Each is what both the server's projections and a device's index hold. ----

/** A health unit and where it is. `oldDistrictCode`: its district before the reform, when known. */
export type ReportUnit = { id: string; provinceCode: string | null; communeCode: string | null; oldDistrictCode: string | null };
/** A chart: the citizen's gender, ethnic group and address (after the reform, and the old district before it). */
export type ReportPatient = { patientId: string; unitId: string; gender: string | null; ethnicityCode: string | null; provinceCode: string | null; communeCode: string | null; oldDistrictCode: string | null };
/** A station's handling of an appointment: who acted for the station, when. */
export type ReportHandling = { at: string; by: string };
export type ReportAppointment = {
  id: string;
  unitId: string;
  /** The account's patient (the booker's, for a booking on someone's behalf). */
  patientId: string;
  status: string | null;
  /** The gender the booking states for the person to be seen. */
  patientGender: string | null;
  createdAt: string | null;
  /** The visit's time: when the station scheduled it, else when the patient wished it. */
  visitAt: string | null;
  /** Made by the citizen (a booking), not by the station (a follow-up from a form). */
  bookedByCitizen: boolean;
  handlings: ReportHandling[];
};
/** A teleconsultation form (appendix 3) of a chart, counted once completed. */
export type ReportForm = { patientId: string; unitId: string; completedAt: string | null };
/** A call as one unit logged it. */
export type ReportCall = { id: string; unitId: string; direction: string | null; purpose: string | null; channel: string | null; startedAt: string | null; createdBy: string | null };
/** An account (the server's table; a device has none). */
export type ReportAccount = { id: string; role: string; unitId: string | null; patientId: string | null; createdAt: string; disabledAt: string | null };

export type ReportInput = {
  units: readonly ReportUnit[];
  patients: readonly ReportPatient[];
  appointments: readonly ReportAppointment[];
  forms: readonly ReportForm[];
  calls: readonly ReportCall[];
  /** Absent on a device: the indicators over accounts are then null. */
  accounts?: readonly ReportAccount[];
};

/**
 * An appointment's report row from its record and events (the same function on the server and the device). The
 * station made it when its creator acted as the station on it (a follow-up from a form is accepted by its author
 * at once); a citizen's booking is created by the patient's account, which never acts as the station.
 */
export function reportAppointment(fields: Record<string, unknown>, events: readonly AppointmentEvent[]): ReportAppointment | undefined {
  const s = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const id = s(fields.id);
  const unitId = s(fields.unitId);
  const patientId = s(fields.patientId);
  if (!id || !unitId || !patientId) return undefined;
  const createdBy = s(fields.createdBy);
  const handlings = events.filter((e) => e.side === 'station' && typeof e.at === 'string' && typeof e.by === 'string').map((e) => ({ at: e.at, by: e.by }));
  return {
    id,
    unitId,
    patientId,
    status: s(fields.status),
    patientGender: s(fields.patientGender),
    createdAt: s(fields.createdAt),
    visitAt: s(fields.scheduledAt) ?? s(fields.wishedAt),
    bookedByCitizen: createdBy !== null && !handlings.some((h) => h.by === createdBy),
    handlings
  };
}

// ---- The tables. ----

/** A column of a table: a place or person column (text) or an indicator (a count, null when not recorded). */
export type ReportColumn = { key: string; kind: 'label' | 'count'; group?: string };

/** One row: where and who it is about (codes; names are the screen's), and its counts. */
export type ReportRow = {
  provinceCode: string | null;
  oldDistrictCode: string | null;
  communeCode: string | null;
  unitId: string | null;
  gender: string | null;
  ethnicityCode: string | null;
  /** Trình độ chuyên môn (5B): not recorded, always null. */
  qualification: string | null;
  counts: Record<string, number | null>;
};

export type Report = { table: ReportTable; filter: ReportFilter; columns: ReportColumn[]; rows: ReportRow[] };

const labels = (...keys: string[]): ReportColumn[] => keys.map((key) => ({ key, kind: 'label' }));
const counts = (keys: string[], group?: string): ReportColumn[] => keys.map((key) => ({ key, kind: 'count', ...(group ? { group } : {}) }));

/** The columns of each table, in the seed's order (STT is the row's number, added by whoever lays the table out). */
export const reportColumns: Record<ReportTable, readonly ReportColumn[]> = {
  '5a': [...labels('province', 'district', 'commune', 'gender', 'ethnicity'), ...counts(['accountsCreated', 'usedApp', 'booked', 'consulted'])],
  '5b': [...labels('province', 'district', 'commune', 'unit', 'gender', 'qualification'), ...counts(['staffAccounts', 'staffTookPart', 'staffActive'])],
  '5c': [...labels('province', 'district', 'commune', 'unit', 'gender'), ...counts(['total', 'new', 'done', 'waiting', 'cancelled'])],
  '5d': [
    ...labels('province', 'district', 'commune', 'unit'),
    ...counts(['inConsultation', 'inBriefing', 'inProfessional', 'inOther'], 'incoming'),
    ...counts(['outConsultation', 'outBriefing', 'outProfessional', 'outOther'], 'outgoing')
  ]
};

type Place = { provinceCode: string | null; oldDistrictCode: string | null; communeCode: string | null };

/** Whether a Vietnam day is in the period. */
const inPeriod = (f: ReportFilter, instant: string | null): instant is string => {
  if (!instant) return false;
  const day = vietnamDate(instant);
  return day >= f.from && day <= f.to;
};

/** The place a record counts in on its day: a district only for a day before the reform. */
const placeOn = (p: Place, day: string): Place => ({ provinceCode: p.provinceCode, communeCode: p.communeCode, oldDistrictCode: day < reformDate ? p.oldDistrictCode : null });

const placeMatches = (f: ReportFilter, p: Place) =>
  (!f.provinceCode || p.provinceCode === f.provinceCode) && (!f.communeCode || p.communeCode === f.communeCode) && (!f.oldDistrictCode || p.oldDistrictCode === f.oldDistrictCode);

/** Groups distinct members by row key, per indicator. */
class Tally {
  private readonly rows = new Map<string, { row: ReportRow; sets: Map<string, Set<string>> }>();
  constructor(private readonly indicators: readonly string[], private readonly unrecorded: ReadonlySet<string>) {}
  add(row: Omit<ReportRow, 'counts'>, indicator: string, member: string) {
    const key = JSON.stringify([row.provinceCode, row.oldDistrictCode, row.communeCode, row.unitId, row.gender, row.ethnicityCode, row.qualification]);
    let entry = this.rows.get(key);
    if (!entry) this.rows.set(key, (entry = { row: { ...row, counts: {} }, sets: new Map() }));
    let set = entry.sets.get(indicator);
    if (!set) entry.sets.set(indicator, (set = new Set()));
    set.add(member);
  }
  result(): ReportRow[] {
    const order = (r: ReportRow) => [r.provinceCode, r.oldDistrictCode, r.communeCode, r.unitId, r.gender, r.ethnicityCode].map((v) => v ?? '\uffff').join('\u0000');
    return [...this.rows.values()]
      .map(({ row, sets }) => ({ ...row, counts: Object.fromEntries(this.indicators.map((i) => [i, this.unrecorded.has(i) ? null : (sets.get(i)?.size ?? 0)])) }))
      .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  }
}

const countKeys = (table: ReportTable) => reportColumns[table].filter((c) => c.kind === 'count').map((c) => c.key);

/** Report 5A, người dân: citizens with accounts, who used the app, who booked, who were consulted. */
function citizens(input: ReportInput, f: ReportFilter): ReportRow[] {
  const units = new Map(input.units.map((u) => [u.id, u]));
  const charts = new Map(input.patients.map((p) => [p.patientId, p]));
  const accounts = input.accounts;
  // Login history is not recorded; accounts are not on a device.
  const tally = new Tally(countKeys('5a'), new Set(accounts ? ['usedApp'] : ['accountsCreated', 'usedApp']));
  /** A citizen on a day: where the chart says they live (else their station's place), their gender and ethnic group. */
  const count = (indicator: string, patientId: string, unitId: string | null, instant: string) => {
    const chart = charts.get(patientId);
    const station = unitId ? units.get(unitId) : undefined;
    const home: Place = chart?.provinceCode
      ? { provinceCode: chart.provinceCode, communeCode: chart.communeCode, oldDistrictCode: chart.oldDistrictCode }
      : { provinceCode: station?.provinceCode ?? null, communeCode: station?.communeCode ?? null, oldDistrictCode: station?.oldDistrictCode ?? null };
    const place = placeOn(home, vietnamDate(instant));
    const gender = chart?.gender ?? null;
    const ethnicityCode = chart?.ethnicityCode ?? null;
    if (!placeMatches(f, place) || (f.unitId && unitId !== f.unitId) || (f.gender && gender !== f.gender) || (f.ethnicityCode && ethnicityCode !== f.ethnicityCode)) return;
    tally.add({ ...place, unitId: null, gender, ethnicityCode, qualification: null }, indicator, patientId);
  };
  for (const a of accounts ?? []) {
    if (a.role === 'patient' && a.patientId && inPeriod(f, a.createdAt)) count('accountsCreated', a.patientId, a.unitId, a.createdAt);
  }
  for (const a of input.appointments) {
    if (a.bookedByCitizen && inPeriod(f, a.createdAt)) count('booked', a.patientId, a.unitId, a.createdAt);
  }
  for (const form of input.forms) {
    if (inPeriod(f, form.completedAt)) count('consulted', form.patientId, form.unitId, form.completedAt);
  }
  return tally.result();
}

/** The place of a unit on a day, and whether it passes the filter. */
function unitPlace(units: Map<string, ReportUnit>, f: ReportFilter, unitId: string, instant: string): Place | undefined {
  const u = units.get(unitId);
  const place = placeOn({ provinceCode: u?.provinceCode ?? null, communeCode: u?.communeCode ?? null, oldDistrictCode: u?.oldDistrictCode ?? null }, vietnamDate(instant));
  return placeMatches(f, place) && (!f.unitId || unitId === f.unitId) ? place : undefined;
}

const staffRoles = new Set(['station_worker', 'doctor']);

/** Report 5B, cán bộ y tế: staff accounts created, staff who handled a booking or took part in a call, accounts active. */
function staff(input: ReportInput, f: ReportFilter): ReportRow[] {
  const units = new Map(input.units.map((u) => [u.id, u]));
  const accounts = input.accounts;
  const tally = new Tally(countKeys('5b'), new Set(accounts ? [] : ['staffAccounts', 'staffActive']));
  const add = (unitId: string, instant: string, indicator: string, member: string) => {
    const place = unitPlace(units, f, unitId, instant);
    if (place) tally.add({ ...place, unitId, gender: null, ethnicityCode: null, qualification: null }, indicator, member);
  };
  for (const a of accounts ?? []) {
    if (!staffRoles.has(a.role) || !a.unitId) continue;
    if (inPeriod(f, a.createdAt)) add(a.unitId, a.createdAt, 'staffAccounts', a.id);
    // Active at the report's end (its last day, Vietnam's): created by then and not disabled by then.
    const endInstant = `${f.to}T23:59:59.999+07:00`;
    if (vietnamDate(a.createdAt) <= f.to && (!a.disabledAt || vietnamDate(a.disabledAt) > f.to)) add(a.unitId, endInstant, 'staffActive', a.id);
  }
  for (const a of input.appointments) for (const h of a.handlings) if (inPeriod(f, h.at)) add(a.unitId, h.at, 'staffTookPart', h.by);
  for (const c of input.calls) if (c.createdBy && inPeriod(f, c.startedAt)) add(c.unitId, c.startedAt, 'staffTookPart', c.createdBy);
  return tally.result();
}

const statusIndicator: Record<string, string> = { new: 'new', waiting: 'waiting', done: 'done', cancelled: 'cancelled' };

/** Report 5C, dịch vụ: appointments of the period (by the visit's day) by their status now. */
function services(input: ReportInput, f: ReportFilter): ReportRow[] {
  const units = new Map(input.units.map((u) => [u.id, u]));
  const charts = new Map(input.patients.map((p) => [p.patientId, p]));
  const tally = new Tally(countKeys('5c'), new Set());
  for (const a of input.appointments) {
    if (!inPeriod(f, a.visitAt)) continue;
    const place = unitPlace(units, f, a.unitId, a.visitAt);
    const gender = a.patientGender ?? charts.get(a.patientId)?.gender ?? null;
    if (!place || (f.gender && gender !== f.gender)) continue;
    const row = { ...place, unitId: a.unitId, gender, ethnicityCode: null, qualification: null };
    tally.add(row, 'total', a.id);
    const indicator = a.status ? statusIndicator[a.status] : undefined;
    if (indicator) tally.add(row, indicator, a.id);
  }
  return tally.result();
}

const purposeIndicator: Record<string, string> = { consultation: 'Consultation', briefing: 'Briefing', professional: 'Professional', other: 'Other' };

/** Report 5D, cuộc gọi: video calls (in the app, not on the phone line) each unit logged, in and out, by purpose. */
function calls(input: ReportInput, f: ReportFilter): ReportRow[] {
  const units = new Map(input.units.map((u) => [u.id, u]));
  const tally = new Tally(countKeys('5d'), new Set());
  for (const c of input.calls) {
    if (c.channel !== 'webrtc' || !inPeriod(f, c.startedAt) || !c.purpose || !purposeIndicator[c.purpose]) continue;
    const side = c.direction === 'incoming' ? 'in' : c.direction === 'outgoing' ? 'out' : undefined;
    const place = side && unitPlace(units, f, c.unitId, c.startedAt);
    if (place) tally.add({ ...place, unitId: c.unitId, gender: null, ethnicityCode: null, qualification: null }, `${side}${purposeIndicator[c.purpose]}`, c.id);
  }
  return tally.result();
}

/** One table of appendix 5 over `input`, for a filter read by `parseReportFilter`. */
export function computeReport(table: ReportTable, input: ReportInput, filter: ReportFilter): Report {
  const rows = { '5a': citizens, '5b': staff, '5c': services, '5d': calls }[table](input, filter);
  return { table, filter, columns: [...reportColumns[table]], rows };
}
