// @telehealth/domain: the domain model shared by the app and the sync server (no I/O, no framework).
export { Role, UnitKind, roles, unitKinds, isRole } from './roles';
export {
  ValidationCode,
  validateRecord,
  validatePatch,
  isCalendarDate,
  type FieldSpec,
  type Schema,
  type FieldError,
  type Validation
} from './schema';
export {
  patterns,
  Gender,
  AppointmentPurpose,
  AppointmentStatus,
  Handling,
  ReviewStatus,
  ParticipantRole,
  CallPurpose,
  CallDirection,
  CallChannel,
  callRungs,
  callLogSchema,
  symptomTicks,
  vitalsSchema,
  patientSchema,
  appointmentSchema,
  teleconsultationFormSchema,
  consultationRequestSchema,
  consultationReviewSchema,
  consultationMinutesSchema,
  minutesTextFields,
  ParticipantSide,
  PrescriptionType,
  prescriptionSchema,
  prescriptionItemSchema,
  type Prescription,
  type PrescriptionItem,
  type MinutesTextField,
  type RecordOf,
  type Patient,
  type Appointment,
  type TeleconsultationForm,
  type ConsultationRequest,
  type ConsultationReview,
  type ConsultationMinutes,
  type CallLog,
  type CallRung
} from './records';
export {
  DocKind,
  docKinds,
  docId,
  parseDocId,
  isDocMeta,
  writeFields,
  readFields,
  mainRecord,
  chartForms,
  chartReminders,
  writeReminder,
  writeForm,
  readForms,
  type DocMeta,
  type Fields
} from './documents';
export { foldVietnamese, withoutDiacritics, hasControlCharacter, hasLineBreak, isOneLine } from './text';
export { spliceOf, applySplice, setText, movePosition, type Splice, type TextDelta } from './text-edit';
export { PasswordProblem, passwordProblem, passwordMinLength } from './passwords';
export { seededRandom } from './random';
export * from './clinical';
export { vietnamTimeZone, vietnamParts, vietnamDate, toVietnamLocal, fromVietnamLocal, addMonths } from './time';
export {
  allowedActions,
  applyAction,
  actOnAppointment,
  appointmentEvents,
  appointmentState,
  checkPatientChange,
  bookingProblems,
  type AppointmentAction,
  type AppointmentEvent,
  type AppointmentState,
  type ActionResult
} from './appointments';
export { recordSchemas, reapplyLocal } from './rebase';
export { scheduleProblem, reviewScheduleProblem, scheduleGraceMs, type ScheduleProblem } from './schedule';
export { docLayouts, layoutProblems, textProblem, textRoots, readRecord, canonicalRecord, canonicalJson, layoutOf, checkEvent, checkRung, callRules, callBounds, checkPhoto, jpegSize, photoBounds, type DocLayout, type RootLayout, type DocChange } from './layouts';
export { SCHEMA_VERSION, migrations, upgradeRecord, versionOf, type Migration, type RecordKind } from './migrations';
export {
  ReportTable,
  reportTables,
  reformDate,
  reportFilters,
  reportColumns,
  maxReportDays,
  parseReportFilter,
  reportAppointment,
  computeReport,
  type ReportFilter,
  type ReportFilterKey,
  type ReportFilterProblem,
  type ReportUnit,
  type ReportPatient,
  type ReportHandling,
  type ReportAppointment,
  type ReportForm,
  type ReportCall,
  type ReportAccount,
  type ReportInput,
  type ReportColumn,
  type ReportRow,
  type Report
} from './reports';
export {
  prescriptionCodeAlphabet,
  prescriptionCodeRandomLength,
  prescriptionCodePattern,
  formatPrescriptionCode,
  parsePrescriptionCode,
  newPrescriptionCode,
  issueProblems,
  prescriptionRules,
  repeatItems,
  lastIssued,
  type PrescriptionCode,
  type NationalRxRow,
  type NationalRxState,
  type CodeProblem
} from './prescriptions';
export {
  levelGroups,
  levelCriteria,
  unitCriteria,
  productMeets,
  emptyLevelAnswers,
  telehealthForms,
  parseLevelAnswers,
  assessLevel,
  type LevelGroup,
  type Criterion,
  type CriterionSource,
  type CriterionResult,
  type ProductFacts,
  type LevelAnswers,
  type LevelResult
} from './telehealth-level';
export {
  itRequirements,
  consultationArticles,
  activityBounds,
  emptyActivityReport,
  parseActivityReport,
  type ActivityReport,
  type ActivityParticipant,
  type ActivityFigures
} from './activity-report';
export { signedKinds, SignatureRole, signingRoles, signingProblem, maxSignatures, maxSignedPdfBytes, signatureEntrySchema, checkSignatureEntry, sameSignature, signaturesOf, versionId, recordVersion, type SignedKind, type SignatureEntry } from './signatures';
export { parseCalendar, daySlots, freeSlots, isCalendarSlot, slotLabel, weekdayOf, addDays, emptyCalendar, calendarBounds, type ConsultationCalendar, type WeeklyHours } from './calendar';
export {
  ReminderKind,
  reminderBounds,
  reminderSchema,
  timesPerDay,
  visitReminders,
  medicationReminders,
  readReminders,
  remindersToShow,
  smsText,
  type Reminder,
  type Suggestion
} from './reminders';
export {
  externalTypes,
  externalBounds,
  externalKey,
  parseExternal,
  checkExternal,
  chartExternal,
  readExternal,
  writeExternal,
  type ExternalType,
  type ExternalEntry,
  type ExternalRecord
} from './external';
