// The records as FHIR R4 resources (M13): one pure function per record, and one for a patient's whole chart.
//
// Patient ← the chart's patient; Encounter, Observation (vital signs), Condition (ICD-10), Consent and a Composition
// of its texts ← each teleconsultation form (appendix 3); Appointment ← a booking; ServiceRequest ← a consultation
// request (4A) and its review; Composition and DocumentReference (the signed PDF) ← the minutes (appendix 4);
// MedicationRequest ← each drug of a prescription, grouped by the prescription's code; Organization ← the units
// named. docs/fhir.md gives the table, field by field, and what is not carried.
import type { Fields } from '@telehealth/domain';
import { bloodPressure, consentCategory, documentType, system, vitalCodes, vitalSignsCategory } from './codes';
import { compact, ref, type Resource } from './resources';

export type UnitInfo = { id: string; name: string; facilityCode?: string; phone?: string; address?: string };

export type ExportContext = {
  /** The Vietnamese name of an ICD-10 code (the product's catalog), for the coding's display. */
  icdName?: (code: string) => string | undefined;
  /** The name of an ethnic group code (QĐ 121-TCTK). */
  ethnicName?: (code: string) => string | undefined;
  /** Where a signed record's PDF is read (the signatures API), when the record is signed. */
  signedPdfUrl?: (kind: 'minutes' | 'prescription', id: string) => string | undefined;
};

/** A patient's chart as the server reads it from its documents (plain records). */
export type ChartRecords = {
  patient: Fields;
  forms: readonly Fields[];
  appointments: readonly Fields[];
  requests: readonly Fields[];
  /** The upper unit's reviews, by request id (a review's id is its request's). */
  reviews: readonly Fields[];
  minutes: readonly Fields[];
  prescriptions: readonly Fields[];
  /** Records the chart keeps from another system (domain's external.ts), exported again as they came. */
  external?: readonly Resource[];
};

const s = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const n = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The free-text sections of a form and of the minutes: field, LOINC-free section code (the field) and the form's label. */
export const formSections = [
  ['history', 'Tiền sử bệnh'],
  ['symptoms', 'Triệu chứng'],
  ['diagnosis', 'Chẩn đoán'],
  ['healthProgram', 'Là đối tượng quản lý thuộc chương trình y tế'],
  ['treatmentMethod', 'Phương pháp điều trị'],
  ['advice', 'Nội dung tư vấn, khuyến cáo cho người bệnh']
] as const;

export const minutesSections = [
  ['reason', 'Lý do hội chẩn'],
  ['progress', 'Diễn biến bệnh'],
  ['history', 'Tiền sử bệnh'],
  ['symptoms', 'Tình trạng khi đến'],
  ['currentDiagnosis', 'Chẩn đoán hiện tại'],
  ['careSummary', 'Tóm tắt diễn biến, quá trình chăm sóc'],
  ['diagnosisCausePrognosis', 'Chẩn đoán, nguyên nhân, tiên lượng'],
  ['treatment', 'Phương pháp điều trị'],
  ['care', 'Chăm sóc'],
  ['conclusion', 'Kết luận'],
  ['prescription', 'Đơn thuốc'],
  ['advice', 'Lời dặn'],
  ['otherRecommendations', 'Các khuyến nghị khác']
] as const;

const icdCoding = (code: string, ctx: ExportContext) => ({ system: system.icd10, code, display: ctx.icdName?.(code) });

export function organizationResource(unit: UnitInfo): Resource {
  return compact({
    resourceType: 'Organization',
    id: unit.id,
    identifier: [unit.facilityCode ? { system: system.facilityCode, value: unit.facilityCode } : undefined],
    active: true,
    name: unit.name,
    telecom: [unit.phone ? { system: 'phone', value: unit.phone } : undefined],
    address: [unit.address ? { text: unit.address } : undefined]
  });
}

/** Vietnamese names: the family name first, the given name last ("Nguyễn Văn An": family Nguyễn, given Văn, An). */
function humanName(full: string) {
  const parts = full.trim().split(/\s+/);
  return { use: 'official', text: full, family: parts.length > 1 ? parts[0] : undefined, given: parts.length > 1 ? parts.slice(1) : [parts[0]] };
}

