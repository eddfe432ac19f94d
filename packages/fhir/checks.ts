// The product's own checks of a resource, for what the R4 JSON schema and the structure definitions both let
// through: ids FHIR accepts, the vital signs' LOINC codes and UCUM units of the R4 vital-signs profiles, ICD-10
// codes well formed, the Vietnamese identifiers well formed, the codes the import needs, and references that resolve
// inside the bundle.
import { patterns } from '@telehealth/domain';
import { bloodPressure, system, vitalCodes } from './codes';
import { fhirId, type Bundle, type Resource } from './resources';

export type Problem = { resource: string; path: string; message: string; by: 'schema' | 'structure' | 'product' };

const vitalUnits = new Map<string, string>([...vitalCodes.map((v) => [v.loinc, v.unit] as const), [bloodPressure.systolic.loinc, bloodPressure.unit], [bloodPressure.diastolic.loinc, bloodPressure.unit]]);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const codings = (cc: unknown): Record<string, unknown>[] => (isObject(cc) && Array.isArray(cc.coding) ? cc.coding.filter(isObject) : []);

/** The problems with one resource by the product's own rules. */
export function productProblems(r: Resource): Problem[] {
  const where = `${r.resourceType}/${r.id}`;
  const out: Problem[] = [];
  const problem = (path: string, message: string) => out.push({ resource: where, path, message, by: 'product' });
  if (typeof r.id !== 'string' || !fhirId.test(r.id)) problem('id', 'id is not a FHIR id ([A-Za-z0-9-.], 1–64)');
  switch (r.resourceType) {
    case 'Patient': {
      if (r.gender !== 'male' && r.gender !== 'female') problem('gender', 'gender must be male or female (the forms record no other)');
      if (typeof r.birthDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(r.birthDate)) problem('birthDate', 'a full birth date (YYYY-MM-DD) is required');
      const names = Array.isArray(r.name) ? r.name.filter(isObject) : [];
      if (!names.some((nm) => typeof nm.text === 'string' && nm.text.trim())) problem('name', 'the full name (name.text) is required');
      for (const [i, id] of (Array.isArray(r.identifier) ? r.identifier.filter(isObject) : []).entries()) {
        const value = String(id.value ?? '');
        if (id.system === system.personalId && !patterns.personalId.test(value)) problem(`identifier[${i}]`, 'a personal id (CCCD) has 12 digits');
        if (id.system === system.insuranceNumber && !patterns.insuranceNumber.test(value)) problem(`identifier[${i}]`, 'a health-insurance number has 10 digits or the 15-character card code');
        if (id.system === system.chartId && !patterns.id.test(value)) problem(`identifier[${i}]`, 'a chart id is 1–64 letters, digits, "_", "." or "-"');
      }
      for (const [i, ext] of (Array.isArray(r.extension) ? r.extension.filter(isObject) : []).entries()) {
        if (ext.url !== system.vnRaceExtension) continue;
        const code = codings(ext.valueCodeableConcept).find((c) => c.system === system.vnRace)?.code;
        if (typeof code !== 'string' || !patterns.ethnicityCode.test(code)) problem(`extension[${i}]`, 'an ethnic group is a two-digit QĐ 121-TCTK code');
      }
      break;
    }
    case 'Observation': {
      const loinc = codings(r.code).find((c) => c.system === system.loinc)?.code;
      const isVital = (Array.isArray(r.category) ? r.category : []).some((c) => codings(c).some((x) => x.code === 'vital-signs'));
      if (!isVital) break;
      if (typeof loinc !== 'string') {
        problem('code', 'a vital sign is coded with LOINC');
        break;
      }
      if (loinc === bloodPressure.panel.loinc) {
        const components = Array.isArray(r.component) ? r.component.filter(isObject) : [];
        if (!components.length) problem('component', 'a blood pressure has its systolic and diastolic components');
        for (const [i, c] of components.entries()) {
          const code = codings(c.code).find((x) => x.system === system.loinc)?.code;
          if (code !== bloodPressure.systolic.loinc && code !== bloodPressure.diastolic.loinc) problem(`component[${i}].code`, 'a blood pressure component is 8480-6 or 8462-4');
          else unitProblem(c.valueQuantity, bloodPressure.unit, `component[${i}].valueQuantity`, problem);
        }
      } else if (vitalUnits.has(loinc)) unitProblem(r.valueQuantity, vitalUnits.get(loinc)!, 'valueQuantity', problem);
      else problem('code', `LOINC ${loinc} is not one of the vital signs the forms record`);
      break;
    }
    case 'Condition':
    case 'ServiceRequest':
    case 'MedicationRequest': {
      const ccs = r.resourceType === 'Condition' ? [r.code] : Array.isArray(r.reasonCode) ? r.reasonCode : [];
      for (const [i, cc] of ccs.entries()) {
        for (const c of codings(cc)) {
          if (c.system === system.icd10 && !(typeof c.code === 'string' && patterns.icd10.test(c.code))) problem(r.resourceType === 'Condition' ? 'code' : `reasonCode[${i}]`, `"${String(c.code)}" is not an ICD-10 code`);
        }
      }
      if (r.resourceType === 'Condition' && !codings(r.code).some((c) => c.system === system.icd10)) problem('code', 'a diagnosis is coded with ICD-10');
      if (r.resourceType === 'MedicationRequest' && !isObject(r.groupIdentifier)) problem('groupIdentifier', "a drug names its prescription (groupIdentifier)");
      break;
    }
  }
  return out;
}

function unitProblem(q: unknown, unit: string, path: string, problem: (path: string, message: string) => void) {
  if (!isObject(q) || typeof q.value !== 'number') return problem(path, 'a vital sign has a value');
  if (q.system !== system.ucum || q.code !== unit) problem(path, `the unit is UCUM "${unit}"`);
}

/** References between the bundle's resources: each "Type/id" a resource names (but Organization) is in the bundle. */
export function referenceProblems(bundle: Bundle): Problem[] {
  const present = new Set((bundle.entry ?? []).map((e) => (e.resource ? `${e.resource.resourceType}/${e.resource.id}` : '')));
  const out: Problem[] = [];
  for (const e of bundle.entry ?? []) {
    if (!e.resource) continue;
    const where = `${e.resource.resourceType}/${e.resource.id}`;
    walk(e.resource, '', (path, reference) => {
      const type = reference.split('/')[0]!;
      if (type === 'Organization' || /^https?:/.test(reference)) return;
      if (!present.has(reference)) out.push({ resource: where, path, message: `${reference} is not in the bundle`, by: 'product' });
    });
  }
  return out;
}

function walk(value: unknown, path: string, onReference: (path: string, reference: string) => void, depth = 0) {
  if (depth > 32) return;
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, onReference, depth + 1));
  else if (isObject(value)) {
    if (typeof value.reference === 'string') onReference(`${path}.reference`.replace(/^\./, ''), value.reference);
    for (const [k, v] of Object.entries(value)) if (k !== 'reference') walk(v, path ? `${path}.${k}` : k, onReference, depth + 1);
  }
}
