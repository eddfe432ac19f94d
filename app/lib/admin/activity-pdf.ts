// "Báo cáo về việc thực hiện hoạt động y tế từ xa": the yearly report of circular 49/2017/TT-BYT appendix II, from a
// unit's activity report (packages/domain/activity-report.ts) and the unit directory, made on the device with the
// project's PDF writer and the fonts of the other forms. The official words are the i18n catalog's `pdfact.*` and
// `activity.*` entries (Vietnamese whatever the screen's language). Characters no font has are drawn as empty boxes
// and returned for the screen to name.
import { consultationArticles, itRequirements, type ActivityReport } from '@telehealth/domain';
import type { MessageKey } from '../i18n/catalog';
import { PdfDocument } from '../pdf/writer';
import { L, Writer, addFormFonts, asciiFileName, box, margin, reportFooter, reportHeading, type PdfFontFiles } from '../records/pdf-layout';
import type { ReportUnit } from './unit-report.svelte';

const or = (v: string | null | undefined, blank = '……') => (v && v.trim() ? v.trim() : blank);

export async function activityPdf(input: { unit: ReportUnit; report: ActivityReport; at: string | number }, fonts: string | PdfFontFiles = '/fonts'): Promise<{ bytes: Uint8Array; unprintable: string[] }> {
  const pdf = new PdfDocument();
  const { regular, bold } = await addFormFonts(pdf, fonts);
  const { unit, report: r } = input;
  pdf.title = `${L('pdfact.title')} — ${unit.name}`;
  pdf.creator = L('app.name');
  const w = new Writer(pdf, regular, bold);
  w.size = 11;

  reportHeading(w, { governingBody: r.governingBody, unitName: unit.name, number: r.number, place: r.place, at: input.at, title: L('pdfact.title') });

  w.field(L('pdfact.item1'), unit.name);
  w.field(L('pdfact.item2'), or(unit.licence));
  w.field(L('pdfact.item3'), or(unit.address));
  w.field(L('pdfact.item4'), or(unit.phone));
  w.field(L('pdfact.item5'), or(r.startedOn));
  w.text(`${L('pdfact.item6')}:`, { bold: true, gap: 2 });
  w.text(or(r.content), { x: margin + 12, gap: 4 });
  w.text(`${L('pdfact.item7')}:`, { bold: true, gap: 2 });
  if (r.participants.length === 0) w.text('……', { x: margin + 12, gap: 4 });
  r.participants.forEach((p, i) => {
    const cert = p.practiceCertificate ? L('pdfact.certificate', { number: p.practiceCertificate }) : '';
    w.text(`${i + 1}. ${[p.name, p.jobTitle, p.qualification, cert].filter(Boolean).join(' – ')}`, { x: margin + 12, gap: 1 });
  });
  w.y -= 3;
  w.text(`${L('pdfact.item8')}:`, { bold: true, gap: 2 });
  itRequirements.forEach((n, i) => {
    const item = r.itRequirements[i]!;
    w.text(`${box(item.met)} ${L(`activity.it.${n}` as MessageKey)}${item.note ? `: ${item.note}` : ''}`, { x: margin + 12, gap: 1 });
  });
  w.y -= 3;
  w.text(`${L('pdfact.item9')}:`, { bold: true, gap: 2 });
  consultationArticles.forEach((n, i) => {
    const item = r.consultations[i]!;
    w.text(`${box(item.done)} ${L('pdfact.article', { n })} ${L(`activity.article.${n}` as MessageKey)}${item.note ? `: ${item.note}` : ''}`, { x: margin + 12, gap: 1 });
  });
  w.y -= 12;

  reportFooter(w, { recipients: [L('pdfact.recipients1'), L('pdfact.recipients2'), L('pdfact.recipients3')], signTitle: L('pdfact.signTitle'), signer: or(r.head, '') });
  return { bytes: await pdf.save(), unprintable: pdf.unprintable };
}

/** "bao-cao-y-te-tu-xa-<unit without diacritics>-<year>.pdf". */
export const activityPdfFileName = (unitName: string, year: number) => `bao-cao-y-te-tu-xa-${asciiFileName(unitName)}-${year}.pdf`;
