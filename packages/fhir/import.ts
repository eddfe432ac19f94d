// FHIR R4 resources back into records (M13): a Patient into a chart's patient, and each Encounter with what names
// it (its Observations, Conditions, the Consent `<encounter>-consent`, its Composition of texts) into a
// teleconsultation form — the inverse of export.ts for what it writes. Pure: the server validates the bundle first
// (validate.ts), then matches patients by identifiers and writes the records as documents (fhir-api.ts).
//
// The other records of a patient (Appointment, ServiceRequest, the minutes' Composition, DocumentReference,
// MedicationRequest) belong to workflows of the system they come from (a booking, a request that granted an upper
// unit the chart, minutes and prescriptions signed and sent there), which an import cannot re-enact: the chart keeps
// them as they came, read-only (domain's external.ts). Organizations are not imported (units are administered).
import { patterns, type Fields } from '@telehealth/domain';
import { bloodPressure, documentType, system, vitalCodes } from './codes';
import { formSections, plainText } from './export';
import { refId, type Bundle, type Resource } from './resources';

export type ImportedChart = {
  /** The patient's fields, without unit and audit fields (the server sets them; `id` is a proposal, see `match`). */
  patient: Fields;
  /** The identifiers to match an existing chart by, strongest first. */
  /**
   * The identifiers to match an existing chart by: the chart id when the Patient carries this product's chart-id
   * identifier (`ownId`; another system's resource id names nothing here), then the CCCD, then the BHYT number.
   */
  match: { personalId?: string; insuranceNumber?: string; chartId: string; ownId: boolean };
  forms: Fields[];
  /** The Patient's id in the bundle (what its records' references name). */
  sourceId: string;
  /**
   * Its records the chart keeps as they came (external.ts): bookings, consultation requests, minutes, signed
   * documents and prescriptions of the system the bundle comes from.
   */
  external: Resource[];
};

export type Skipped = { resource: string; reason: string };

export type ReadResult = { charts: ImportedChart[]; skipped: Skipped[] };

type R = Record<string, unknown>;
const isObject = (v: unknown): v is R => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): R[] => (Array.isArray(v) ? v.filter(isObject) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const codingOf = (cc: unknown, sys: string): string | undefined => str(arr(isObject(cc) ? cc.coding : undefined).find((c) => c.system === sys)?.code);
const identifierOf = (r: R, sys: string) => str(arr(r.identifier).find((i) => i.system === sys)?.value);

export function patientFields(p: Resource): { fields: Fields; match: ImportedChart['match'] } {
  const name = arr(p.name).find((n) => str(n.text)) ?? arr(p.name)[0];
  const fullName = str(name?.text) ?? [str(name?.family), ...(Array.isArray(name?.given) ? name.given : [])].filter(Boolean).join(' ');
  const telecom = arr(p.telecom);
  const address = arr(p.address)[0];
  const contact = arr(p.contact)[0];
  const ethnicity = arr(p.extension).find((e) => e.url === system.vnRaceExtension);
  const guardianId = arr(contact?.extension).find((x) => x.url === system.guardianIdExtension)?.valueIdentifier;
  const own = identifierOf(p, system.chartId);
  const chartId = own ?? p.id;
  const fields: Fields = {
    id: chartId,
    fullName: fullName || undefined,
    gender: str(p.gender),
    dateOfBirth: str(p.birthDate),
    ethnicityCode: ethnicity ? codingOf(ethnicity.valueCodeableConcept, system.vnRace) : undefined,
    personalId: identifierOf(p, system.personalId),
    insuranceNumber: identifierOf(p, system.insuranceNumber),
    phone: str(telecom.find((t) => t.system === 'phone')?.value),
    email: str(telecom.find((t) => t.system === 'email')?.value),
    provinceCode: str(address?.state),
    communeCode: str(address?.city),
    oldDistrictCode: str(address?.district),
    address: str(address?.text),
    initialRegistrationPlace: str(arr(p.generalPractitioner)[0]?.display),
    guardianName: isObject(contact?.name) ? str(contact.name.text) : undefined,
    guardianRelation: str(arr(contact?.relationship)[0]?.text),
    guardianPhone: str(arr(contact?.telecom).find((t) => t.system === 'phone')?.value),
    guardianPersonalId: isObject(guardianId) ? str(guardianId.value) : undefined,
    occupation: str(arr(p.extension).find((x) => x.url === system.occupationExtension)?.valueString)
  };
  return { fields: defined(fields), match: { personalId: str(fields.personalId), insuranceNumber: str(fields.insuranceNumber), chartId, ownId: own !== undefined } };
}

function defined(f: Fields): Fields {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined));
}

