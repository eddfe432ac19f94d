// The yearly report of a unit on its telehealth activity (circular 49/2017/TT-BYT, appendix II, "Báo cáo về việc
// thực hiện hoạt động y tế từ xa"), due each December: its nine items, the heading and the signature. Items 1–4 come
// from the unit directory; the rest is this closed record, which the server prefills from the records (the year's
// figures, the first activity, the unit's staff) and the unit's administrator edits. Item 8 lists the five IT
// requirements of article 4, item 9 the kinds of consultation of articles 7–11 the unit runs.
import { hasControlCharacter, hasLineBreak } from './text';

/** Article 4's IT requirements (item 8): infrastructure and security (TT 53/2014), a continuous link, 10 years of
 * storage, trained operators, the unit's telehealth regulation. */
export const itRequirements = [1, 2, 3, 4, 5] as const;
/** Articles 7–11 (item 9): consultation on examination and treatment, imaging, pathology, surgery, and training. */
export const consultationArticles = [7, 8, 9, 10, 11] as const;

export type ActivityParticipant = { name: string; jobTitle: string; qualification: string; practiceCertificate: string };
export type ActivityReport = {
  /** The heading: document number (Số …/BC-…), place, governing body (cơ quan chủ quản), the head who signs. */
  number: string;
  place: string;
  governingBody: string;
  head: string;
  /** 5. Thời gian bắt đầu thực hiện y tế từ xa. */
  startedOn: string;
  /** 6. Nội dung hoạt động y tế từ xa. */
  content: string;
  /** 7. Danh sách người tham gia hoạt động y tế từ xa tại cơ sở y tế. */
  participants: ActivityParticipant[];
  /** 8. One per requirement of article 4, in order: met, and how. */
  itRequirements: { met: boolean; note: string }[];
  /** 9. One per article 7–11, in order: the unit runs it, and what it has for it. */
  consultations: { done: boolean; note: string }[];
};

export const activityBounds = { participants: 200, content: 4000, note: 500 } as const;
const headingFields = { number: 40, place: 80, governingBody: 200, head: 120, startedOn: 100 } as const;
const participantFields = { name: 100, jobTitle: 100, qualification: 100, practiceCertificate: 50 } as const;

export const emptyActivityReport = (): ActivityReport => ({
  number: '',
  place: '',
  governingBody: '',
  head: '',
  startedOn: '',
  content: '',
  participants: [],
  itRequirements: itRequirements.map(() => ({ met: false, note: '' })),
  consultations: consultationArticles.map(() => ({ done: false, note: '' }))
});

/** What the server counts from the records for a unit's year (Vietnam's calendar year), to prefill item 6. */
export type ActivityFigures = {
  /** Teleconsultation forms the unit completed. */
  formsCompleted: number;
  /** Consultation requests the unit sent to an upper unit, and those it received (not withdrawn). */
  requestsSent: number;
  requestsReceived: number;
  /** Appointments the unit saw. */
  appointmentsDone: number;
  /** Calls the unit logged, by purpose (report 5D's). */
  calls: { consultation: number; briefing: number; professional: number; other: number };
  /** The unit's first telehealth activity ever (a form, a request, a call): an instant, or null. */
  firstActivity: string | null;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a report from untrusted JSON: every key known, every value of its type and bounds. Every problem, or the report. */
export function parseActivityReport(input: unknown): { ok: true; report: ActivityReport } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  if (!isObject(input)) return { ok: false, problems: ['report: an object'] };
  const report = emptyActivityReport();
  for (const k of Object.keys(input)) if (!Object.hasOwn(report, k)) problems.push(`${k}: not an item of the activity report`);
  const text = (path: string, v: unknown, max: number, multiline = false): string => {
    if (v === undefined) return '';
    if (typeof v !== 'string' || v.length > max || hasControlCharacter(v) || (!multiline && hasLineBreak(v))) {
      problems.push(`${path}: text of at most ${max} characters${multiline ? '' : ' on one line'}`);
      return '';
    }
    return multiline ? v.replace(/\r\n?/g, '\n').trim() : v.trim();
  };
  for (const [key, max] of Object.entries(headingFields) as [keyof typeof headingFields, number][]) report[key] = text(key, input[key], max);
  report.content = text('content', input.content, activityBounds.content, true);
  const list = (key: string, max: number): unknown[] => {
    const v = input[key];
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.length > max) {
      problems.push(`${key}: a list of at most ${max}`);
      return [];
    }
    return v;
  };
  report.participants = list('participants', activityBounds.participants).map((row, i) => {
    const p: ActivityParticipant = { name: '', jobTitle: '', qualification: '', practiceCertificate: '' };
    if (!isObject(row)) {
      problems.push(`participants[${i}]: an object`);
      return p;
    }
    for (const k of Object.keys(row)) if (!Object.hasOwn(participantFields, k)) problems.push(`participants[${i}].${k}: not a participant's field`);
    for (const [key, max] of Object.entries(participantFields) as [keyof typeof participantFields, number][]) p[key] = text(`participants[${i}].${key}`, row[key], max);
    if (!p.name) problems.push(`participants[${i}].name: required`);
    return p;
  });
  const ticks = <K extends 'met' | 'done'>(key: 'itRequirements' | 'consultations', flag: K, count: number) => {
    const v = input[key];
    if (v === undefined) return;
    if (!Array.isArray(v) || v.length !== count) {
      problems.push(`${key}: a list of exactly ${count}`);
      return;
    }
    v.forEach((row, i) => {
      if (!isObject(row) || Object.keys(row).some((k) => k !== flag && k !== 'note') || (row[flag] !== undefined && typeof row[flag] !== 'boolean')) {
        problems.push(`${key}[${i}]: { ${flag}: true or false, note: text }`);
        return;
      }
      (report[key][i] as Record<string, unknown>)[flag] = row[flag] === true;
      report[key][i]!.note = text(`${key}[${i}].note`, row.note, activityBounds.note, true);
    });
  };
  ticks('itRequirements', 'met', itRequirements.length);
  ticks('consultations', 'done', consultationArticles.length);
  return problems.length ? { ok: false, problems } : { ok: true, report };
}
