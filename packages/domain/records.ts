// The clinical records and their fields, as on the official forms: the teleconsultation form (guideline
// appendix 3), the consultation request (appendix 4A) and the consultation minutes (appendix 4 /
// circular 49 appendix I). Field names are English; the official Vietnamese labels live in the i18n catalog.
import type { Rung } from './calls';
import type { Schema } from './schema';

export const patterns = {
  /** Mã định danh cá nhân (CCCD): 12 digits. */
  personalId: /^\d{12}$/,
  /** Số BHYT: the 10-digit social insurance number, or the old 15-character card code (e.g. DN4010123456789). */
  insuranceNumber: /^(\d{10}|[A-Z]{2}\d{13})$/,
  phone: /^0\d{9}$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  provinceCode: /^\d{2}$/,
  communeCode: /^\d{5}$/,
  districtCode: /^\d{3}$/,
  ethnicityCode: /^\d{2}$/,
  icd10: /^[A-Z]\d{2}(\.[0-9A-Z]{1,2})?$/,
  /**
   * Mã cơ sở y tế (appendix 3's header): the facility's code in the BHYT list of health facilities, the MA_CSKCB of
   * the claims data (QĐ 130/QĐ-BYT as amended by QĐ 4750/QĐ-BYT: a string of 5 characters, e.g. 15122). Digits in
   * the codes issued so far; capitals are accepted so that a code the social-insurance agency issues is never refused.
   */
  facilityCode: /^[0-9A-Z]{5}$/,
  id: /^[A-Za-z0-9_.-]{1,64}$/
} as const;

export const Gender = { male: 'male', female: 'female' } as const;
export type Gender = (typeof Gender)[keyof typeof Gender];

/** Mục đích hẹn: khám tại TYT / khám tại nhà / đăng ký hộ. */
export const AppointmentPurpose = { station: 'station', home: 'home', onBehalf: 'on_behalf' } as const;
export type AppointmentPurpose = (typeof AppointmentPurpose)[keyof typeof AppointmentPurpose];

/** Yêu cầu mới / Chờ khám / Đã khám / Hủy. */
export const AppointmentStatus = { new: 'new', waiting: 'waiting', done: 'done', cancelled: 'cancelled' } as const;
export type AppointmentStatus = (typeof AppointmentStatus)[keyof typeof AppointmentStatus];

/** Phân loại hướng xử lý: chuyển tuyến trên / tư vấn KCB từ xa / điều trị tại nhà, TYT. */
export const Handling = { referUp: 'refer_up', teleconsultation: 'teleconsultation', homeOrStation: 'home_or_station' } as const;
export type Handling = (typeof Handling)[keyof typeof Handling];

/** The self-report ticks of appendix 3 ("Tình trạng sức khỏe"). */
export const symptomTicks = ['none', 'runny_nose', 'high_fever', 'chest_pain', 'dry_cough', 'abdominal_pain', 'other'] as const;

export const ReviewStatus = { received: 'received', scheduled: 'scheduled', answered: 'answered', declined: 'declined' } as const;
export type ReviewStatus = (typeof ReviewStatus)[keyof typeof ReviewStatus];

export const ParticipantRole = { chair: 'chair', secretary: 'secretary', member: 'member' } as const;
export type ParticipantRole = (typeof ParticipantRole)[keyof typeof ParticipantRole];

/** The two sides of a consultation (circular 49 appendix I, "Chúng tôi gồm"): bên xin hội chẩn / bên tư vấn. */
export const ParticipantSide = { requesting: 'requesting', consulting: 'consulting' } as const;
export type ParticipantSide = (typeof ParticipantSide)[keyof typeof ParticipantSide];

const text = <R extends boolean = false>(max: number, required?: R) => ({ type: 'text', max, required: (required ?? false) as R }) as const;
const id = <R extends boolean = true>(required?: R) => ({ type: 'text', max: 64, pattern: patterns.id, required: (required ?? true) as R }) as const;
const datetime = <R extends boolean = false>(required?: R) => ({ type: 'datetime', required: (required ?? false) as R }) as const;