/** A form from its Encounter and the resources that name it. */
export function formFields(e: Resource, named: { observations: Resource[]; conditions: Resource[]; consent?: Resource; note?: Resource }): Fields {
  const period = isObject(e.period) ? e.period : {};
  const f: Fields = {
    id: e.id,
    recordNumber: identifierOf(e, system.recordNumber),
    visitType: codingOf(arr(e.type)[0], system.visitType),
    handlingDoctorName: str(isObject(arr(e.participant)[0]?.individual) ? (arr(e.participant)[0]!.individual as R).display : undefined),
    appointmentId: refId(arr(e.appointment)[0], 'Appointment'),
    createdAt: str(period.start),
    completedAt: e.status === 'finished' ? str(period.end) : undefined,
    handling: isObject(e.hospitalization) ? codingOf(e.hospitalization.dischargeDisposition, system.handling) : undefined,
    triageOutcome: codingOf(e.priority, system.triage),
    identityVerified: arr(e.extension).find((x) => x.url === system.identityVerifiedExtension)?.valueBoolean
  };
  const signs = arr(e.extension)
    .filter((x) => x.url === system.emergencySignsExtension && isObject(x.valueCoding) && x.valueCoding.system === system.emergencySign)
    .map((x) => str((x.valueCoding as R).code))
    .filter((c): c is string => !!c);
  if (signs.length) f.emergencySigns = signs;
  for (const o of named.observations) {
    const loinc = codingOf(o.code, system.loinc);
    const vital = vitalCodes.find((v) => v.loinc === loinc);
    if (vital && isObject(o.valueQuantity) && typeof o.valueQuantity.value === 'number') f[vital.field] = o.valueQuantity.value;
    if (loinc === bloodPressure.panel.loinc) {
      for (const c of arr(o.component)) {
        const code = codingOf(c.code, system.loinc);
        const value = isObject(c.valueQuantity) ? c.valueQuantity.value : undefined;
        if (typeof value !== 'number') continue;
        if (code === bloodPressure.systolic.loinc) f.bpSystolic = value;
        if (code === bloodPressure.diastolic.loinc) f.bpDiastolic = value;
      }
    }
  }
  // Diagnoses in the encounter's rank order: the main one is confirmed, the others (bệnh kèm theo) provisional.
  const rank = new Map(arr(e.diagnosis).map((d) => [refId(d.condition, 'Condition'), typeof d.rank === 'number' ? d.rank : 99]));
  const conditions = [...named.conditions].sort((a, b) => (rank.get(a.id) ?? 99) - (rank.get(b.id) ?? 99));
  const icd = (c: Resource) => codingOf(c.code, system.icd10);
  const main = conditions[0] && codingOf(conditions[0].verificationStatus, system.conditionVerification) === 'confirmed' ? conditions[0] : undefined;
  if (main) {
    f.mainIcd = icd(main);
    f.diagnosis = isObject(main.code) ? str(main.code.text) : undefined;
  }
  const secondary = conditions.filter((c) => c !== main).map(icd).filter((c): c is string => !!c && patterns.icd10.test(c));
  if (secondary.length) f.secondaryIcds = secondary;
  if (named.consent) {
    const provision = isObject(named.consent.provision) ? named.consent.provision.type : undefined;
    f.consent = provision === 'permit';
    const performer = arr(named.consent.performer)[0];
    const byPatient = !!refId(performer, 'Patient');
    f.consentBy = byPatient ? 'patient' : 'guardian';
    if (!byPatient) f.companionName = str(performer?.display);
    const companion = arr(arr(named.consent.extension).find((x) => x.url === system.companionExtension)?.extension);
    const part = (url: string) => companion.find((x) => x.url === url);
    f.companionRelation = str(part('relation')?.valueString);
    f.companionIdKind = str(part('idKind')?.valueCode);
    f.companionIdNumber = str(part('idNumber')?.valueString);
    f.companionPersonalId = str(part('personalId')?.valueString);
  }
  for (const section of arr(named.note?.section)) {
    const field = codingOf(section.code, system.section);
    const entry = formSections.find(([name]) => name === field);
    const text = isObject(section.text) ? plainText(section.text.div) : undefined;
    if (entry && text) f[entry[0]] = text;
  }
  return defined(f);
}

