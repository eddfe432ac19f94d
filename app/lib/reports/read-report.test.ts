import { describe, expect, it } from 'vitest';
import { computeReport } from '@telehealth/domain';
import { readReport } from './reports.svelte';

const report = computeReport(
  '5d',
  {
    units: [{ id: 'tyt-02701', provinceCode: '15', communeCode: '02701', oldDistrictCode: null }],
    patients: [],
    appointments: [],
    forms: [],
    calls: [{ id: 'c1', unitId: 'tyt-02701', direction: 'outgoing', purpose: 'briefing', channel: 'webrtc', startedAt: '2025-08-04T01:00:00.000Z', createdBy: 'w' }]
  },
  { from: '2025-08-01', to: '2025-08-31' }
);

describe('a report from the server', () => {
  it('is read by its shape: the table’s own columns and counts', () => {
    expect(readReport(JSON.parse(JSON.stringify({ ...report, position: 7 })))).toEqual(report);
  });

  it('is refused when a count is not a whole number, a count is missing, the table is unknown or its filter is not one', () => {
    const json = () => JSON.parse(JSON.stringify(report)) as { table: string; filter: Record<string, string>; rows: { counts: Record<string, unknown> }[] };
    const negative = json();
    negative.rows[0]!.counts.outBriefing = -1;
    const missing = json();
    delete missing.rows[0]!.counts.inOther;
    const table = json();
    table.table = '5e';
    const filter = json();
    filter.filter.to = '2025-07-01';
    for (const bad of [negative, missing, table, filter, null, 'text']) expect(readReport(bad)).toBeUndefined();
  });
});