/** Vital signs: bounds are what a human body can show, to catch typing errors; abnormal flags are separate. */
export const vitalsSchema = {
  heightCm: { type: 'number', min: 20, max: 250 },
  weightKg: { type: 'number', min: 0.3, max: 350 },
  pulse: { type: 'number', min: 20, max: 300, integer: true },
  temperatureC: { type: 'number', min: 30, max: 45 },
  bpSystolic: { type: 'number', min: 40, max: 300, integer: true },
  bpDiastolic: { type: 'number', min: 20, max: 200, integer: true },
  respiratoryRate: { type: 'number', min: 4, max: 100, integer: true }
} as const satisfies Schema;

const audit = {
  createdAt: datetime(true),
  createdBy: id(true),
  updatedAt: datetime(),
  /** The schema version the record was created in (packages/domain/migrations.ts); absent = 1. */
  schemaVersion: { type: 'number', min: 1, max: 10_000, integer: true }
} as const satisfies Schema;

/** Người bệnh (M3): demographics as on the teleconsultation form. */
export const patientSchema = {
  id: id(),
  unitId: id(),
  fullName: text(100, true),
  gender: { type: 'enum', values: Object.values(Gender), required: true },
  dateOfBirth: { type: 'date', required: true },
  occupation: text(100),
  ethnicityCode: { type: 'text', max: 2, pattern: patterns.ethnicityCode },
  personalId: { type: 'text', max: 12, pattern: patterns.personalId },
  insuranceNumber: { type: 'text', max: 15, pattern: patterns.insuranceNumber },
  phone: { type: 'text', max: 10, pattern: patterns.phone },
  email: { type: 'text', max: 120, pattern: patterns.email },
  provinceCode: { type: 'text', max: 2, pattern: patterns.provinceCode },
  communeCode: { type: 'text', max: 5, pattern: patterns.communeCode },
  /** Before the 2025 reform: the old district, kept so that reports over earlier dates can group by it. */
  oldDistrictCode: { type: 'text', max: 3, pattern: patterns.districtCode },
  address: text(200),
  /** Nơi đăng ký KCB ban đầu. */
  initialRegistrationPlace: text(200),
  guardianName: text(100),
  guardianRelation: text(50),
  guardianPhone: { type: 'text', max: 10, pattern: patterns.phone },
  guardianPersonalId: { type: 'text', max: 12, pattern: patterns.personalId },
  ...audit
} as const satisfies Schema;

/** Lịch hẹn (M4), booked by the patient or the station; the patient's self-report comes with it. */
export const appointmentSchema = {
  id: id(),
  patientId: id(),
  unitId: id(),
  purpose: { type: 'enum', values: Object.values(AppointmentPurpose), required: true },
  /** The person to be seen, as the booking states them (the station checks them against the chart). */
  patientName: text(100, true),
  patientGender: { type: 'enum', values: Object.values(Gender) },
  patientDateOfBirth: { type: 'date' },
  patientPhone: { type: 'text', max: 10, pattern: patterns.phone },
  /** Người đặt hẹn hộ, for a booking on behalf of someone. */
  bookerName: text(100),
  bookerPersonalId: { type: 'text', max: 12, pattern: patterns.personalId },
  bookerPhone: { type: 'text', max: 10, pattern: patterns.phone },
  /** Where to go, for a home visit (purpose "home": required, see `bookingProblems`). */
  homeAddress: text(200),
  email: { type: 'text', max: 120, pattern: patterns.email },
  wishedAt: datetime(true),
  symptoms: { type: 'list', max: symptomTicks.length, itemMax: 20, itemValues: symptomTicks },
  otherSymptom: text(500),
  ...vitalsSchema,
  consent: { type: 'boolean', required: true },
  otherRequest: text(500),
  status: { type: 'enum', values: Object.values(AppointmentStatus), required: true },
  scheduledAt: datetime(),
  /** The teleconsultation form this visit produced. */
  formId: id(false),
  /** For a booking on behalf of someone: the chart of the person actually seen (set by the station). */
  subjectPatientId: id(false),
  /** A new time proposed by the station; the patient accepts or declines it. */
  proposedAt: datetime(),
  proposalAnswer: { type: 'enum', values: ['accepted', 'declined'] },
  cancelReason: text(500),
  handledBy: id(false),
  ...audit
} as const satisfies Schema;