const skippedTypes: Record<string, string> = {
  Organization: 'units are set up by the administration, not imported'
};

/** The patient a record from another system is about (its subject; a booking's patient participant). */
function patientOf(r: Resource): string | undefined {
  if (r.resourceType === 'Appointment') return arr(r.participant).map((p) => refId(p.actor, 'Patient')).find(Boolean);
  return refId(r.subject, 'Patient');
}

/** A copy of a resource whose references to Patient/`from` name Patient/`to` (a patient who got another chart id). */
export function renamePatient<T>(value: T, from: string, to: string): T {
  if (from === to) return value;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!isObject(v)) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'reference' && x === `Patient/${from}` ? `Patient/${to}` : walk(x)]));
  };
  return walk(value) as T;
}

/** The charts a (valid) bundle holds, and what it holds that the import does not take. */
export function readBundle(bundle: Bundle): ReadResult {
  const resources = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Resource => !!r);
  const skipped: Skipped[] = [];
  const byEncounter = new Map<string, { observations: Resource[]; conditions: Resource[]; consent?: Resource; note?: Resource }>();
  const named = (id: string) => {
    let n = byEncounter.get(id);
    if (!n) byEncounter.set(id, (n = { observations: [], conditions: [] }));
    return n;
  };
  const encounterIds = new Set(resources.filter((r) => r.resourceType === 'Encounter').map((r) => r.id));
  const external: Resource[] = [];
  for (const r of resources) {
    const where = `${r.resourceType}/${r.id}`;
    const encounter = refId(r.encounter, 'Encounter');
    switch (r.resourceType) {
      case 'Patient':
      case 'Encounter':
        break;
      case 'Observation':
      case 'Condition':
        if (encounter && encounterIds.has(encounter)) named(encounter)[r.resourceType === 'Observation' ? 'observations' : 'conditions'].push(r);
        else skipped.push({ resource: where, reason: 'not part of a visit (no Encounter of the bundle)' });
        break;
      case 'Consent': {
        const owner = r.id.endsWith('-consent') ? r.id.slice(0, -'-consent'.length) : '';
        if (encounterIds.has(owner)) named(owner).consent = r;
        else skipped.push({ resource: where, reason: 'a consent is read as part of the visit <encounter id>-consent' });
        break;
      }
      case 'Composition':
        if (encounter && encounterIds.has(encounter) && codingOf(r.type, system.loinc) === documentType.form.code) named(encounter).note = r;
        else external.push(r);
        break;
      case 'Appointment':
      case 'ServiceRequest':
      case 'DocumentReference':
      case 'MedicationRequest':
        external.push(r);
        break;
      default:
        skipped.push({ resource: where, reason: skippedTypes[r.resourceType] ?? `${r.resourceType} is not a record of this product` });
    }
  }
  const charts: ImportedChart[] = [];
  const byPatient = new Map<string, ImportedChart>();
  for (const p of resources.filter((r) => r.resourceType === 'Patient')) {
    const { fields, match } = patientFields(p);
    const chart: ImportedChart = { patient: fields, match, forms: [], sourceId: p.id, external: [] };
    charts.push(chart);
    byPatient.set(p.id, chart);
  }
  for (const e of resources.filter((r) => r.resourceType === 'Encounter')) {
    const chart = byPatient.get(refId(e.subject, 'Patient') ?? '');
    if (!chart) {
      skipped.push({ resource: `Encounter/${e.id}`, reason: 'its patient is not in the bundle' });
      continue;
    }
    chart.forms.push(formFields(e, byEncounter.get(e.id) ?? { observations: [], conditions: [] }));
  }
  for (const r of external) {
    const chart = byPatient.get(patientOf(r) ?? '');
    if (chart) chart.external.push(r);
    else skipped.push({ resource: `${r.resourceType}/${r.id}`, reason: 'its patient is not in the bundle' });
  }
  return { charts, skipped };
}
