// The code systems and identifier systems the FHIR resources use, in one place (docs/fhir.md lists them).
//
// Standard systems where one exists: LOINC and UCUM for the vital signs (the R4 vital-signs profiles), ICD-10,
// HL7 v2 table 0203 for identifier types. The ethnic groups are VN Core's (hl7vn/vn-core-ig: CodeSystem
// vn-core-race, the QĐ 121-TCTK codes, carried by its race extension). What no published system names (the
// Vietnamese identifiers' namespaces, the official forms' own enumerations) is under the product's base URL.

/** The product's namespace for what no published system names. */
export const base = 'https://telehealth-xa.vn/fhir';

export const system = {
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  consentScope: 'http://terminology.hl7.org/CodeSystem/consentscope',
  /** VN Core: Danh mục dân tộc (QĐ 121-TCTK), and the extension that carries it on a Patient. */
  vnRace: 'http://fhir.ehealth.gov.vn/core/CodeSystem/vn-core-race',
  vnRaceExtension: 'http://fhir.ehealth.gov.vn/core/StructureDefinition/extension-race',
  /** Số định danh cá nhân (CCCD), số BHYT, the chart's id in this product, a unit's mã cơ sở KCB. */
  personalId: `${base}/sid/cccd`,
  insuranceNumber: `${base}/sid/bhyt`,
  chartId: `${base}/sid/patient`,
  facilityCode: `${base}/sid/ma-cskcb`,
  recordNumber: `${base}/sid/ma-ho-so`,
  /** Mã đơn thuốc of the national prescription system (prescriptions.ts). */
  prescriptionCode: `${base}/sid/ma-don-thuoc`,
  minutesNumber: `${base}/sid/so-bien-ban`,
  /** The product's own code systems: a form's and the minutes' sections, a visit's handling, a booking's purpose. */
  section: `${base}/CodeSystem/section`,
  handling: `${base}/CodeSystem/huong-xu-ly`,
  appointmentPurpose: `${base}/CodeSystem/muc-dich-hen`,
  visitType: `${base}/CodeSystem/loai-kham`,
  /** Phân loại cấp cứu (appendix 3's triage outcome), on the Encounter's priority. */
  triage: `${base}/CodeSystem/phan-loai-cap-cuu`,
  /** Extensions: the visit's identity check (Đã xác minh thông tin hành chính), the companion who consented for the patient. */
  identityVerifiedExtension: `${base}/StructureDefinition/identity-verified`,
  companionExtension: `${base}/StructureDefinition/companion`,
  /** Extensions: the patient's occupation (nghề nghiệp), the guardian's CCCD (on the contact), a visit's emergency signs. */
  occupationExtension: `${base}/StructureDefinition/occupation`,
  guardianIdExtension: `${base}/StructureDefinition/guardian-cccd`,
  emergencySignsExtension: `${base}/StructureDefinition/emergency-sign`,
  /** Dấu hiệu cấp cứu: the form's emergency signs (their codes in the product). */
  emergencySign: `${base}/CodeSystem/dau-hieu-cap-cuu`,
  drug: `${base}/CodeSystem/thuoc`
} as const;

/** A vital sign of the forms as the R4 vital-signs profiles code it: LOINC code, UCUM unit. */
export type VitalCode = { field: 'pulse' | 'temperatureC' | 'respiratoryRate' | 'heightCm' | 'weightKg'; loinc: string; display: string; unit: string };

export const vitalCodes: readonly VitalCode[] = [
  { field: 'pulse', loinc: '8867-4', display: 'Heart rate', unit: '/min' },
  { field: 'temperatureC', loinc: '8310-5', display: 'Body temperature', unit: 'Cel' },
  { field: 'respiratoryRate', loinc: '9279-1', display: 'Respiratory rate', unit: '/min' },
  { field: 'heightCm', loinc: '8302-2', display: 'Body height', unit: 'cm' },
  { field: 'weightKg', loinc: '29463-7', display: 'Body weight', unit: 'kg' }
];

/** Blood pressure: the panel and its two components (R4 profile "bp"). */
export const bloodPressure = {
  panel: { loinc: '85354-9', display: 'Blood pressure panel with all children optional' },
  systolic: { loinc: '8480-6', display: 'Systolic blood pressure' },
  diastolic: { loinc: '8462-4', display: 'Diastolic blood pressure' },
  unit: 'mm[Hg]'
} as const;

/** The vital-signs profile's category code ("vital-signs") and LOINC's "Vital signs" panel code. */
export const vitalSignsCategory = { coding: [{ system: system.observationCategory, code: 'vital-signs', display: 'Vital Signs' }] };

/** LOINC document types: the station's visit (Phiếu tư vấn KCB từ xa) and the consultation's minutes (Biên bản hội chẩn). */
export const documentType = {
  form: { system: system.loinc, code: '34108-1', display: 'Outpatient Note' },
  minutes: { system: system.loinc, code: '11488-4', display: 'Consult note' }
} as const;

/** Consent: LOINC's "Patient Consent" category. */
export const consentCategory = { coding: [{ system: system.loinc, code: '59284-0', display: 'Patient Consent' }] };
