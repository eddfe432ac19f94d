// "In phiếu" (M5): the teleconsultation form in the layout of guideline appendix 3 ("Phiếu tư vấn khám chữa bệnh từ
// xa"), made on the device (offline) with the project's PDF writer and the fonts the 4A uses (pdf-layout.ts). Its
// labels are the guideline's own words (the `pdf3.*` entries of the i18n catalog, Vietnamese whatever the screen's
// language); dates and times are Vietnam's, measured values take a decimal comma. Characters no font has are
// returned, for the screen to name them.
//
// Where each part comes from:
// - the heading (TRUNG TÂM Y TẾ / TRẠM Y TẾ, "Mã cơ sở y tế") from the unit directory, for the unit that wrote the
//   form (its `unitId`), read when printing: the form does not freeze the code, as it does not freeze the unit's name
//   (see ARCHITECTURE.md, "Printed forms");
// - "Thông tin hành chính" from the chart, with the booking's purpose and booker when the visit came from a booking;
// - "Phần hỏi bệnh/thông tin người bệnh tự khai" from the booking: the patient's ticks and own measurements, printed
//   in that part only (never as the station's "Tình trạng khi đến khám"). The app records no disease codes declared
//   by the patient, so "Mã bệnh chính" / "Mã bệnh kèm theo" there are left blank to be written by hand; the station's
//   ICD-10 codes are printed under "Mã chẩn đoán (ICD10)";
// - "Thông tin về cuộc hẹn" from the booking (its time) and the form (the follow-up, "Lần hẹn khám tiếp theo");
// - "Phần ghi chép/ Xử lý của TYT" from the form.
import { AppointmentPurpose, AppointmentStatus, Handling, symptomTicks, type Fields } from '@telehealth/domain';
import { PdfDocument } from '../pdf/writer';
import { L, Writer, addFormFonts, clock, dmy, margin, measured, type PdfFontFiles } from './pdf-layout';
import { formatDate, formatDateTime } from './dates';

export type FormPdfInput = {
  /** The teleconsultation form (a chart's `forms` entry). */
  form: Fields;
  /** The chart's demographics. */
  patient: Fields;
  /** The booking the visit came from, if any: purpose, booker, the patient's self-report, its time and status. */
  booking?: Fields;
  /** The unit that wrote the form (Trạm y tế …) and its parent (Trung tâm y tế …). */
  unitName: string;
  parentUnitName: string;
  /** Mã cơ sở y tế of the unit that wrote the form (the unit directory's `facilityCode`). */
  facilityCode?: string | null;
  /** Names of the chart's codes (province, old district, commune, ethnic group), looked up by the caller. */
  places?: { province?: string; district?: string; commune?: string; ethnicity?: string };
  /** Vietnamese names of ICD-10 codes. */
  icdName?: (code: string) => string | undefined;
};

export type FormPdf = {
  bytes: Uint8Array;
  /** Characters of the form that no font of the PDF has (printed as an empty box), each once. */
  unprintable: string[];
};

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
const number = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** One measurement as the form words it: "Mạch 88 lần/phút", "Nhiệt độ: 37,5 độ C", "Huyết áp 120/80 (mm Hg)"; blank lines when not measured. */
function vital(f: Fields, which: 'height' | 'weight' | 'pulse' | 'temperature' | 'bloodPressure' | 'respiratoryRate'): string {
  const v = (k: string) => measured(number(f[k]));
  switch (which) {
    case 'height':
      return `${L('pdf3.height')} ${v('heightCm')} cm`;
    case 'weight':
      return `${L('pdf3.weight')} ${v('weightKg')} kg`;
    case 'pulse':
      return `${L('pdf3.pulse')} ${v('pulse')} ${L('pdf3.perMinute')}`;
    case 'temperature':
      return `${L('pdf3.temperature')}: ${v('temperatureC')} ${L('pdf3.celsius')}`;
    case 'bloodPressure':
      return `${L('pdf3.bloodPressure')} ${v('bpSystolic')}/${v('bpDiastolic')} (mm Hg)`;
    case 'respiratoryRate':
      return `${L('pdf3.respiratoryRate')} ${v('respiratoryRate')} ${L('pdf3.perMinute')}`;
  }
}
const gap = '    ';

/** "J45 Hen phế quản", or the code alone when its name is not known. */
const withName = (code: string, icdName?: (code: string) => string | undefined) => {
  const name = icdName?.(code);
  return name ? `${code} ${name}` : code;
};