/** Phiếu tư vấn khám, chữa bệnh từ xa (appendix 3), the station's part. */
export const teleconsultationFormSchema = {
  id: id(),
  patientId: id(),
  unitId: id(),
  appointmentId: id(false),
  /** Mã hồ sơ. */
  recordNumber: text(30),
  /** Mã người bệnh ghi trên đơn thuốc. */
  prescriptionPatientCode: text(30),
  visitType: { type: 'enum', values: ['first', 'follow_up'] },
  /** The ticks the patient gave when booking (Tình trạng sức khỏe). */
  selfReportedSymptoms: { type: 'list', max: symptomTicks.length, itemMax: 20, itemValues: symptomTicks },
  emergencySigns: { type: 'list', max: 20, itemMax: 40 },
  triageOutcome: { type: 'enum', values: ['no_emergency', 'first_aid_and_refer', 'refer_now'] },
  /** Đã xác minh/cập nhật thông tin hành chính. */
  identityVerified: { type: 'boolean' },
  consent: { type: 'boolean' },
  consentBy: { type: 'enum', values: ['patient', 'guardian'] },
  companionName: text(100),
  companionRelation: text(50),
  /** The companion's CCCD (kept for forms written before `companionIdKind`). */
  companionPersonalId: { type: 'text', max: 12, pattern: patterns.personalId },
  /** The paper that establishes the companion's identity (CCCD, health-insurance card, other) and its number. */
  companionIdKind: { type: 'enum', values: ['personal_id', 'insurance_card', 'other'] },
  companionIdNumber: text(60),
  /** Họ tên bác sỹ tiếp nhận và xử lý. */
  handlingDoctorName: text(100),
  /** Tiền sử bệnh. */
  history: text(2000),
  ...vitalsSchema,
  /** Triệu chứng. */
  symptoms: text(2000),
  /** Chẩn đoán. */
  diagnosis: text(1000),
  mainIcd: { type: 'text', max: 8, pattern: patterns.icd10 },
  secondaryIcds: { type: 'list', max: 12, itemMax: 8, itemPattern: patterns.icd10 },
  /** Là đối tượng quản lý thuộc chương trình y tế. */
  healthProgram: text(200),
  /** Phương pháp điều trị. */
  treatmentMethod: text(2000),
  handling: { type: 'enum', values: Object.values(Handling) },
  /** Nội dung tư vấn, khuyến cáo cho người bệnh. */
  advice: text(4000),
  healthAdvice: { type: 'boolean' },
  nextAppointmentAt: datetime(),
  completedAt: datetime(),
  ...audit
} as const satisfies Schema;

