// @telehealth/domain: the domain model shared by the app and the sync server (no I/O, no framework).
export { Role, UnitKind, roles, unitKinds, isRole } from './roles';
