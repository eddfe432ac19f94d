// The yearly activity report (circular 49 appendix II) as a unit report (unit-report.svelte.ts): the report through
// the domain's parser, the year's figures and the unit's staff the server sends, and a report never saved prefilled
// from them: item 5 from the first activity on record, item 6 from the year's figures (in Vietnamese, as the report
// is), item 7 from the unit's staff accounts with their profiles, item 9's article 7 ticked when the unit sent or
// received consultation requests that year. The administrator edits all of it before saving.
import { emptyActivityReport, parseActivityReport, vietnamDate, type ActivityFigures, type ActivityParticipant, type ActivityReport } from '@telehealth/domain';
import { translate } from '../i18n/catalog';
import { formatDate } from '../records/dates';
import type { UnitReportSpec } from './unit-report.svelte';

export type ActivityContext = { figures: ActivityFigures | null; staff: ActivityParticipant[] };

const count = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** The figures as the server sends them, read by their shape. */
export function readFigures(v: unknown): ActivityFigures | null | undefined {
  if (v === null) return null;
  const f = v as Record<string, unknown> | undefined;
  const calls = f?.calls as Record<string, unknown> | undefined;
  if (typeof f !== 'object' || typeof calls !== 'object' || calls === null) return undefined;
  if (![f.formsCompleted, f.requestsSent, f.requestsReceived, f.appointmentsDone, calls.consultation, calls.briefing, calls.professional, calls.other].every(count)) return undefined;
  if (f.firstActivity !== null && (typeof f.firstActivity !== 'string' || !Number.isFinite(Date.parse(f.firstActivity)))) return undefined;
  return v as ActivityFigures;
}

/** Item 6 prefilled: what the records say the unit did that year, in the report's words. */
export function activityContent(f: ActivityFigures, year: number): string {
  const calls = f.calls.consultation + f.calls.briefing + f.calls.professional + f.calls.other;
  return translate('vi', 'activity.prefill', {
    year,
    forms: f.formsCompleted,
    sent: f.requestsSent,
    received: f.requestsReceived,
    appointments: f.appointmentsDone,
    calls,
    consultation: f.calls.consultation,
    briefing: f.calls.briefing,
    professional: f.calls.professional,
    other: f.calls.other
  });
}

export const activityReport: UnitReportSpec<ActivityReport, ActivityContext> = {
  kind: 'activity',
  signReason: 'unitReport.signReason',
  parse(v) {
    const r = parseActivityReport(v);
    return r.ok ? r.report : undefined;
  },
  context(body) {
    const figures = readFigures(body.figures);
    const staff = parseActivityReport({ participants: body.staff });
    if (figures === undefined || !staff.ok) return undefined;
    return { figures, staff: staff.report.participants };
  },
  start(saved, unit, ctx, year) {
    if (saved) return saved;
    const r = emptyActivityReport();
    r.governingBody = unit.parentName ?? '';
    r.participants = ctx.staff;
    if (ctx.figures) {
      r.content = activityContent(ctx.figures, year);
      if (ctx.figures.firstActivity) r.startedOn = formatDate(vietnamDate(ctx.figures.firstActivity));
      r.consultations[0]!.done = ctx.figures.requestsSent + ctx.figures.requestsReceived > 0;
    }
    return r;
  }
};