/** The patient's case as both the consultation request (4A) and the minutes (4) state it. */
const caseSummarySchema = {
  /** Họ tên bệnh nhân / ngày sinh / giới tính. */
  patientName: text(100),
  patientDateOfBirth: { type: 'date' },
  patientGender: { type: 'enum', values: Object.values(Gender) },
  /** Mã số hồ sơ khám chữa bệnh / số thẻ BHYT / mã chẩn đoán. */
  recordNumber: text(30),
  insuranceNumber: { type: 'text', max: 15, pattern: patterns.insuranceNumber },
  diagnosisIcd: { type: 'text', max: 8, pattern: patterns.icd10 },
  /** Bệnh kèm theo (appendix 3's secondary ICD-10 codes), carried to the request and its PDF. */
  secondaryIcds: { type: 'list', max: 12, itemMax: 8, itemPattern: patterns.icd10 },
  /** Vào viện lúc / tại khoa. */
  admittedAt: datetime(),
  department: text(100),
  /** Diễn biến bệnh. */
  progress: text(4000),
  /** Tiền sử bệnh. */
  history: text(2000),
  /** Tình trạng khi đến TYT/khoa. */
  ...vitalsSchema,
  symptoms: text(2000),
  /** Chẩn đoán hiện tại. */
  currentDiagnosis: text(1000),
  /** Tóm tắt diễn biến, quá trình chăm sóc tại TYT/khoa. */
  careSummary: text(4000)
} as const satisfies Schema;

/** Phiếu yêu cầu hội chẩn, tư vấn khám chữa bệnh từ xa (appendix 4A). */
export const consultationRequestSchema = {
  id: id(),
  patientId: id(),
  /** Đơn vị yêu cầu. */
  fromUnitId: id(),
  toUnitId: id(),
  formId: id(false),
  /** Họ tên bác sỹ yêu cầu. */
  requestingDoctorName: text(100, true),
  /** Ngày, giờ đề nghị hội chẩn. */
  proposedAt: datetime(),
  ...caseSummarySchema,
  /** Yêu cầu hội chẩn/khám chuyên khoa tuyến trên. */
  requestContent: text(4000, true),
  attachmentIds: { type: 'list', max: 20, itemMax: 64, itemPattern: patterns.id },
  /** When the station sent it: drafts are not in the upper unit's queue. */
  sentAt: datetime(),
  /**
   * When the station withdrew it, after sending: the upper unit no longer reads the patient's chart through it (the
   * server takes the grant back), and the request changes no more.
   */
  withdrawnAt: datetime(),
  ...audit
} as const satisfies Schema;

/** The upper unit's answer to a consultation request: its review and the schedule of the consultation. */
export const consultationReviewSchema = {
  id: id(),
  requestId: id(),
  unitId: id(),
  reviewerName: text(100),
  status: { type: 'enum', values: Object.values(ReviewStatus), required: true },
  review: text(4000),
  scheduledAt: datetime(),
  ...audit
} as const satisfies Schema;

/** Biên bản hội chẩn, tư vấn khám chữa bệnh từ xa (appendix 4; circular 49 appendix I). */
export const consultationMinutesSchema = {
  id: id(),
  requestId: id(),
  patientId: id(),
  requestingUnitId: id(),
  requestingDoctorName: text(100),
  consultantDoctorName: text(100),
  consultantUnitId: id(false),
  heldAt: datetime(true),
  /** Số: …/BB-… (circular 49 appendix I). */
  number: text(30),
  /** Địa điểm tổ chức/cá nhân xin hội chẩn. */
  place: text(200),
  /** Tổ chức/Cá nhân đề xuất hội chẩn. */
  proposer: text(200),
  /** Lý do hội chẩn. */
  reason: text(2000),
  ...caseSummarySchema,
  /** Dân tộc / Nghề nghiệp / Địa chỉ (circular 49 appendix I, B.I). */
  patientEthnicity: text(60),
  patientOccupation: text(100),
  patientAddress: text(300),
  consent: { type: 'boolean' },
  /** Nội dung thảo luận: chẩn đoán, nguyên nhân, tiên lượng / phương pháp điều trị / chăm sóc. */
  diagnosisCausePrognosis: text(4000),
  treatment: text(4000),
  care: text(4000),
  /** Kết luận (chủ tọa kết luận). */
  conclusion: text(4000),
  prescription: text(4000),
  advice: text(4000),
  healthAdvice: { type: 'boolean' },
  nextAppointmentAt: datetime(),
  completedAt: datetime(),
  /** Phân loại chỉ định. */
  classification: { type: 'enum', values: [Handling.referUp, Handling.homeOrStation] },
  otherRecommendations: text(2000),
  /** A correction: the signed minutes this version replaces (signatures.ts, `versionId`). */
  replacesId: id(false),
  participants: {
    type: 'rows',
    max: 30,
    item: {
      name: text(100, true),
      role: { type: 'enum', values: Object.values(ParticipantRole), required: true },
      side: { type: 'enum', values: Object.values(ParticipantSide) },
      /** Chức vụ. */
      jobTitle: text(100),
      unit: text(200)
    }
  },
  ...audit
} as const satisfies Schema;

