// Clinical rules of the teleconsultation form (guideline appendix 3, M5): emergency triage, who must consent,
// abnormal vital signs, first visit or follow-up. Pure functions: the form screen and the tests share them.
import type { Handling } from './records';

/** Whole years between a date of birth and a day (both YYYY-MM-DD or ISO). */
export function ageInYears(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.slice(0, 10).split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Whole months, for infants' vital-sign bands. */
export function ageInMonths(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.slice(0, 10).split('-').map(Number) as [number, number, number];
  return (y - by) * 12 + (m - bm) - (d < bd ? 1 : 0);
}

/**
 * Danger signs asked first (WHO emergency triage, ETAT): any of them means first aid and referral now,
 * before any teleconsultation.
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

export function triageOutcome(signs: readonly string[]): 'no_emergency' | 'refer_now' {
  return signs.some((s) => (emergencySigns as readonly string[]).includes(s)) ? 'refer_now' : 'no_emergency';
}

/**
 * Who must be present to consent (guideline 3.2): an adult consents for themself; a child under 6 needs a
 * parent or carer present; a minor (under 18) needs an identified adult (name and personal ID).
 */
export type ConsentRule = 'self' | 'parent_or_carer' | 'identified_adult';

export function consentRule(dateOfBirth: string, on: string): ConsentRule {
  const age = ageInYears(dateOfBirth, on);
  if (age < 6) return 'parent_or_carer';
  if (age < 18) return 'identified_adult';
  return 'self';
}

export const carerRelations = ['mother', 'father', 'carer', 'grandparent', 'sibling', 'other'] as const;

export type ConsentCheck = { ok: true } | { ok: false; missing: ('identityVerified' | 'consent' | 'companionName' | 'companionRelation' | 'companionPersonalId')[] };

/** Identity and consent are mandatory before the consultation goes on. */
export function checkConsent(
  f: { identityVerified?: boolean; consent?: boolean; companionName?: string; companionRelation?: string; companionPersonalId?: string },
  rule: ConsentRule
): ConsentCheck {
  const missing: Exclude<ConsentCheck, { ok: true }>['missing'] = [];
  if (!f.identityVerified) missing.push('identityVerified');
  if (!f.consent) missing.push('consent');
  if (rule !== 'self') {
    if (!f.companionName?.trim()) missing.push('companionName');
    if (rule === 'parent_or_carer' && !['mother', 'father', 'carer', 'grandparent'].includes(f.companionRelation ?? '')) missing.push('companionRelation');
    if (rule === 'identified_adult' && !/^\d{12}$/.test(f.companionPersonalId ?? '')) missing.push('companionPersonalId');
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

const sixMonthsMs = 183 * 24 * 3600 * 1000;

/**
 * First visit or follow-up (guideline 3.3): a first visit when this health worker never saw the patient, saw
 * them last more than 6 months ago, or for a different problem (another 3-character ICD-10 category).
 */
export function visitType(past: readonly PastVisit[], worker: string, now: string, mainIcd?: string): 'first' | 'follow_up' {
  const mine = past.filter((v) => v.createdBy === worker).sort((a, b) => (a.completedAt ?? a.createdAt).localeCompare(b.completedAt ?? b.createdAt));
  const last = mine[mine.length - 1];
  if (!last) return 'first';
  if (Date.parse(now) - Date.parse(last.completedAt ?? last.createdAt) > sixMonthsMs) return 'first';
  if (mainIcd && last.mainIcd && mainIcd.slice(0, 3) !== last.mainIcd.slice(0, 3)) return 'first';
  return 'follow_up';
}

/** The steps of the guided form, in order; `completion` closes it. */
export const formSteps = ['triage', 'identity', 'vitals', 'symptoms', 'diagnosis', 'handling', 'advice', 'next', 'completion'] as const;
export type FormStep = (typeof formSteps)[number];

/** Handling that sends the case to an upper unit: the form offers to write a consultation request. */
export const needsRequest = (h: Handling | undefined) => h === 'refer_up' || h === 'teleconsultation';
