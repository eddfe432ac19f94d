// "In biên bản" (M7): the consultation minutes in the layout of circular 49/2017/TT-BYT appendix I ("Biên bản hội chẩn
// từ xa"), with the fields guideline appendix 4 adds (consent, prescription, advice, next appointment, completion,
// classification), made on the device (offline) with the project's PDF writer and the fonts of the 4A and appendix 3
// (pdf-layout.ts). Labels are the official words (the `pdfmin.*` entries of the i18n catalog, Vietnamese whatever the
// screen's language); dates and times are Vietnam's. Characters no font has are drawn as empty boxes, kept in the
// text layer, and returned for the screen to name: never a silent "?".
import { Handling, ParticipantRole, ParticipantSide, vietnamParts, type Fields } from '@telehealth/domain';
import { PdfDocument } from '../pdf/writer';
import { A4, L, Writer, addFormFonts, clock, dmy, hm, margin, measured, type PdfFontFiles } from './pdf-layout';
import { formatDate, formatDateTime } from './dates';

export type MinutesPdfInput = {
  /** The minutes as one record: plain fields and co-edited texts (`readRecord`). */
  minutes: Fields;
  /** The requesting unit (the station) and its parent, for the heading; the upper unit's name. */
  unitName: string;
  parentUnitName: string;
  consultantUnitName: string;
  /** Vietnamese names of ICD-10 codes. */
  icdName?: (code: string) => string | undefined;
};

export type MinutesPdf = { bytes: Uint8Array; unprintable: string[] };

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
const number = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
type Participant = { name?: string; role?: string; side?: string; jobTitle?: string; unit?: string };
const participantsOf = (v: unknown): Participant[] => (Array.isArray(v) ? v.filter((p): p is Participant => typeof p === 'object' && p !== null) : []);
/** "Nguyễn Văn A, Trưởng trạm (Trạm Y tế xã Y Tý)": a participant as "ghi rõ họ tên, chức vụ từng người" asks. */
const who = (p: Participant) => [p.name, p.jobTitle].filter(Boolean).join(', ') + (p.unit ? ` (${p.unit})` : '');
const pad = (n: number) => String(n).padStart(2, '0');

/** Whole years of age on `at` of someone born on `dateOfBirth` (yyyy-mm-dd). */
function ageOn(dateOfBirth: string | undefined, at: string | undefined): number | undefined {
  if (!dateOfBirth || !at) return undefined;
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const now = vietnamParts(at);
  const age = now.year - y - (now.month < m || (now.month === m && now.day < d) ? 1 : 0);
  return age >= 0 ? age : undefined;
}