/** `fonts`: the folder the app serves them from, or their bytes. */
export async function formPdf(input: FormPdfInput, fonts: string | PdfFontFiles = '/fonts'): Promise<FormPdf> {
  const pdf = new PdfDocument();
  const { regular, bold } = await addFormFonts(pdf, fonts);
  const { form: f, patient: p, booking: b = {}, places = {} } = input;
  pdf.title = `${L('pdf3.title')} — ${text(p.fullName) ?? ''}`;
  pdf.creator = L('app.name');
  const w = new Writer(pdf, regular, bold);
  // A little smaller than the 4A's text, so that a usual form fits one page.
  w.size = 10;

  w.columns(
    [
      [input.parentUnitName.trim() ? input.parentUnitName.toUpperCase() : L('pdf3.centreBlank'), false],
      [input.unitName.trim() ? input.unitName.toUpperCase() : L('pdf3.stationBlank'), true]
    ],
    [
      [L('pdf.nation'), true],
      [L('pdf.motto'), true]
    ]
  );
  w.row([
    { label: L('pdf3.facilityCode'), value: input.facilityCode ?? undefined },
    { label: L('pdf3.recordNumber'), value: text(f.recordNumber) }
  ]);
  w.y -= 6;
  w.text(L('pdf3.title'), { bold: true, size: 13, center: true, gap: 6 });

  // ---- Thông tin hành chính
  w.heading(L('pdf3.administrative'));
  const ids = [text(p.insuranceNumber), text(p.personalId)].filter(Boolean).join(' / ');
  w.row([
    { label: L('pdf3.patientName'), value: text(p.fullName) },
    { label: L('pdf3.insurance'), value: ids }
  ]);
  w.row([{ label: L('pdf3.initialRegistration'), value: text(p.initialRegistrationPlace) }]);
  const purpose = text(b.purpose);
  w.row([{ label: L('pdf3.purpose'), ticks: Object.values(AppointmentPurpose).map((x) => [L(`pdf3.purpose.${x}`), purpose === x]) }]);
  w.row([
    { label: L('pdf3.booker'), value: text(b.bookerName) },
    { label: L('pdf3.bookerId'), value: text(b.bookerPersonalId) }
  ]);
  w.row([
    { label: L('pdf3.email'), value: text(p.email) ?? text(b.email) },
    { label: L('pdf3.phone'), value: text(p.phone) ?? text(b.patientPhone) }
  ]);
  w.row([
    {
      label: L('pdf3.gender'),
      ticks: [
        [L('pdf3.male'), p.gender === 'male'],
        [L('pdf3.female'), p.gender === 'female']
      ]
    },
    { label: L('pdf3.dateOfBirth'), value: text(p.dateOfBirth) ? formatDate(String(p.dateOfBirth)) : '____/______/______' }
  ]);
  w.row([
    { label: L('pdf3.occupation'), value: text(p.occupation) },
    { label: L('pdf3.ethnicity'), value: places.ethnicity }
  ]);
  w.text(`${L('pdf3.residence')}:`, { bold: true });
  w.row(
    [
      { label: L('pdf3.province'), value: places.province },
      { label: L('pdf3.district'), value: places.district },
      { label: L('pdf3.commune'), value: places.commune }
    ],
    { x: margin + 12 }
  );
  w.row([{ label: L('pdf3.address'), value: text(p.address) ?? text(b.homeAddress) }]);

  // ---- Phần hỏi bệnh/thông tin người bệnh tự khai
  w.heading(L('pdf3.selfReport'));
  w.row([{ label: L('pdf3.prescriptionPatientCode'), value: text(f.prescriptionPatientCode) }]);
  w.row([{ label: L('pdf3.mainDisease') }, { label: L('pdf3.secondaryDiseases') }]);
  const ticked = new Set(list(f.selfReportedSymptoms).length ? list(f.selfReportedSymptoms) : list(b.symptoms));
  const other = text(b.otherSymptom);
  w.row([
    {
      label: L('pdf3.health'),
      ticks: symptomTicks.map((s) => [s === 'other' && other ? `${L('pdf3.symptom.other')}: ${other}` : L(`pdf3.symptom.${s}`), ticked.has(s)])
    }
  ]);
  // The patient's own measurements, as the part lists them (never printed as the station's findings).
  w.row([{ value: [vital(b, 'height'), vital(b, 'weight'), vital(b, 'pulse')].join(gap) }], { x: margin + 12, gap: 0 });
  w.row([{ value: [vital(b, 'temperature'), vital(b, 'bloodPressure'), vital(b, 'respiratoryRate')].join(gap) }], { x: margin + 12 });
  w.text(L('pdf3.consentTitle'), { bold: true });
  w.text(L('pdf3.consentText'), { x: margin + 12 });
  w.row([{ ticks: [[L('pdf3.consentAgree'), f.consent === true || b.consent === true]] }], { x: margin + 12 });
  if (f.consentBy === 'guardian') {
    const who = [text(f.companionName), text(f.companionRelation)].filter(Boolean).join(', ');
    w.row([{ label: L('pdf3.consentByGuardian'), value: who }], { x: margin + 12 });
  }

  // ---- Thông tin về cuộc hẹn
  w.heading(L('pdf3.appointment'));
  const at = text(b.scheduledAt) ?? text(b.wishedAt);
  const next = text(f.nextAppointmentAt);
  w.row([
    { label: L('pdf3.appointmentDate'), value: at && formatDate(at) },
    { label: L('pdf3.appointmentTime'), value: clock(at) }
  ]);
  w.row([
    { label: L('pdf3.followUpDate'), value: next && formatDate(next) },
    { label: L('pdf3.followUpTime'), value: clock(next) }
  ]);
  w.row([{ label: L('pdf3.otherRequest'), value: text(b.otherRequest) }]);

  // ---- Phần ghi chép/ Xử lý của TYT
  w.heading(L('pdf3.stationPart'));
  w.row([{ label: L('pdf3.handlingDoctor'), value: text(f.handlingDoctorName) }]);
  const status = text(b.status);
  w.row([
    {
      ticks: [
        [L('pdf3.status.new'), status === AppointmentStatus.new],
        [L('pdf3.status.waiting'), status === AppointmentStatus.waiting],
        [L('pdf3.status.cancelled'), status === AppointmentStatus.cancelled],
        [L('pdf3.identityVerified'), f.identityVerified === true]
      ]
    }
  ]);
  w.row([{ label: L('pdf3.history'), value: text(f.history) }]);
  w.text(`${L('pdf3.onArrival')}:`, { bold: true });
  // The station's own measurements; height and weight follow when it measured them (the part lists the four signs).
  const onArrival = [vital(f, 'pulse'), vital(f, 'temperature'), vital(f, 'bloodPressure'), vital(f, 'respiratoryRate')];
  if (number(f.heightCm) !== undefined) onArrival.push(vital(f, 'height'));
  if (number(f.weightKg) !== undefined) onArrival.push(vital(f, 'weight'));
  w.row([{ value: onArrival.join(gap) }], { x: margin + 12 });
  w.row([{ label: L('pdf3.symptoms'), value: text(f.symptoms) }]);
  w.row([{ label: L('pdf3.diagnosis'), value: text(f.diagnosis) }]);
  w.text(`${L('pdf3.icd')}:`, { bold: true });
  const main = text(f.mainIcd);
  w.row([{ label: L('pdf3.icdMain'), value: main && withName(main, input.icdName) }], { x: margin + 12 });
  w.row([{ label: L('pdf3.icdSecondary'), value: list(f.secondaryIcds).map((c) => withName(c, input.icdName)).join('; ') }], { x: margin + 12 });
  const program = text(f.healthProgram);
  w.row([{ ticks: [[program ? `${L('pdf3.healthProgram')}: ${program}` : L('pdf3.healthProgram'), Boolean(program)]] }]);
  w.row([{ label: L('pdf3.treatment'), value: text(f.treatmentMethod) }]);
  w.row([{ label: L('pdf3.handling'), ticks: Object.values(Handling).map((h) => [L(`pdf3.handling.${h}`), f.handling === h]) }]);
  w.row([{ label: L('pdf3.advice'), value: text(f.advice) }]);
  w.row([{ ticks: [[L('pdf3.healthAdvice'), f.healthAdvice === true]] }], { x: margin + 12 });
  w.row([{ label: L('pdf3.nextAppointment'), value: `${L('pdf3.day')} ${next ? formatDate(next) : '…'}${gap}${L('pdf3.hour')}: ${clock(next) ?? '…'}` }]);
  const completedAt = text(f.completedAt);
  w.row([{ label: L('pdf3.completedAt'), value: completedAt ? formatDateTime(completedAt) : '…', ticks: [[L('pdf3.completed'), Boolean(completedAt)]] }]);

  const bytes = await pdf.save();
  return { bytes, unprintable: pdf.unprintable };
}

/** A file name for the form: "phieu-tu-van-<name without diacritics>-<dd-mm-yyyy>.pdf". */
export function formPdfFileName(form: Fields, patient: Fields): string {
  const name = (text(patient.fullName) ?? 'nguoi-benh').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
  const day = text(form.completedAt) ?? text(form.createdAt);
  return `phieu-tu-van-${`${name} ${day ? dmy(day) : ''}`.trim().replace(/[^A-Za-z0-9]+/g, '-')}.pdf`;
}
