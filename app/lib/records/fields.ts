// Small helpers the record screens share: reading a field as text, and the vital signs as the forms list them.
import type { MessageKey } from '../i18n/catalog';

/** A field's value as text ('' when absent or not text). */
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** A field's value as text, or undefined (for writing: empty fields are not written). */
export const strOrUndefined = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The vital signs in the order of appendix 3's "Tình trạng khi đến khám", with their units. */
export const vitalFields = [
  ['pulse', 'unit.perMinute'],
  ['temperatureC', 'unit.celsius'],
  ['bpSystolic', 'mmHg'],
  ['bpDiastolic', 'mmHg'],
  ['respiratoryRate', 'unit.perMinute'],
  ['heightCm', 'cm'],
  ['weightKg', 'kg']
] as const;
export type VitalFieldName = (typeof vitalFields)[number][0];

/** A unit as shown: a catalog message for words, the symbol itself for mmHg, cm, kg. */
export const unitLabel = (unit: string, t: (key: MessageKey) => string) => (unit.startsWith('unit.') ? t(unit as MessageKey) : unit);
