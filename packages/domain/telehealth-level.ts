// The telehealth level a unit reaches (mức độ y tế từ xa), decision 28 of the Ministry of Health ("Bộ tiêu chí công
// nghệ thông tin để thực hiện hoạt động y tế từ xa"): level 1 is a consultation phone channel; levels 2–5 each need
// every criterion of the seed's table marked X in its column (criteria 1–75), and levels 3, 4 and 5 the level below
// ("các cơ sở y tế đã đạt mức độ 2 …"). The criteria a product provides (the software group B, and the web video
// conference of A2 when the SFU runs) are filled from what this product does; the equipment, the security
// attestation (TT 54/2017) and the phone channels are ticked by the unit; the connection points (D) are counted from
// the unit directory. Two exemptions the seed gives: criterion 20 applies only where there is an operating room, and
// the PACS criterion (54) not to units that use no PACS. Pure functions: the server keeps the answers, the admin
// screen and the PDF read the result.

import { isOneLine } from './text';

/** The seed's groups of criteria: A1–A7 infrastructure, B software, C security, D connection points. */
export const levelGroups = ['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'B', 'C', 'D'] as const;
export type LevelGroup = (typeof levelGroups)[number];

/** Who answers a criterion: the unit ticks it, the product states it, or the unit directory counts it. */
export type CriterionSource = 'unit' | 'product' | 'connections';

export type Criterion = {
  /** 1–75, the seed's numbering (the i18n catalog's `level.c<n>` is its text). */
  n: number;
  group: LevelGroup;
  /** The levels whose column has an X. */
  levels: readonly number[];
  source: CriterionSource;
  /** For D: the least number of connection points. */
  minPoints?: number;
  /** Applies only when the unit has an operating room (20), or uses PACS (54). */
  appliesIf?: 'operatingRoom' | 'pacs';
};

const L2 = [2, 3, 4, 5];
const L3 = [3, 4, 5];
const L4 = [4, 5];
const L5 = [5];
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The 75 criteria of the seed's table, with the columns marked X. */
export const levelCriteria: readonly Criterion[] = [
  ...range(1, 8).map((n): Criterion => ({ n, group: 'A1', levels: L2, source: 'unit' })),
  { n: 9, group: 'A1', levels: L4, source: 'unit' },
  { n: 10, group: 'A1', levels: L5, source: 'unit' },
  { n: 11, group: 'A1', levels: L5, source: 'unit' },
  { n: 12, group: 'A2', levels: L3, source: 'product' },
  { n: 13, group: 'A2', levels: L3, source: 'unit' },
  { n: 14, group: 'A2', levels: L3, source: 'unit' },
  ...range(15, 19).map((n): Criterion => ({ n, group: 'A3', levels: L3, source: 'unit' })),
  { n: 20, group: 'A3', levels: L3, source: 'unit', appliesIf: 'operatingRoom' },
  ...range(21, 29).map((n): Criterion => ({ n, group: 'A4', levels: L4, source: 'unit' })),
  ...range(30, 32).map((n): Criterion => ({ n, group: 'A5', levels: L4, source: 'unit' })),
  ...range(33, 38).map((n): Criterion => ({ n, group: 'A6', levels: L4, source: 'unit' })),
  ...range(39, 42).map((n): Criterion => ({ n, group: 'A7', levels: L4, source: 'unit' })),
  ...range(43, 49).map((n): Criterion => ({ n, group: 'B', levels: L2, source: 'product' })),
  { n: 50, group: 'B', levels: L3, source: 'product' },
  { n: 51, group: 'B', levels: L3, source: 'product' },
  ...range(52, 62).map((n): Criterion => ({ n, group: 'B', levels: L4, source: 'product', ...(n === 54 ? { appliesIf: 'pacs' as const } : {}) })),
  ...range(63, 69).map((n): Criterion => ({ n, group: 'B', levels: L5, source: 'product' })),
  { n: 70, group: 'C', levels: L2, source: 'unit' },
  { n: 71, group: 'C', levels: L4, source: 'unit' },
  { n: 72, group: 'D', levels: L2, source: 'connections', minPoints: 5 },
  { n: 73, group: 'D', levels: L3, source: 'connections', minPoints: 7 },
  { n: 74, group: 'D', levels: L4, source: 'connections', minPoints: 10 },
  { n: 75, group: 'D', levels: L5, source: 'connections', minPoints: 20 }
];

/** The criteria a unit ticks itself (the rest are stated by the product or counted). */
export const unitCriteria: readonly number[] = levelCriteria.filter((c) => c.source === 'unit').map((c) => c.n);

/** What the running system provides that a criterion asks about. */
export type ProductFacts = {
  /** The SFU (Janus) runs: multi-party video in the browser, a web video conference (criterion 12), and calls recorded (49). */
  sfu: boolean;
};

/**
 * The software criteria this product meets today, and where (the i18n catalog's `level.how.<n>`); a criterion it
 * does not meet yet says so (`level.missing.<n>`). Kept in one place: a capability that lands changes its line here.
 */
export function productMeets(n: number, facts: ProductFacts): boolean {
  switch (n) {
    // 12: a web video conference; 49: information, pictures and sound of consultations kept (calls recorded on the
    // SFU with everyone's consent, listed in the case: sync-server/src/calls/recording.ts). Both need the SFU.
    case 12:
    case 49:
      return facts.sfu;
    case 43: // patient charts
    case 44: // consultant profiles (practice certificate, scope)
    case 45: // catalogs: administrative units, ICD-10, ethnic groups, drugs
    case 46: // accounts
    case 47: // roles and what each may read and write, checked on the server
    case 48: // reports 5A–5D
    case 50: // the upper unit's inbox of new requests
    case 51: // warnings on abnormal vital signs on the form
    case 57: // the list of requests and consultations
    case 58: // search of patients and requests
    case 59: // the station's queue
    case 62: // PDF of the forms, the minutes, prescriptions; CSV of reports
    case 65: // the app installs on phones (PWA)
    case 69: // the devices that sync, with revocation
    case 60: // the upper unit's consultation calendar: published hours, slots picked by stations, the day's consultations
    case 61: // minutes signed digitally (PAdES: a PKCS#12 file, a CSC service or a confirm-on-phone service), locked once signed
    case 52: // HL7 with the HIS, and 55, connections with other health information systems: FHIR R4 export, $everything
    case 55: // and import of charts and visits, validated (sync-server/src/fhir-api.ts, docs/fhir.md)
    case 68: // reminders of consultations on phones: the staff's before each consultation, the patients' (follow-up, medication) pushed and offline
      return true;
    default:
      // 53 (LIS), 54 (PACS, DICOM), 56 (medical devices), 63–64 (EMR, EHR), 66–67 (medical and personal devices):
      // not yet.
      return false;
  }
}

/** A unit's answers for one year: what it ticks. Closed: `parseLevelAnswers` reads nothing else. */
export type LevelAnswers = {
  /** Level 1: the consultation phone channel connects doctors, doctors and citizens, and health units. */
  phone: { doctors: boolean; citizens: boolean; units: boolean };
  /** The unit criteria it meets (numbers from `unitCriteria`). */
  met: number[];
  operatingRoom: boolean;
  pacs: boolean;
  /** The forms of telehealth it runs (the report's list, 1–6), and others in words (7). */
  forms: number[];
  otherForms: string;
  /** The report's heading: its number (Số), the recipient (Kính gửi), the governing body, the head of the unit, email, place. */
  number: string;
  recipient: string;
  governingBody: string;
  head: string;
  email: string;
  place: string;
};

export const emptyLevelAnswers = (): LevelAnswers => ({
  phone: { doctors: false, citizens: false, units: false },
  met: [],
  operatingRoom: false,
  pacs: false,
  forms: [],
  otherForms: '',
  number: '',
  recipient: '',
  governingBody: '',
  head: '',
  email: '',
  place: ''
});

/** The forms of telehealth the report lists (1–6; 7 is "other", in words). */
export const telehealthForms = [1, 2, 3, 4, 5, 6] as const;

const textFields = { otherForms: 300, number: 40, recipient: 200, governingBody: 200, head: 120, email: 120, place: 80 } as const;

/** Reads answers from untrusted JSON: every key known, every value of its type and bounds. A list of problems, or the answers. */
export function parseLevelAnswers(input: unknown): { ok: true; answers: LevelAnswers } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, problems: ['answers: an object'] };
  const o = input as Record<string, unknown>;
  const answers = emptyLevelAnswers();
  const known = new Set(Object.keys(answers));
  for (const k of Object.keys(o)) if (!known.has(k)) problems.push(`${k}: not an answer of the self-assessment`);
  const bool = (key: string, v: unknown) => (typeof v === 'boolean' ? v : (problems.push(`${key}: true or false`), false));
  if (o.phone !== undefined) {
    const p = o.phone;
    if (typeof p !== 'object' || p === null || Array.isArray(p)) problems.push('phone: an object { doctors, citizens, units }');
    else {
      const pp = p as Record<string, unknown>;
      for (const k of Object.keys(pp)) if (!['doctors', 'citizens', 'units'].includes(k)) problems.push(`phone.${k}: not a phone channel`);
      answers.phone = { doctors: bool('phone.doctors', pp.doctors ?? false), citizens: bool('phone.citizens', pp.citizens ?? false), units: bool('phone.units', pp.units ?? false) };
    }
  }
  const numbers = (key: 'met' | 'forms', allowed: readonly number[]) => {
    const v = o[key];
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.length > allowed.length || !v.every((n) => typeof n === 'number' && allowed.includes(n))) {
      problems.push(`${key}: a list of numbers among ${allowed[0]}–${allowed.at(-1)} (${key === 'met' ? 'the criteria a unit ticks' : 'the forms of telehealth'})`);
      return [];
    }
    return [...new Set(v as number[])].sort((a, b) => a - b);
  };
  answers.met = numbers('met', unitCriteria);
  answers.forms = numbers('forms', telehealthForms);
  if (o.operatingRoom !== undefined) answers.operatingRoom = bool('operatingRoom', o.operatingRoom);
  if (o.pacs !== undefined) answers.pacs = bool('pacs', o.pacs);
  for (const [key, max] of Object.entries(textFields) as [keyof typeof textFields, number][]) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.length > max || !isOneLine(v)) problems.push(`${key}: one line of at most ${max} characters`);
    else if (key === 'email' && v.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim())) problems.push('email: an email address');
    else answers[key] = v.trim();
  }
  return problems.length ? { ok: false, problems } : { ok: true, answers };
}

