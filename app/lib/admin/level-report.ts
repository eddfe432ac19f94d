// The telehealth level self-assessment as a unit report (unit-report.svelte.ts): its answers through the domain's
// parser, the product facts and connection points the server sends, and a first assessment addressed to the unit
// above, which is usually its governing body too.
import { emptyLevelAnswers, parseLevelAnswers, type LevelAnswers, type ProductFacts } from '@telehealth/domain';
import type { UnitReportSpec } from './unit-report.svelte';

export type LevelContext = { facts: ProductFacts; connectionPoints: number };

export const levelReport: UnitReportSpec<LevelAnswers, LevelContext> = {
  kind: 'level',
  signReason: 'unitReport.signReason',
  parse(v) {
    const r = parseLevelAnswers(v);
    return r.ok ? r.answers : undefined;
  },
  context(body) {
    const facts = body.facts as Record<string, unknown> | null;
    const points = body.connectionPoints;
    if (typeof facts !== 'object' || facts === null || typeof facts.sfu !== 'boolean' || typeof points !== 'number' || !Number.isInteger(points) || points < 0) return undefined;
    return { facts: { sfu: facts.sfu }, connectionPoints: points };
  },
  start: (saved, unit) => saved ?? { ...emptyLevelAnswers(), recipient: unit.parentName ?? '', governingBody: unit.parentName ?? '' }
};