export function patientResource(p: Fields, ctx: ExportContext = {}): Resource {
  const id = String(p.id);
  const identifier = (typeCode: string, typeText: string, sys: string, value: string | undefined) =>
    value ? { use: 'official', type: { coding: [{ system: system.identifierType, code: typeCode }], text: typeText }, system: sys, value } : undefined;
  const ethnicity = s(p.ethnicityCode);
  return compact({
    resourceType: 'Patient',
    id,
    extension: [
      ethnicity ? { url: system.vnRaceExtension, valueCodeableConcept: { coding: [{ system: system.vnRace, code: ethnicity, display: ctx.ethnicName?.(ethnicity) }] } } : undefined,
      s(p.occupation) ? { url: system.occupationExtension, valueString: p.occupation } : undefined
    ],
    identifier: [
      identifier('NI', 'Số định danh cá nhân (CCCD)', system.personalId, s(p.personalId)),
      identifier('SB', 'Số thẻ bảo hiểm y tế', system.insuranceNumber, s(p.insuranceNumber)),
      identifier('MR', 'Mã người bệnh', system.chartId, id)
    ],
    active: true,
    name: [s(p.fullName) ? humanName(s(p.fullName)!) : undefined],
    telecom: [s(p.phone) ? { system: 'phone', value: p.phone, use: 'mobile' } : undefined, s(p.email) ? { system: 'email', value: p.email } : undefined],
    gender: s(p.gender),
    birthDate: s(p.dateOfBirth),
    // The two levels of the 2025 reform: province and commune codes; the old district kept for earlier dates.
    address: [
      s(p.address) || s(p.communeCode) || s(p.provinceCode)
        ? { use: 'home', text: s(p.address), city: s(p.communeCode), district: s(p.oldDistrictCode), state: s(p.provinceCode), country: 'VN' }
        : undefined
    ],
    contact: [
      s(p.guardianName) || s(p.guardianPersonalId)
        ? {
            extension: [s(p.guardianPersonalId) ? { url: system.guardianIdExtension, valueIdentifier: { system: system.personalId, value: p.guardianPersonalId } } : undefined],
            relationship: [{ text: s(p.guardianRelation) }],
            name: { text: s(p.guardianName) },
            telecom: [s(p.guardianPhone) ? { system: 'phone', value: p.guardianPhone } : undefined]
          }
        : undefined
    ],
    generalPractitioner: [s(p.initialRegistrationPlace) ? { display: p.initialRegistrationPlace } : undefined],
    managingOrganization: ref('Organization', s(p.unitId))
  });
}

