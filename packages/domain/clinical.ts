// Clinical rules of the teleconsultation form (guideline appendix 3, M5): emergency triage, who must consent,
// abnormal vital signs, first visit or follow-up. Pure functions: the form screen and the tests share them.
import { patterns, type Handling } from './records';
import { addMonths, vietnamDate } from './time';

/** Whole years between a date of birth and a day (YYYY-MM-DD, or an ISO instant taken as its day in Vietnam). */
export function ageInYears(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [y, m, d] = vietnamDate(on).split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Whole months, for infants' vital-sign bands. */
export function ageInMonths(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [y, m, d] = vietnamDate(on).split('-').map(Number) as [number, number, number];
  return (y - by) * 12 + (m - bm) - (d < bd ? 1 : 0);
}

/**
 * Danger signs asked first (WHO emergency triage, ETAT). Any of them is an emergency: as guideline 4.2.1/4.2.2
 * step 3 says, the health worker explains briefly, advises first aid at once (remotely too: the patient may be on
 * the phone), calls for urgent help when needed, and guides a referral when appropriate. Remote advice is part of
 * the emergency response, never forbidden by it.
 */
export const emergencySigns = [
  'not_breathing',
  'severe_breathing_difficulty',
  'unconscious',
  'convulsing',
  'shock',
  'severe_bleeding',
  'severe_chest_pain',
  'stroke_signs',
  'severe_dehydration',
  'major_trauma',
  'poisoning'
] as const;
export type EmergencySign = (typeof emergencySigns)[number];

/** `first_aid_and_refer`: first-aid advice now (in person or remotely), an urgent call if needed, referral when appropriate. */
export function triageOutcome(signs: readonly string[]): 'no_emergency' | 'first_aid_and_refer' {
  return signs.some((s) => (emergencySigns as readonly string[]).includes(s)) ? 'first_aid_and_refer' : 'no_emergency';
}

/** What the emergency step offers, in order (guideline 4.2.1 step 3): nothing when there is no danger sign. */
export const emergencySteps = ['explain', 'first_aid_advice', 'urgent_call', 'refer_when_appropriate'] as const;
export type EmergencyStep = (typeof emergencySteps)[number];
export function emergencyResponse(signs: readonly string[]): readonly EmergencyStep[] {
  return triageOutcome(signs) === 'no_emergency' ? [] : emergencySteps;
}

/**
 * The booking's self-report ticks (appendix 3 "Tình trạng sức khỏe") that are danger signs: the patient gets
 * first-aid advice on the phone at once, and the station sees the booking flagged.
 */
export const bookingDangerTicks = ['chest_pain'] as const;
export function bookingDangerSigns(symptoms: readonly string[] | undefined): string[] {
  return (symptoms ?? []).filter((s) => (bookingDangerTicks as readonly string[]).includes(s));
}

/**
 * Who must be present to consent (guideline 4.3.2): an adult consents for themself; a child under 6 needs a
 * parent or carer present; a minor ("trẻ vị thành niên", under 18) is seen only with an adult whose identity is
 * established. The guideline applies the minor's rule "after confirming the age" ("sau khi xác nhận tuổi"): an
 * unknown age is not taken as an adult's, the age must be confirmed first (`age_unknown`).
 */
export type ConsentRule = 'self' | 'parent_or_carer' | 'identified_adult' | 'age_unknown';

export function consentRule(dateOfBirth: string | undefined, on: string): ConsentRule {
  if (!dateOfBirth || !/^\d{4}-\d{2}-\d{2}/.test(dateOfBirth)) return 'age_unknown';
  const age = ageInYears(dateOfBirth, on);
  if (age < 6) return 'parent_or_carer';
  if (age < 18) return 'identified_adult';
  return 'self';
}

export const carerRelations = ['mother', 'father', 'carer', 'grandparent', 'sibling', 'other'] as const;

/**
 * The papers that establish the accompanying adult's identity (guideline 4.3.1: "số thẻ bảo hiểm y tế hoặc bất kỳ
 * giấy tờ tùy thân nào khác phù hợp"): the citizen ID (CCCD, 12 digits), the health-insurance card, or another
 * paper (its kind and number written out, e.g. "Giấy phép lái xe 010203040506").
 */
export const companionIdKinds = ['personal_id', 'insurance_card', 'other'] as const;
export type CompanionIdKind = (typeof companionIdKinds)[number];

/** Whether the companion's paper establishes an identity: a valid CCCD or insurance number, or another paper described. */
export function companionIdentified(f: { companionIdKind?: string; companionIdNumber?: string; companionPersonalId?: string }): boolean {
  if (f.companionPersonalId && patterns.personalId.test(f.companionPersonalId)) return true;
  const n = (f.companionIdNumber ?? '').trim();
  switch (f.companionIdKind) {
    case 'personal_id':
      return patterns.personalId.test(n);
    case 'insurance_card':
      return patterns.insuranceNumber.test(n.toUpperCase());
    case 'other':
      return /[0-9A-Za-z]{3,}/.test(n);
    default:
      return false;
  }
}

export type ConsentMissing = 'dateOfBirth' | 'identityVerified' | 'consent' | 'companionName' | 'companionRelation' | 'companionIdentity';
export type ConsentCheck = { ok: true } | { ok: false; missing: ConsentMissing[] };

/** Identity and consent are mandatory before the consultation goes on; so is the age, which decides who must be present. */
export function checkConsent(
  f: {
    identityVerified?: boolean;
    consent?: boolean;
    companionName?: string;
    companionRelation?: string;
    companionPersonalId?: string;
    companionIdKind?: string;
    companionIdNumber?: string;
  },
  rule: ConsentRule
): ConsentCheck {
  const missing: ConsentMissing[] = [];
  if (rule === 'age_unknown') missing.push('dateOfBirth');
  if (!f.identityVerified) missing.push('identityVerified');
  if (!f.consent) missing.push('consent');
  if (rule === 'parent_or_carer' || rule === 'identified_adult') {
    if (!f.companionName?.trim()) missing.push('companionName');
    if (rule === 'parent_or_carer' && !['mother', 'father', 'carer', 'grandparent'].includes(f.companionRelation ?? '')) missing.push('companionRelation');
    if (rule === 'identified_adult' && !companionIdentified(f)) missing.push('companionIdentity');
  }
  return missing.length ? { ok: false, missing } : { ok: true };
}

export type VitalField = 'pulse' | 'temperatureC' | 'bpSystolic' | 'bpDiastolic' | 'respiratoryRate';
export type VitalAlert = { field: VitalField; level: 'low' | 'high'; value: number; normal: readonly [number, number] };

type Band = { maxMonths: number; pulse: [number, number]; respiratoryRate: [number, number]; bpSystolic: [number, number]; bpDiastolic: [number, number] };

/** Normal ranges at rest by age (paediatric bands as in IMCI / PALS charts; adults as in the Ministry's guidance). */
const bands: readonly Band[] = [
  { maxMonths: 2, pulse: [100, 180], respiratoryRate: [30, 59], bpSystolic: [60, 90], bpDiastolic: [30, 60] },
  { maxMonths: 12, pulse: [100, 160], respiratoryRate: [25, 49], bpSystolic: [70, 105], bpDiastolic: [35, 65] },
  { maxMonths: 60, pulse: [80, 140], respiratoryRate: [20, 39], bpSystolic: [80, 110], bpDiastolic: [45, 70] },
  { maxMonths: 144, pulse: [70, 120], respiratoryRate: [16, 29], bpSystolic: [85, 120], bpDiastolic: [50, 80] },
  { maxMonths: 216, pulse: [60, 100], respiratoryRate: [12, 20], bpSystolic: [90, 130], bpDiastolic: [55, 85] },
  { maxMonths: Infinity, pulse: [60, 100], respiratoryRate: [12, 20], bpSystolic: [90, 139], bpDiastolic: [60, 89] }
];

const temperatureRange = [35.5, 37.9] as const;

/** The vital signs outside the normal range for the patient's age (criterion 51): each raises an alert. */
export function vitalAlerts(vitals: Partial<Record<VitalField, number>>, dateOfBirth: string | undefined, on: string): VitalAlert[] {
  const months = dateOfBirth ? ageInMonths(dateOfBirth, on) : 240;
  const band = bands.find((b) => months < b.maxMonths) ?? bands[bands.length - 1]!;
  const ranges: Record<VitalField, readonly [number, number]> = {
    pulse: band.pulse,
    temperatureC: temperatureRange,
    bpSystolic: band.bpSystolic,
    bpDiastolic: band.bpDiastolic,
    respiratoryRate: band.respiratoryRate
  };
  const alerts: VitalAlert[] = [];
  for (const field of Object.keys(ranges) as VitalField[]) {
    const value = vitals[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    const [low, high] = ranges[field];
    if (value < low) alerts.push({ field, level: 'low', value, normal: ranges[field] });
    else if (value > high) alerts.push({ field, level: 'high', value, normal: ranges[field] });
  }
  return alerts;
}

export type PastVisit = { createdBy: string; completedAt?: string; createdAt: string; mainIcd?: string };

/** The same health problem: the same 3-character ICD-10 category (E11.9 and E11.6 are both diabetes). */
export const sameProblem = (a: string, b: string) => a.slice(0, 3).toUpperCase() === b.slice(0, 3).toUpperCase();

/**
 * First visit or follow-up (guideline 4.2.1): a follow-up when this health worker saw the patient for the same
 * health problem within the last 6 months, whatever other visits came between; a first visit when the worker
 * never saw the patient, saw them over 6 months ago, or within 6 months only for other problems.
 * `today` is Vietnam's calendar day (YYYY-MM-DD; an ISO instant is taken as its day in Vietnam), given by the
 * caller. While the main diagnosis is not chosen yet, any visit by this worker within 6 months makes it a
 * provisional follow-up; a past visit without a diagnosis cannot show it was the same problem.
 */
export function visitType(past: readonly PastVisit[], worker: string, today: string, mainIcd?: string): 'first' | 'follow_up' {
  const day = vietnamDate(today);
  const recent = past.filter((v) => v.createdBy === worker && addMonths(vietnamDate(v.completedAt ?? v.createdAt), 6) >= day);
  if (!recent.length) return 'first';
  if (!mainIcd) return 'follow_up';
  return recent.some((v) => v.mainIcd !== undefined && sameProblem(v.mainIcd, mainIcd)) ? 'follow_up' : 'first';
}

/** The steps of the guided form, in order; `completion` closes it. */
export const formSteps = ['triage', 'identity', 'vitals', 'symptoms', 'diagnosis', 'handling', 'advice', 'next', 'completion'] as const;
export type FormStep = (typeof formSteps)[number];

/** Handling that sends the case to an upper unit: the form offers to write a consultation request. */
export const needsRequest = (h: Handling | undefined) => h === 'refer_up' || h === 'teleconsultation';

/**
 * What a teleconsultation form still lacks to be completed (the form screen checks the same before it lets the
 * worker complete): the triage, identity and consent as the patient's age requires, the main diagnosis and the
 * handling. `patient` is the chart's record (its date of birth); the day is the completion's, in Vietnam.
 */
export function formCompletionProblems(
  form: { triageOutcome?: unknown; mainIcd?: unknown; handling?: unknown; completedAt?: unknown; createdAt?: unknown } & Parameters<typeof checkConsent>[0],
  patient: { dateOfBirth?: unknown }
): string[] {
  const problems: string[] = [];
  if (!form.triageOutcome) problems.push('triage');
  const at = typeof form.completedAt === 'string' ? form.completedAt : typeof form.createdAt === 'string' ? form.createdAt : new Date(0).toISOString();
  const dob = typeof patient.dateOfBirth === 'string' ? patient.dateOfBirth : undefined;
  const consent = checkConsent(form, consentRule(dob, vietnamDate(at)));
  if (!consent.ok) problems.push(`identity (${consent.missing.join(', ')})`);
  if (typeof form.mainIcd !== 'string' || !form.mainIcd) problems.push('main diagnosis');
  if (!form.handling) problems.push('handling');
  return problems;
}
