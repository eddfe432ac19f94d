// "In phiếu yêu cầu hội chẩn" (M6): the consultation request in the layout of guideline appendix 4A, made on
// the device (offline) with our PDF writer and the DejaVu Serif fonts shipped in static/fonts (cut down by
// `npm run fonts:subset` to the characters of app/lib/pdf/charset.ts, ≈ 40 KB each; a 4 KB DejaVu Sans gives the few
// symbols the serif lacks, ₫ ☐ ✓). Photos follow on their own pages. Characters no font has are returned, for the
// screen to name them.
import { PdfDocument } from '../pdf/writer';
import type { ConsultationRequest } from '@telehealth/domain';
import { A4, L, Writer, addFormFonts, dmy, hm, dateLine, margin, measured, type PdfFontFiles } from './pdf-layout';
import type { Photo } from './photos';

export { dateLine, dmy, hm, measured } from './pdf-layout';

export type RequestPdfInput = {
  request: Partial<ConsultationRequest>;
  /** Trạm y tế … (the requesting unit) and its parent (Trung tâm y tế …). */
  unitName: string;
  parentUnitName: string;
  upperUnitName: string;
  photos: Photo[];
  /** Vietnamese names of ICD-10 codes, for the secondary diagnoses. */
  icdName?: (code: string) => string | undefined;
};

export type RequestPdf = {
  bytes: Uint8Array;
  /** Characters of the request that no font of the PDF has (printed as an empty box), each once. */
  unprintable: string[];
};

/** `fonts`: the folder the app serves them from, or their bytes. */
export async function requestPdf(input: RequestPdfInput, fonts: string | PdfFontFiles = '/fonts'): Promise<RequestPdf> {
  const pdf = new PdfDocument();
  const { regular, bold } = await addFormFonts(pdf, fonts);
  const r = input.request;
  pdf.title = `${L('pdf4a.title')} — ${r.patientName ?? ''}`;
  pdf.creator = L('app.name');
  const w = new Writer(pdf, regular, bold);

  w.columns(
    [
      [input.parentUnitName.toUpperCase(), false],
      [input.unitName.toUpperCase(), true]
    ],
    [
      [L('pdf.nation'), true],
      [L('pdf.motto'), true]
    ]
  );
  w.text(L('pdf4a.title'), { bold: true, size: 13, center: true, gap: 4 });
  w.text(dateLine(r.sentAt ?? r.createdAt), { center: true, gap: 10 });

  w.field(L('pdf4a.fromUnit'), input.unitName);
  w.field(L('pdf4a.toUnit'), input.upperUnitName);
  w.field(L('pdf4a.doctor'), r.requestingDoctorName);
  w.field(L('pdf4a.proposedAt'), r.proposedAt ? `${dmy(r.proposedAt)} ${L('pdf.at')} ${hm(r.proposedAt)}` : undefined);
  w.text(L('pdf4a.patientInfo'), { bold: true, gap: 2 });
  w.field(L('pdf4a.patientName'), r.patientName);
  w.field(L('patient.dateOfBirth'), r.patientDateOfBirth ? dmy(r.patientDateOfBirth) : undefined);
  w.choices(L('patient.gender'), [
    [L('patient.male'), r.patientGender === 'male'],
    [L('patient.female'), r.patientGender === 'female']
  ]);
  w.field(L('pdf4a.recordNumber'), r.recordNumber);
  w.field(L('pdf4a.insurance'), r.insuranceNumber);
  w.field(L('pdf4a.diagnosisIcd'), r.diagnosisIcd);
  if (r.secondaryIcds?.length) w.field(L('pdf4a.secondaryIcds'), r.secondaryIcds.map((c) => (input.icdName?.(c) ? `${c} ${input.icdName(c)}` : c)).join('; '));
  w.field(L('pdf4a.admittedAt'), r.admittedAt ? `${dmy(r.admittedAt)} ${hm(r.admittedAt)}` : undefined);
  w.field(L('pdf4a.department'), r.department);
  w.field(L('pdf4a.progress'), r.progress);
  w.field(L('form.history'), r.history);
  w.text(L('pdf4a.condition'), { bold: true, gap: 2 });
  const v = measured;
  w.text(
    `${L('vital.heightCm')}: ${v(r.heightCm)} cm    ${L('vital.weightKg')}: ${v(r.weightKg)} kg    ${L('vital.pulse')}: ${v(r.pulse)} ${L('unit.perMinute')}`,
    { x: margin + 12 }
  );
  w.text(
    `${L('vital.temperatureC')}: ${v(r.temperatureC)} ${L('unit.celsius')}    ${L('pdf.bloodPressure')}: ${v(r.bpSystolic)}/${v(r.bpDiastolic)} (mm Hg)    ${L('vital.respiratoryRate')}: ${v(r.respiratoryRate)} ${L('unit.perMinute')}`,
    { x: margin + 12, gap: 4 }
  );
  w.field(L('form.symptoms'), r.symptoms);
  w.field(L('pdf4a.currentDiagnosis'), r.currentDiagnosis);
  w.field(L('pdf4a.careSummary'), r.careSummary);
  w.field(L('pdf4a.requestContent'), r.requestContent);
  if (input.photos.length) w.field(L('pdf4a.attachments'), L('pdf4a.attachmentsCount', { count: input.photos.length }));

  w.y -= 16;
  const half = (A4.width - 2 * margin) / 2;
  w.text(L('pdf4a.signature'), { bold: true, x: margin + half, width: half, center: true });
  w.text(L('pdf.signHint'), { x: margin + half, width: half, center: true, size: 9.5, gap: 36 });
  w.text(r.requestingDoctorName ?? '', { bold: true, x: margin + half, width: half, center: true });

  for (const [i, photo] of input.photos.entries()) await w.image(photo, L('pdf4a.photoCaption', { n: i + 1, name: photo.name }));
  const bytes = await pdf.save();
  return { bytes, unprintable: pdf.unprintable };
}