/** The resources of one teleconsultation form: the visit, its vital signs, diagnoses, consent and texts. */
export function formResources(f: Fields, patientId: string, ctx: ExportContext = {}): Resource[] {
  const id = String(f.id);
  const subject = ref('Patient', patientId);
  const encounter = ref('Encounter', id);
  const at = s(f.completedAt) ?? s(f.createdAt);
  const out: Resource[] = [];

  const icds = [s(f.mainIcd), ...list(f.secondaryIcds)].filter((c): c is string => !!c);
  const conditions = icds.map((code, i) =>
    compact({
      resourceType: 'Condition',
      id: `${id}-dx${i}`,
      clinicalStatus: { coding: [{ system: system.conditionClinical, code: 'active' }] },
      verificationStatus: { coding: [{ system: system.conditionVerification, code: i === 0 && s(f.mainIcd) ? 'confirmed' : 'provisional' }] },
      category: [{ coding: [{ system: system.conditionCategory, code: 'encounter-diagnosis' }] }],
      code: { coding: [icdCoding(code, ctx)], text: i === 0 ? s(f.diagnosis) : undefined },
      subject,
      encounter,
      recordedDate: s(f.createdAt)
    })
  );

  out.push(
    compact({
      resourceType: 'Encounter',
      id,
      extension: [
        typeof f.identityVerified === 'boolean' ? { url: system.identityVerifiedExtension, valueBoolean: f.identityVerified } : undefined,
        ...list(f.emergencySigns).map((code) => ({ url: system.emergencySignsExtension, valueCoding: { system: system.emergencySign, code } }))
      ],
      identifier: [s(f.recordNumber) ? { system: system.recordNumber, value: f.recordNumber } : undefined],
      status: s(f.completedAt) ? 'finished' : 'in-progress',
      class: { system: system.actCode, code: 'AMB', display: 'ambulatory' },
      type: [s(f.visitType) ? { coding: [{ system: system.visitType, code: f.visitType }] } : undefined],
      priority: s(f.triageOutcome) ? { coding: [{ system: system.triage, code: f.triageOutcome }] } : undefined,
      subject,
      participant: [s(f.handlingDoctorName) ? { individual: { display: f.handlingDoctorName } } : undefined],
      appointment: [ref('Appointment', s(f.appointmentId))],
      period: { start: s(f.createdAt), end: s(f.completedAt) },
      diagnosis: conditions.map((c, i) => ({ condition: ref('Condition', c.id), rank: i + 1 })),
      hospitalization: s(f.handling) ? { dischargeDisposition: { coding: [{ system: system.handling, code: f.handling }] } } : undefined,
      serviceProvider: ref('Organization', s(f.unitId))
    })
  );

  const observation = (suffix: string, code: { loinc: string; display: string }, rest: Record<string, unknown>) =>
    compact({
      resourceType: 'Observation',
      id: `${id}-${suffix}`,
      status: 'final',
      category: [vitalSignsCategory],
      code: { coding: [{ system: system.loinc, code: code.loinc, display: code.display }], text: code.display },
      subject,
      encounter,
      effectiveDateTime: s(f.createdAt),
      ...rest
    });
  const quantity = (value: number, unit: string) => ({ value, unit, system: system.ucum, code: unit });
  for (const v of vitalCodes) {
    const value = n(f[v.field]);
    if (value !== undefined) out.push(observation(v.loinc, v, { valueQuantity: quantity(value, v.unit) }));
  }
  const sys = n(f.bpSystolic);
  const dia = n(f.bpDiastolic);
  if (sys !== undefined || dia !== undefined) {
    const component = (c: { loinc: string; display: string }, value: number | undefined) =>
      value === undefined ? undefined : { code: { coding: [{ system: system.loinc, code: c.loinc, display: c.display }] }, valueQuantity: quantity(value, bloodPressure.unit) };
    out.push(observation(bloodPressure.panel.loinc, bloodPressure.panel, { component: [component(bloodPressure.systolic, sys), component(bloodPressure.diastolic, dia)] }));
  }
  out.push(...conditions);

  if (typeof f.consent === 'boolean') {
    out.push(
      compact({
        resourceType: 'Consent',
        id: `${id}-consent`,
        extension: [
          s(f.companionRelation) || s(f.companionIdKind) || s(f.companionIdNumber) || s(f.companionPersonalId)
            ? {
                url: system.companionExtension,
                extension: [
                  s(f.companionRelation) ? { url: 'relation', valueString: f.companionRelation } : undefined,
                  s(f.companionIdKind) ? { url: 'idKind', valueCode: f.companionIdKind } : undefined,
                  s(f.companionIdNumber) ? { url: 'idNumber', valueString: f.companionIdNumber } : undefined,
                  s(f.companionPersonalId) ? { url: 'personalId', valueString: f.companionPersonalId } : undefined
                ]
              }
            : undefined
        ],
        status: 'active',
        scope: { coding: [{ system: system.consentScope, code: 'treatment' }] },
        category: [consentCategory],
        patient: subject,
        dateTime: s(f.createdAt),
        performer: [f.consentBy === 'guardian' && s(f.companionName) ? { display: f.companionName } : subject],
        organization: [ref('Organization', s(f.unitId))],
        // What was consented to, as the form words it (consent-1 wants a policy or a rule).
        policyRule: { text: 'Đồng ý khám, chữa bệnh từ xa' },
        provision: { type: f.consent ? 'permit' : 'deny' }
      })
    );
  }

  const sections = formSections.filter(([field]) => s(f[field]));
  if (sections.length) out.push(composition(`${id}-note`, documentType.form, 'Phiếu tư vấn khám, chữa bệnh từ xa', f, sections, { subject, encounter, date: at, author: s(f.unitId), final: !!s(f.completedAt) }));
  return out;
}

function composition(
  id: string,
  type: { system: string; code: string; display: string },
  title: string,
  fields: Fields,
  sections: readonly (readonly [string, string])[],
  o: { subject: unknown; encounter?: unknown; date?: string; author?: string; final: boolean; identifier?: unknown; attester?: unknown[] }
): Resource {
  return compact({
    resourceType: 'Composition',
    id,
    identifier: o.identifier,
    status: o.final ? 'final' : 'preliminary',
    type: { coding: [type] },
    subject: o.subject,
    encounter: o.encounter,
    date: o.date,
    author: [ref('Organization', o.author) ?? { display: title }],
    title,
    attester: o.attester,
    section: sections.map(([field, label]) => ({
      title: label,
      code: { coding: [{ system: system.section, code: field }] },
      text: { status: 'generated', div: xhtml(String(fields[field])) }
    }))
  });
}

