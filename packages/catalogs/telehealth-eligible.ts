// Diseases eligible for teleconsultation, per unit (M5): ICD-10 3-character categories a unit handles remotely.
// A unit may carry its own list (the unit directory's `telehealthIcd`, set by the Sở Y tế); without one, the
// default for its kind applies. A commune station's default covers the chronic diseases it follows up and the
// common conditions the guideline's teleconsultation is meant for; upper units take any code.
import { normalizeCode } from './icd10-lookup';

export const stationTelehealthDefault: readonly string[] = [
  // Chronic, non-communicable diseases followed up at the station.
  'I10', 'I11', 'I20', 'I25', 'I50', 'I69', 'E03', 'E04', 'E05', 'E10', 'E11', 'E14', 'E66', 'E78', 'J44', 'J45',
  'F20', 'F32', 'F41', 'G40', 'M15', 'M17', 'M19', 'M47', 'M54', 'M81', 'N18',
  // Common acute conditions advised remotely.
  'J00', 'J01', 'J02', 'J03', 'J06', 'J20', 'J30', 'A09', 'K21', 'K29', 'K30', 'K59', 'L20', 'L23', 'L30', 'L50',
  'B35', 'B36', 'B86', 'N30', 'N39', 'H10', 'G43', 'G44', 'R05', 'R50', 'R51',
  // Pregnancy, postpartum and counselling.
  'Z34', 'Z35', 'Z39', 'Z30', 'Z71', 'Z76'
];

export type EligibilityUnit = { kind: string; telehealthIcd?: readonly string[] | null };

/** Whether a diagnosis may be handled by teleconsultation at a unit. */
export function eligibleForTelehealth(code: string, unit: EligibilityUnit): boolean {
  const category = normalizeCode(code).slice(0, 3);
  const list = unit.telehealthIcd ?? (unit.kind === 'station' ? stationTelehealthDefault : undefined);
  return list === undefined || list.includes(category);
}
