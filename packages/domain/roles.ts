// Who uses the product and the kinds of health units they work in (MISSION "Who uses it").

export const Role = {
  /** Commune station health worker (cán bộ y tế, CBYT). */
  stationWorker: 'station_worker',
  /** Upper-level doctor (bác sĩ tuyến trên). */
  doctor: 'doctor',
  /** Patient / citizen (người bệnh, người dân). */
  patient: 'patient',
  /** Unit admin / IT focal point. */
  admin: 'admin'
} as const;
export type Role = (typeof Role)[keyof typeof Role];

export const UnitKind = {
  /** Trạm Y tế xã / phường. */
  station: 'station',
  /** Trung tâm Y tế (regional health centre). */
  centre: 'centre',
  /** Bệnh viện tỉnh. */
  hospital: 'hospital',
  /** Sở Y tế. */
  department: 'department'
} as const;
export type UnitKind = (typeof UnitKind)[keyof typeof UnitKind];

export const roles: readonly Role[] = Object.values(Role);
export const unitKinds: readonly UnitKind[] = Object.values(UnitKind);

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}