/**
 * The minutes' free-text fields that are co-edited live: each is a Y.Text root of the minutes document (layouts.ts),
 * so that two people typing in one field both keep their words, and never a plain value of the "minutes" map.
 */
export const minutesTextFields = [
  'reason',
  'progress',
  'history',
  'symptoms',
  'currentDiagnosis',
  'careSummary',
  'diagnosisCausePrognosis',
  'treatment',
  'care',
  'conclusion',
  'prescription',
  'advice',
  'otherRecommendations'
] as const satisfies readonly (keyof typeof consultationMinutesSchema)[];
export type MinutesTextField = (typeof minutesTextFields)[number];

/**
 * The purposes of a call as report 5D (Báo cáo thống kê cuộc gọi) counts them: tư vấn khám, chữa bệnh từ xa; họp
 * giao ban, họp định kỳ; sinh hoạt chuyên môn; mục đích khác.
 */
export const CallPurpose = { consultation: 'consultation', briefing: 'briefing', professional: 'professional', other: 'other' } as const;
export type CallPurpose = (typeof CallPurpose)[keyof typeof CallPurpose];

/** As the unit that logs the call sees it: it called (gọi đi) or was called (gọi đến). */
export const CallDirection = { outgoing: 'outgoing', incoming: 'incoming' } as const;
export type CallDirection = (typeof CallDirection)[keyof typeof CallDirection];

/** How the call was placed: in the app (WebRTC, through the ladder) or on the unit's phone line (a `tel:` link). */
export const CallChannel = { webrtc: 'webrtc', phone: 'phone' } as const;
export type CallChannel = (typeof CallChannel)[keyof typeof CallChannel];

/** The rungs of the call ladder, best first: HD video, low video, audio only, the phone line (calls.ts's `Rung`). */
export const callRungs = ['hd', 'low', 'audio', 'phone'] as const satisfies readonly Rung[];
export type CallRung = Rung;

/**
 * Nhật ký cuộc gọi (M8): one call as one unit logs it — who called whom, why, when, on which channel; the rungs it
 * used, and why, are the document's append-only `rungs` log. Linked to the patient and the consultation request
 * when there is one. Each side of a call logs its own (report 5D counts each unit's calls in and out).
 */
export const callLogSchema = {
  id: id(),
  /** The unit that logs it (the account's own). */
  unitId: id(),
  direction: { type: 'enum', values: Object.values(CallDirection), required: true },
  callerUnitId: id(),
  calleeUnitId: id(),
  purpose: { type: 'enum', values: Object.values(CallPurpose), required: true },
  channel: { type: 'enum', values: Object.values(CallChannel), required: true },
  requestId: id(false),
  patientId: id(false),
  startedAt: datetime(true),
  endedAt: datetime(),
  ...audit
} as const satisfies Schema;

/**
 * Loại đơn thuốc (circular 27/2021/TT-BYT; the national prescription system's code suffix): c ordinary (thông
 * thường), n narcotic (gây nghiện), h psychotropic (hướng thần), y traditional medicine (thuốc cổ truyền, dược liệu).
 */
export const PrescriptionType = { ordinary: 'c', narcotic: 'n', psychotropic: 'h', traditional: 'y' } as const;
export type PrescriptionType = (typeof PrescriptionType)[keyof typeof PrescriptionType];