/** A narrative div holding a plain text (escaped; line breaks kept). */
export function xhtml(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, '<br/>');
  return `<div xmlns="http://www.w3.org/1999/xhtml">${escaped}</div>`;
}

/** The text a narrative div holds (the inverse of `xhtml`). */
export function plainText(div: unknown): string | undefined {
  if (typeof div !== 'string') return undefined;
  const inner = div.replace(/^<div[^>]*>/, '').replace(/<\/div>$/, '');
  return inner
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The texts of a request's case summary (appendix 4A), with the form's labels. */
export const requestSummary = [
  ['progress', 'Diễn biến bệnh'],
  ['history', 'Tiền sử bệnh'],
  ['symptoms', 'Tình trạng khi đến'],
  ['currentDiagnosis', 'Chẩn đoán hiện tại'],
  ['careSummary', 'Tóm tắt diễn biến, quá trình chăm sóc']
] as const;

const appointmentStatus: Record<string, string> = { new: 'proposed', waiting: 'booked', done: 'fulfilled', cancelled: 'cancelled' };

export function appointmentResource(a: Fields): Resource {
  const patientId = s(a.subjectPatientId) ?? s(a.patientId);
  const start = s(a.scheduledAt);
  return compact({
    resourceType: 'Appointment',
    id: String(a.id),
    status: appointmentStatus[String(a.status)] ?? 'proposed',
    cancelationReason: s(a.cancelReason) ? { text: a.cancelReason } : undefined,
    appointmentType: { coding: [{ system: system.appointmentPurpose, code: a.purpose }] },
    description: s(a.otherRequest),
    comment: s(a.otherSymptom),
    // A proposed time has a start only once the station sets one (start and end come together in FHIR).
    start,
    end: start ? new Date(Date.parse(start) + 30 * 60_000).toISOString() : undefined,
    created: s(a.createdAt),
    requestedPeriod: [s(a.wishedAt) ? { start: a.wishedAt } : undefined],
    participant: [{ actor: ref('Patient', patientId, s(a.patientName)), required: 'required', status: a.status === 'cancelled' ? 'declined' : 'accepted' }]
  });
}

export function serviceRequestResource(r: Fields, review: Fields | undefined, ctx: ExportContext = {}): Resource {
  const status = s(r.withdrawnAt) ? 'revoked' : review?.status === 'answered' ? 'completed' : s(r.sentAt) ? 'active' : 'draft';
  const icds = [s(r.diagnosisIcd), ...list(r.secondaryIcds)].filter((c): c is string => !!c);
  return compact({
    resourceType: 'ServiceRequest',
    id: String(r.id),
    status,
    intent: 'order',
    category: [{ coding: [{ system: system.loinc, code: '11488-4', display: 'Consult note' }], text: 'Hội chẩn, tư vấn khám chữa bệnh từ xa' }],
    code: { text: 'Yêu cầu hội chẩn, tư vấn khám chữa bệnh từ xa' },
    subject: ref('Patient', s(r.patientId)),
    encounter: ref('Encounter', s(r.formId)),
    occurrenceDateTime: s(review?.scheduledAt) ?? s(r.proposedAt),
    authoredOn: s(r.sentAt) ?? s(r.createdAt),
    requester: ref('Organization', s(r.fromUnitId)),
    performer: [ref('Organization', s(r.toUnitId))],
    reasonCode: icds.map((code) => ({ coding: [icdCoding(code, ctx)] })),
    note: [
      { authorString: s(r.requestingDoctorName), text: s(r.requestContent) },
      // The case summary (appendix 4A), a note per text with its label.
      ...requestSummary.map(([field, label]) => (s(r[field]) ? { text: `${label}: ${s(r[field])}` } : undefined)),
      review && s(review.review) ? { authorString: s(review.reviewerName), time: s(review.updatedAt) ?? s(review.createdAt), text: s(review.review) } : undefined
    ]
  });
}

export function minutesResources(m: Fields, ctx: ExportContext = {}): Resource[] {
  const id = String(m.id);
  const subject = ref('Patient', s(m.patientId));
  const participants = Array.isArray(m.participants) ? (m.participants as Record<string, unknown>[]) : [];
  const chair = participants.find((p) => p.role === 'chair');
  const out: Resource[] = [
    composition(id, documentType.minutes, 'Biên bản hội chẩn, tư vấn khám chữa bệnh từ xa', m, minutesSections.filter(([field]) => s(m[field])), {
      subject,
      date: s(m.heldAt),
      author: s(m.consultantUnitId) ?? s(m.requestingUnitId),
      final: !!s(m.completedAt),
      identifier: s(m.number) ? { system: system.minutesNumber, value: m.number } : undefined,
      attester: chair && s(chair.name) ? [{ mode: 'professional', party: { display: s(chair.name) } }] : undefined
    })
  ];
  const pdf = ctx.signedPdfUrl?.('minutes', id);
  if (pdf) {
    out.push(
      compact({
        resourceType: 'DocumentReference',
        id,
        status: 'current',
        docStatus: 'final',
        type: { coding: [documentType.minutes] },
        subject,
        date: s(m.completedAt) ?? s(m.heldAt),
        description: 'Biên bản hội chẩn đã ký số (PDF)',
        content: [{ attachment: { contentType: 'application/pdf', url: pdf, title: `bien-ban-${id}.pdf` } }],
        context: { related: [ref('Composition', id), ref('ServiceRequest', s(m.requestId))] }
      })
    );
  }
  return out;
}

export function prescriptionResources(rx: Fields, ctx: ExportContext = {}): Resource[] {
  const id = String(rx.id);
  const items = Array.isArray(rx.items) ? (rx.items as Record<string, unknown>[]) : [];
  const icds = list(rx.icds);
  return items.map((item, i) => {
    const days = n(item.days);
    return compact({
      resourceType: 'MedicationRequest',
      id: `${id}-${i + 1}`,
      status: s(rx.issuedAt) ? 'active' : 'draft',
      intent: 'order',
      groupIdentifier: s(rx.code) ? { system: system.prescriptionCode, value: rx.code } : { system: `${system.prescriptionCode}/local`, value: id },
      medicationCodeableConcept: {
        coding: [s(item.drugCode) ? { system: system.drug, code: item.drugCode } : undefined],
        text: [s(item.drugName), s(item.strength)].filter(Boolean).join(' ')
      },
      subject: ref('Patient', s(rx.patientId)),
      encounter: ref('Encounter', s(rx.formId)),
      authoredOn: s(rx.issuedAt) ?? s(rx.createdAt),
      requester: s(rx.prescriberName) ? { display: rx.prescriberName } : ref('Organization', s(rx.unitId)),
      reasonCode: icds.map((code) => ({ coding: [icdCoding(code, ctx)] })),
      note: [s(rx.advice) ? { text: rx.advice } : undefined],
      dosageInstruction: [{ text: s(item.usage), route: s(item.route) ? { text: item.route } : undefined }],
      dispenseRequest: {
        quantity: { value: n(item.quantity), unit: s(item.unit) },
        expectedSupplyDuration: days !== undefined ? { value: days, unit: 'd', system: system.ucum, code: 'd' } : undefined
      }
    });
  });
}

/** A patient's chart as resources: the patient first, then each record's, in a stable order (by id). */
export function chartResources(chart: ChartRecords, ctx: ExportContext = {}): Resource[] {
  const byId = <T extends Fields>(rows: readonly T[]) => [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id)));
  const patientId = String(chart.patient.id);
  const reviews = new Map(chart.reviews.map((r) => [String(r.requestId ?? r.id), r]));
  const own = [
    patientResource(chart.patient, ctx),
    ...byId(chart.forms).flatMap((f) => formResources(f, patientId, ctx)),
    ...byId(chart.appointments).map((a) => appointmentResource(a)),
    ...byId(chart.requests).map((r) => serviceRequestResource(r, reviews.get(String(r.id)), ctx)),
    ...byId(chart.minutes).flatMap((m) => minutesResources(m, ctx)),
    ...byId(chart.prescriptions).flatMap((rx) => prescriptionResources(rx, ctx))
  ];
  // The records from another system after the chart's own; one the chart's own records already say is left out.
  const keys = new Set(own.map(resourceKey));
  const external = [...(chart.external ?? [])].filter((r) => !keys.has(resourceKey(r))).sort((a, b) => resourceKey(a).localeCompare(resourceKey(b)));
  return [...own, ...external];
}

/** "Type/id": what names a resource in a bundle. */
export const resourceKey = (r: Resource) => `${r.resourceType}/${r.id}`;
