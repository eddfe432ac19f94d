// The mapping on its own: a chart's records → resources → records → resources gives the same resources; the texts
// survive the narrative's escaping; the product's checks catch what the R4 validators let through.
import { describe, expect, it } from 'vitest';
import { bundleOf, chartResources, plainText, productProblems, readBundle, referenceProblems, renamePatient, xhtml, type Resource } from './index';
import { fhirValidator } from './validate';
import { externalSummaries } from './summary';

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
    guardianPersonalId: '010190001234',
    occupation: 'Trẻ em dưới 6 tuổi',
    initialRegistrationPlace: 'Trạm Y tế xã Y Tý',
    createdAt: '2026-10-01T01:00:00.000Z',
    createdBy: 'u'
  },
  forms: [
    {
      id: formId,
      patientId,
      unitId: 'tyt-02701',
      emergencySigns: ['convulsing', 'severe_breathing_difficulty'],
      triageOutcome: 'first_aid_and_refer',
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
  appointments: [
    { id: 'ap-1', patientId, unitId: 'tyt-02701', purpose: 'visit', status: 'done', wishedAt: '2026-10-01T02:00:00.000Z', scheduledAt: '2026-10-02T01:00:00.000Z', createdAt: '2026-10-01T01:00:00.000Z' }
  ],
  requests: [
    {
      id: 'rq-1',
      patientId,
      fromUnitId: 'tyt-02701',
      toUnitId: 'ttyt-bat-xat',
      formId,
      requestingDoctorName: 'Y sĩ Lò Thị Hoa',
      requestContent: 'Xin hội chẩn viêm phổi ở trẻ nhỏ',
      progress: 'Sốt 3 ngày, ho tăng',
      careSummary: 'Đã hạ sốt, cho uống nhiều nước',
      diagnosisIcd: 'J18.9',
      sentAt: '2026-10-02T02:10:00.000Z',
      createdAt: '2026-10-02T02:05:00.000Z'
    }
  ],
  reviews: [{ id: 'rq-1', requestId: 'rq-1', status: 'answered', review: 'Chuyển tuyến huyện', reviewerName: 'BS Hùng', createdAt: '2026-10-02T03:00:00.000Z' }],
  minutes: [{ id: 'rq-1', requestId: 'rq-1', patientId, requestingUnitId: 'tyt-02701', consultantUnitId: 'ttyt-bat-xat', heldAt: '2026-10-02T04:00:00.000Z', conclusion: 'Viêm phổi nặng, chuyển tuyến' }],
  prescriptions: [
    {
      id: 'rx-1',
      patientId,
      unitId: 'tyt-02701',
      formId,
      icds: ['J18.9'],
      items: [{ drugName: 'Amoxicilin', strength: '250 mg', unit: 'gói', quantity: 15, days: 5, usage: 'Uống 1 gói x 3 lần/ngày' }],
      prescriberName: 'Y sĩ Lò Thị Hoa',
      code: '15122abcdefg-c',
      issuedAt: '2026-10-02T05:00:00.000Z',
      createdAt: '2026-10-02T04:50:00.000Z'
    }
  ]
};

describe('FHIR mapping', () => {
  it('gives back the same resources after a trip through records', () => {
    const first = chartResources(chart);
    const read = readBundle(bundleOf(first, 'collection', '2026-10-03T00:00:00Z'));
    expect(read.skipped).toEqual([]);
    expect(read.charts).toHaveLength(1);
    const [back] = read.charts;
    expect(back!.match).toEqual({ chartId: patientId, insuranceNumber: 'TE1150123456789', personalId: undefined, ownId: true });
    expect(back!.patient).toMatchObject({ occupation: 'Trẻ em dưới 6 tuổi', guardianPersonalId: '010190001234' });
    expect(back!.forms[0]).toMatchObject({
      temperatureC: 39.1,
      respiratoryRate: 44,
      mainIcd: 'J18.9',
      consentBy: 'guardian',
      companionIdNumber: '010190001234',
      symptoms: 'Sốt cao <39 độ> & ho',
      emergencySigns: ['convulsing', 'severe_breathing_difficulty']
    });
    // The records of other workflows come back as the resources they were, to be kept as they came.
    expect(back!.external.map((r) => `${r.resourceType}/${r.id}`)).toEqual(['Appointment/ap-1', 'ServiceRequest/rq-1', 'Composition/rq-1', 'MedicationRequest/rx-1-1']);
    expect(JSON.stringify(back!.external)).toContain('Diễn biến bệnh: Sốt 3 ngày, ho tăng');
    const again = chartResources({
      ...chart,
      patient: { ...back!.patient, unitId: 'tyt-02701' },
      forms: back!.forms.map((f) => ({ ...f, unitId: 'tyt-02701' })),
      appointments: [],
      requests: [],
      reviews: [],
      minutes: [],
      prescriptions: [],
      external: back!.external
    });
    const byKey = (rs: Resource[]) => rs.map((r) => [`${r.resourceType}/${r.id}`, r] as const).sort(([a], [b]) => a.localeCompare(b));
    expect(byKey(again)).toEqual(byKey(first));
  });

  it('names the chart a patient gets here in the records that came with her, and leaves out what names no patient of the file', () => {
    const rq = { resourceType: 'ServiceRequest', id: 'x', status: 'active', intent: 'order', subject: { reference: 'Patient/his-1' }, note: [{ text: 'Patient/his-1' }] };
    expect(renamePatient(rq, 'his-1', 'p-new')).toEqual({ ...rq, subject: { reference: 'Patient/p-new' } });
    const read = readBundle(bundleOf([{ resourceType: 'Patient', id: 'his-1' }, rq, { ...rq, id: 'y', subject: { reference: 'Patient/nobody' } }], 'collection', '2026-10-03T00:00:00Z'));
    expect(read.charts[0]!.external.map((r) => r.id)).toEqual(['x']);
    expect(read.skipped).toEqual([{ resource: 'ServiceRequest/y', reason: 'its patient is not in the bundle' }]);
    // A record of the chart's own is never exported twice, kept from a file or not.
    const own = chartResources(chart);
    const twice = chartResources({ ...chart, external: [own.find((r) => r.resourceType === 'ServiceRequest')!, rq as Resource] });
    expect(twice.filter((r) => r.resourceType === 'ServiceRequest').map((r) => r.id)).toEqual(['rq-1', 'x']);
  });

  it('shows the records kept from another system as a reader expects them: dated, a prescription with its drugs', () => {
    const kept = chartResources(chart).filter((r) => ['Appointment', 'ServiceRequest', 'MedicationRequest'].includes(r.resourceType) || (r.resourceType === 'Composition' && r.id === 'rq-1'));
    const shown = externalSummaries(kept);
    expect(shown.map((x) => [x.kind, x.at])).toEqual([
      ['prescription', '2026-10-02T05:00:00.000Z'],
      ['minutes', '2026-10-02T04:00:00.000Z'],
      ['request', '2026-10-02T02:10:00.000Z'],
      ['appointment', '2026-10-02T01:00:00.000Z']
    ]);
    const [rx, minutes, request] = shown;
    expect(rx).toMatchObject({ number: '15122abcdefg-c', status: 'active', lines: [{ label: 'Amoxicilin 250 mg', text: 'Uống 1 gói x 3 lần/ngày · 15 gói', days: 5 }] });
    expect(minutes!.lines).toEqual([{ label: 'Kết luận', text: 'Viêm phổi nặng, chuyển tuyến' }]);
    expect(request!.lines.map((l) => l.text)).toEqual(['J18.9', 'Xin hội chẩn viêm phổi ở trẻ nhỏ', 'Diễn biến bệnh: Sốt 3 ngày, ho tăng', 'Tóm tắt diễn biến, quá trình chăm sóc: Đã hạ sốt, cho uống nhiều nước', 'Chuyển tuyến huyện']);
    // Another system's resource with little in it, or odd values, is shown as far as it goes.
    expect(externalSummaries([{ resourceType: 'ServiceRequest', id: 'x', note: [{ text: 42 }], reasonCode: 'J18' } as Resource])).toEqual([{ key: 'ServiceRequest/x', kind: 'request', lines: [] }]);
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
