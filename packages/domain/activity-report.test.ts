import { describe, expect, it } from 'vitest';
import { emptyActivityReport, parseActivityReport } from './activity-report';

describe('the yearly activity report (circular 49, appendix II) from the network', () => {
  it('reads a whole report, trimmed, with its five requirements of article 4 and five articles 7–11', () => {
    const input = {
      number: ' 05/BC-TYT ',
      startedOn: '01/03/2026',
      content: 'Năm 2026: 12 phiếu tư vấn.\r\nGiao ban hằng tháng.',
      participants: [{ name: 'Lò Thị Hoa', jobTitle: 'Trưởng trạm', qualification: 'Y sĩ', practiceCertificate: '000321/LC-CCHN' }],
      itRequirements: [{ met: true, note: 'Máy tính, mạng, lưu điện' }, { met: true }, { met: false, note: '' }, { met: true }, { met: false }],
      consultations: [{ done: true, note: 'Hội chẩn với TTYT Bát Xát' }, { done: false }, { done: false }, { done: false }, { done: false }]
    };
    const r = parseActivityReport(input);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.report.number).toBe('05/BC-TYT');
    expect(r.report.content).toBe('Năm 2026: 12 phiếu tư vấn.\nGiao ban hằng tháng.');
    expect(r.report.itRequirements.map((x) => x.met)).toEqual([true, true, false, true, false]);
    expect(r.report.consultations[0]).toEqual({ done: true, note: 'Hội chẩn với TTYT Bát Xát' });
    expect(parseActivityReport({})).toEqual({ ok: true, report: emptyActivityReport() });
  });

  it('refuses unknown items, a participant without a name or with an unknown field, wrong list lengths and text out of bounds, naming each', () => {
    const r = parseActivityReport({
      level: 3,
      head: 'a\nb',
      content: 'x'.repeat(4001),
      participants: [{ jobTitle: 'Y sĩ' }, { name: 'A', role: 'x' }],
      itRequirements: [{ met: true }],
      consultations: [{ done: 'yes' }, {}, {}, {}, {}]
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.split(':')[0])).toEqual(['level', 'head', 'content', 'participants[0].name', 'participants[1].role', 'itRequirements', 'consultations[0]']);
    expect(parseActivityReport({ participants: new Array(201).fill({ name: 'A' }) }).ok).toBe(false);
    expect(parseActivityReport('report').ok).toBe(false);
    // Inherited names are not items either.
    expect(parseActivityReport(JSON.parse('{"constructor": {}, "__proto__": {}}'))).toMatchObject({ ok: false });
  });
});