/** `fonts`: the folder the app serves them from, or their bytes. */
export async function minutesPdf(input: MinutesPdfInput, fonts: string | PdfFontFiles = '/fonts'): Promise<MinutesPdf> {
  const pdf = new PdfDocument();
  const { regular, bold } = await addFormFonts(pdf, fonts);
  const m = input.minutes;
  pdf.title = `${L('pdfmin.title')} — ${text(m.patientName) ?? ''}`;
  pdf.creator = L('app.name');
  const w = new Writer(pdf, regular, bold);
  w.size = 10.5;
  const heldAt = text(m.heldAt);

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
  const held = heldAt ? vietnamParts(heldAt) : undefined;
  w.row([
    { value: L('pdfmin.number', { number: text(m.number) ?? '……', unit: '……' }) },
    {
      value: held
        ? L('pdfmin.placeDate', { place: text(m.place) ?? '……', day: pad(held.day), month: pad(held.month), year: held.year })
        : L('pdfmin.placeDate', { place: text(m.place) ?? '……', day: '…', month: '…', year: '……' })
    }
  ]);
  w.y -= 4;
  w.text(L('pdfmin.title'), { bold: true, size: 13, center: true, gap: 8 });

  // ---- A. Phần hành chính (appendix 4's units and doctors, then appendix I's items 1–7)
  w.heading(L('pdfmin.partA'));
  w.field(L('pdfmin.requestingUnit'), input.unitName);
  w.field(L('pdfmin.requestingDoctor'), text(m.requestingDoctorName));
  w.field(L('pdfmin.consultantDoctor'), text(m.consultantDoctorName));
  w.field(L('pdfmin.consultantUnit'), input.consultantUnitName);
  w.field(L('pdfmin.proposer'), text(m.proposer));
  w.field(L('pdfmin.reason'), text(m.reason));
  w.text(
    held
      ? L('pdfmin.heldAt', { day: pad(held.day), month: pad(held.month), year: held.year, hour: pad(held.hour), minute: pad(held.minute) })
      : L('pdfmin.heldAt', { day: '…', month: '…', year: '……', hour: '…', minute: '…' }),
    { gap: 2 }
  );
  const people = participantsOf(m.participants);
  w.text(L('pdfmin.members'), { bold: true, gap: 2 });
  const side = (s: string) => people.filter((p) => p.side === s).map(who).join('; ');
  w.row([{ label: L('pdfmin.requestingSide'), value: side(ParticipantSide.requesting) || '…' }], { x: margin + 12 });
  w.row([{ label: L('pdfmin.consultingSide'), value: side(ParticipantSide.consulting) || '…' }], { x: margin + 12 });
  const unsided = people.filter((p) => p.side === undefined).map(who).join('; ');
  if (unsided) w.row([{ value: unsided }], { x: margin + 12 });
  w.field(L('pdfmin.place'), text(m.place));
  const role = (r: string) => people.filter((p) => p.role === r).map((p) => p.name ?? '').filter(Boolean);
  w.field(L('pdfmin.chair'), role(ParticipantRole.chair).join('; '));
  w.field(L('pdfmin.secretary'), role(ParticipantRole.secretary).join('; '));

  // ---- B. Nội dung hội chẩn
  w.heading(L('pdfmin.partB'));
  w.text(L('pdfmin.patientInfo'), { bold: true, gap: 2 });
  const age = ageOn(text(m.patientDateOfBirth), heldAt);
  w.row([
    { label: L('pdf4a.patientName'), value: text(m.patientName) },
    { label: L('pdfmin.age'), value: age === undefined ? '…' : String(age) },
    {
      label: L('pdf3.gender'),
      ticks: [
        [L('pdf3.male'), m.patientGender === 'male'],
        [L('pdf3.female'), m.patientGender === 'female']
      ]
    }
  ]);
  w.row([
    { label: L('patient.dateOfBirth'), value: text(m.patientDateOfBirth) ? formatDate(String(m.patientDateOfBirth)) : '…' },
    { label: L('pdf3.ethnicity'), value: text(m.patientEthnicity) ?? '…' },
    { label: L('pdf3.occupation'), value: text(m.patientOccupation) ?? '…' }
  ]);
  w.row([{ label: L('pdfmin.address'), value: text(m.patientAddress) ?? '…' }]);
  w.row([
    { label: L('pdf4a.recordNumber'), value: text(m.recordNumber) ?? '…' },
    { label: L('pdf4a.insurance'), value: text(m.insuranceNumber) ?? '…' }
  ]);
  const icd = text(m.diagnosisIcd);
  const secondary = Array.isArray(m.secondaryIcds) ? (m.secondaryIcds as string[]) : [];
  const named = (c: string) => (input.icdName?.(c) ? `${c} ${input.icdName(c)}` : c);
  w.row([{ label: L('pdf4a.diagnosisIcd'), value: [icd && named(icd), ...secondary.map(named)].filter(Boolean).join('; ') || '…' }]);
  const admitted = text(m.admittedAt);
  w.row([
    { label: L('pdf4a.admittedAt'), value: admitted ? `${hm(admitted)} ${L('pdf3.day').toLowerCase()} ${dmy(admitted)}` : '…' },
    { label: L('pdf4a.department'), value: text(m.department) ?? '…' }
  ]);

  w.text(L('pdfmin.course'), { bold: true, gap: 2 });
  w.field(L('pdf4a.progress'), text(m.progress));
  w.field(L('pdfmin.history'), text(m.history));
  w.text(`${L('pdfmin.onAdmission')}:`, { bold: true, gap: 2 });
  const v = (k: string) => measured(number(m[k]));
  w.row([{ value: `${L('pdf3.height')} ${v('heightCm')} cm    ${L('pdf3.weight')} ${v('weightKg')} kg    ${L('pdf3.pulse')} ${v('pulse')} ${L('pdf3.perMinute')}` }], { x: margin + 12, gap: 0 });
  w.row([{ value: `${L('pdf3.temperature')}: ${v('temperatureC')} ${L('pdf3.celsius')}    ${L('pdf3.bloodPressure')} ${v('bpSystolic')}/${v('bpDiastolic')} (mm Hg)    ${L('pdf3.respiratoryRate')} ${v('respiratoryRate')} ${L('pdf3.perMinute')}` }], { x: margin + 12 });
  w.row([{ label: L('pdf3.symptoms'), value: text(m.symptoms) ?? '…' }], { x: margin + 12 });
  w.field(L('pdfmin.currentDiagnosis'), text(m.currentDiagnosis));
  w.field(L('pdfmin.careSummary'), text(m.careSummary));
  w.text(L('pdf3.consentTitle'), { bold: true });
  w.text(L('pdf3.consentText'), { x: margin + 12 });
  w.row([{ ticks: [[L('pdf3.consentAgree'), m.consent === true]] }], { x: margin + 12 });

  w.text(L('pdfmin.discussion'), { bold: true, gap: 2 });
  w.field(L('pdfmin.diagnosisCausePrognosis'), text(m.diagnosisCausePrognosis));
  w.field(L('pdfmin.treatment'), text(m.treatment));
  w.field(L('pdfmin.care'), text(m.care));
  w.text(L('pdfmin.conclusion'), { bold: true, gap: 2 });
  w.text(text(m.conclusion) ?? '…', { x: margin + 12, gap: 4 });
  w.field(L('pdfmin.prescription'), text(m.prescription));
  w.field(L('pdfmin.advice'), text(m.advice));
  w.row([{ ticks: [[L('pdf3.healthAdvice'), m.healthAdvice === true]] }], { x: margin + 12 });
  const next = text(m.nextAppointmentAt);
  w.row([{ label: L('pdf3.nextAppointment'), value: `${L('pdf3.day')} ${next ? formatDate(next) : '…'}    ${L('pdf3.hour')}: ${clock(next) ?? '…'}` }]);
  const completedAt = text(m.completedAt);
  w.row([{ label: L('pdf3.completedAt'), value: completedAt ? formatDateTime(completedAt) : '…', ticks: [[L('pdf3.completed'), Boolean(completedAt)]] }]);
  w.text(L('pdfmin.statistics'), { bold: true, gap: 2 });
  w.row([
    {
      label: L('pdfmin.classification'),
      ticks: [
        [L('pdf3.handling.refer_up'), m.classification === Handling.referUp],
        [L('pdf3.handling.home_or_station'), m.classification === Handling.homeOrStation]
      ]
    }
  ]);
  w.field(L('pdfmin.otherRecommendations'), text(m.otherRecommendations));

  // ---- Tham gia hội chẩn: the members, the secretary, the chair, each to sign above their name.
  w.y -= 10;
  w.text(`${L('pdfmin.participants')}:`, { bold: true, gap: 4 });
  const third = (A4.width - 2 * margin) / 3;
  const top = w.y;
  const column = (i: number, title: string, names: string[]) => {
    w.y = top;
    w.text(title, { bold: true, x: margin + i * third, width: third, center: true });
    w.text(L('pdf.signHint'), { x: margin + i * third, width: third, center: true, size: 9, gap: 34 });
    for (const name of names.length ? names : [L('pdfmin.nameBlank')]) w.text(name, { x: margin + i * third, width: third, center: true });
    return w.y;
  };
  const bottoms = [
    column(0, L('pdfmin.signMembers'), role(ParticipantRole.member)),
    column(1, L('pdfmin.signSecretary'), role(ParticipantRole.secretary)),
    column(2, L('pdfmin.signChair'), role(ParticipantRole.chair))
  ];
  w.y = Math.min(...bottoms);

  const bytes = await pdf.save();
  return { bytes, unprintable: pdf.unprintable };
}

/** A file name for the minutes: "bien-ban-hoi-chan-<patient without diacritics>-<dd-mm-yyyy>.pdf". */
export function minutesPdfFileName(minutes: Fields): string {
  const name = (text(minutes.patientName) ?? 'nguoi-benh').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
  const day = text(minutes.heldAt);
  return `bien-ban-hoi-chan-${`${name} ${day ? dmy(day) : ''}`.trim().replace(/[^A-Za-z0-9]+/g, '-')}.pdf`;
}
