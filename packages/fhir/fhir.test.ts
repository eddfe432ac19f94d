// The mapping on its own: a chart's records → resources → records → resources gives the same resources; the texts
// survive the narrative's escaping; the product's checks catch what the R4 validators let through.
import { describe, expect, it } from 'vitest';
import { bundleOf, chartResources, plainText, productProblems, readBundle, referenceProblems, xhtml, type Resource } from './index';
import { fhirValidator } from './validate';

const patientId = '3f6c2d1e-8b7a-4c5d-9e0f-112233445566';
const formId = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const chart = {
  patient: {
    id: patientId,
    unitId: 'tyt-02701',
    fullName: 'Lý Seo Chứ',
    gender: 'male',
    dateOfBirth: '2019-06-01',
    ethnicityCode: '08',
    insuranceNumber: 'TE1150123456789',
    provinceCode: '15',
    communeCode: '02701',
    oldDistrictCode: '082',
    address: 'Bản Phìn Ngan',
    guardianName: 'Lý Seo Páo',
    guardianRelation: 'bố',
    guardianPhone: '0987000111',
    initialRegistrationPlace: 'Trạm Y tế xã Y Tý',
    createdAt: '2026-10-01T01:00:00.000Z',
    createdBy: 'u'
  },
  forms: [
    {
      id: formId,
      patientId,
      unitId: 'tyt-02701',
      triageOutcome: 'no_emergency',
      identityVerified: true,
      consent: true,
      consentBy: 'guardian',
      companionName: 'Lý Seo Páo',
      companionRelation: 'father',
      companionIdKind: 'personal_id',
      companionIdNumber: '010190001234',
      temperatureC: 39.1,
      respiratoryRate: 44,
      heightCm: 98,
      symptoms: 'Sốt cao <39 độ> & ho',
      mainIcd: 'J18.9',
      diagnosis: 'Viêm phổi',
      handling: 'refer_up',
      recordNumber: 'HS-0001',
      createdAt: '2026-10-02T01:00:00.000Z',
      completedAt: '2026-10-02T02:00:00.000Z',
      createdBy: 'u'
    }
  ],
  appointments: [],
  requests: [],
  reviews: [],
  minutes: [],
  prescriptions: []
};

describe('FHIR mapping', () => {
  it('gives back the same resources after a trip through records', () => {
    const first = chartResources(chart);
    const read = readBundle(bundleOf(first, 'collection', '2026-10-03T00:00:00Z'));
    expect(read.skipped).toEqual([]);
    expect(read.charts).toHaveLength(1);
    const [back] = read.charts;
    expect(back!.match).toEqual({ chartId: patientId, insuranceNumber: 'TE1150123456789', personalId: undefined, ownId: true });
    expect(back!.forms[0]).toMatchObject({ temperatureC: 39.1, respiratoryRate: 44, mainIcd: 'J18.9', consentBy: 'guardian', companionIdNumber: '010190001234', symptoms: 'Sốt cao <39 độ> & ho' });
    const again = chartResources({ ...chart, patient: { ...back!.patient, unitId: 'tyt-02701' }, forms: back!.forms.map((f) => ({ ...f, unitId: 'tyt-02701' })) });
    expect(again).toEqual(first);
  });

  it('keeps a text with markup characters and line breaks as text', () => {
    const text = 'a < b & c > d\nline "two"';
    expect(xhtml(text)).toBe('<div xmlns="http://www.w3.org/1999/xhtml">a &lt; b &amp; c &gt; d<br/>line "two"</div>');
    expect(plainText(xhtml(text))).toBe(text);
  });

  it('is accepted by the R4 schema and structure definitions', () => {
    expect(fhirValidator().bundle(bundleOf(chartResources(chart), 'collection', '2026-10-03T00:00:00Z'))).toEqual([]);
  });

  it('catches what the validators let through: vital-sign units and codes, ICD-10 codes, ids, dangling references', () => {
    const obs = (code: string, unit: string): Resource => ({
      resourceType: 'Observation',
      id: 'o-1',
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code }] },
      valueQuantity: { value: 1, unit, system: 'http://unitsofmeasure.org', code: unit }
    });
    expect(productProblems(obs('8867-4', '/min'))).toEqual([]);
    expect(productProblems(obs('8867-4', 'bpm')).map((p) => p.message)).toEqual(['the unit is UCUM "/min"']);
    expect(productProblems(obs('1234-5', '/min')).map((p) => p.message)).toEqual(['LOINC 1234-5 is not one of the vital signs the forms record']);
    const condition: Resource = { resourceType: 'Condition', id: 'c_1', subject: { reference: 'Patient/x' }, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'J18-9' }] } };
    expect(productProblems(condition).map((p) => p.path)).toEqual(['id', 'code']);
    expect(referenceProblems(bundleOf([condition], 'collection', '2026-10-03T00:00:00Z')).map((p) => p.message)).toEqual(['Patient/x is not in the bundle']);
  });
});