/** One drug of a prescription (circular 27/2021 art. 6: name, strength, quantity, unit, how it is taken). */
export const prescriptionItemSchema = {
  /** Tên thuốc: the active ingredient and, in brackets, a trade name where the circular allows it. */
  drugName: text(200, true),
  /** The drug's code in the catalog it was picked from (the insurance drug list's where known). */
  drugCode: text(40),
  /** Hàm lượng / nồng độ. */
  strength: text(60),
  /** Dạng bào chế. */
  dosageForm: text(60),
  /** Đơn vị tính: viên, gói, ống, chai… */
  unit: text(30, true),
  /** Số lượng. */
  quantity: { type: 'number', min: 0.01, max: 100_000, required: true },
  /** Đường dùng: uống, tiêm, bôi… */
  route: text(60),
  /** Số ngày dùng. */
  days: { type: 'number', min: 1, max: 365, integer: true },
  /** Cách dùng: liều mỗi lần, số lần mỗi ngày, thời điểm. */
  usage: text(300, true)
} as const satisfies Schema;

/**
 * Đơn thuốc điện tử (M10; circular 27/2021/TT-BYT). Written by the station for a patient of its own chart, from a
 * teleconsultation form or the minutes; once issued (`issuedAt`) it never changes (layouts.ts, prescriptionRules); a
 * correction is a new prescription that names the old one in `replacesId`.
 */
export const prescriptionSchema = {
  id: id(),
  patientId: id(),
  unitId: id(),
  formId: id(false),
  minutesId: id(false),
  type: { type: 'enum', values: Object.values(PrescriptionType), required: true },
  /** Mã đơn thuốc (prescriptions.ts, the one place its format is kept): set when it is issued. */
  code: { type: 'text', max: 14, pattern: /^[0-9A-Z]{5}[0-9a-z]{7}-[cnhy]$/ },
  /** Chẩn đoán, and its ICD-10 codes. */
  diagnosis: text(1000),
  icds: { type: 'list', max: 12, itemMax: 8, itemPattern: patterns.icd10 },
  items: { type: 'rows', max: 30, item: prescriptionItemSchema },
  /** Lời dặn. */
  advice: text(2000),
  /** Hẹn tái khám. */
  followUpAt: datetime(),
  /** Người kê đơn (Y sĩ / Bác sĩ khám bệnh). */
  prescriberName: text(100),
  issuedAt: datetime(),
  /** The prescription this one corrects (it stays as it was issued). */
  replacesId: id(false),
  ...audit
} as const satisfies Schema;

type SpecValue<S> = S extends { type: 'number' }
  ? number
  : S extends { type: 'boolean' }
    ? boolean
    : S extends { type: 'list' }
      ? string[]
      : S extends { type: 'rows' }
        ? Record<string, string>[]
        : S extends { type: 'enum'; values: readonly (infer V)[] }
          ? V
          : string;
type Required<S extends Schema> = { [K in keyof S]: S[K] extends { required: true } ? K : never }[keyof S];
/** The record type a schema describes: required fields present, the others optional. */
export type RecordOf<S extends Schema> = { [K in Required<S>]: SpecValue<S[K]> } & { [K in Exclude<keyof S, Required<S>>]?: SpecValue<S[K]> };

export type Patient = RecordOf<typeof patientSchema>;
export type Appointment = RecordOf<typeof appointmentSchema>;
export type TeleconsultationForm = RecordOf<typeof teleconsultationFormSchema>;
export type ConsultationRequest = RecordOf<typeof consultationRequestSchema>;
export type ConsultationReview = RecordOf<typeof consultationReviewSchema>;
export type ConsultationMinutes = RecordOf<typeof consultationMinutesSchema>;
export type CallLog = RecordOf<typeof callLogSchema>;
export type Prescription = RecordOf<typeof prescriptionSchema>;
export type PrescriptionItem = RecordOf<typeof prescriptionItemSchema>;