/** How one criterion stands for a unit. */
export type CriterionResult = { n: number; met: boolean; applies: boolean; source: CriterionSource };

export type LevelResult = {
  /** 0 when not even level 1 is met. */
  level: number;
  criteria: CriterionResult[];
  /** What the next level lacks: its criteria not met (and, for level 1, the phone channels); empty at level 5. */
  missing: { level: number; criteria: number[]; phone: (keyof LevelAnswers['phone'])[] } | undefined;
};

/** The level the answers reach, with how each criterion stands and what the next level lacks. */
export function assessLevel(answers: LevelAnswers, facts: ProductFacts, connectionPoints: number): LevelResult {
  const met = new Set(answers.met);
  const criteria: CriterionResult[] = levelCriteria.map((c) => {
    const applies = c.appliesIf === 'operatingRoom' ? answers.operatingRoom : c.appliesIf === 'pacs' ? answers.pacs : true;
    const ok = c.source === 'unit' ? met.has(c.n) : c.source === 'product' ? productMeets(c.n, facts) : connectionPoints >= (c.minPoints ?? Infinity);
    return { n: c.n, met: ok, applies, source: c.source };
  });
  const lacking = (level: number) => criteria.filter((r, i) => r.applies && !r.met && levelCriteria[i]!.levels.includes(level)).map((r) => r.n);
  const phoneLacking = (Object.keys(answers.phone) as (keyof LevelAnswers['phone'])[]).filter((k) => !answers.phone[k]);
  const reaches = (level: number) => (level === 1 ? phoneLacking.length === 0 : lacking(level).length === 0);
  // Level 1 stands alone; level 2 needs its criteria; 3, 4 and 5 need their criteria and the level below.
  let level = 0;
  if (reaches(2)) {
    level = 2;
    while (level < 5 && reaches(level + 1)) level++;
  } else if (reaches(1)) level = 1;
  const next = level + 1;
  const missing = level === 5 ? undefined : next === 1 ? { level: 1, criteria: [], phone: phoneLacking } : { level: next, criteria: lacking(next), phone: [] };
  return { level, criteria, missing };
}
