// FHIR R4 (M13): the records as resources and back. The validators are a separate entry (`@telehealth/fhir/validate`):
// they load the 3.4 MB R4 schema and the structure definitions, which only the server and the benchmarks need.
export * from './codes';
export * from './resources';
export * from './checks';
export * from './export';
export * from './import';
