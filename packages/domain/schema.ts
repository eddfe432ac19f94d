// A small schema language for records: field specs, and validation with typed results (no throws).

export type FieldSpec =
  | { type: 'text'; max: number; required?: boolean; pattern?: RegExp }
  | { type: 'number'; min: number; max: number; integer?: boolean; required?: boolean }
  | { type: 'boolean'; required?: boolean }
  /** A calendar date, YYYY-MM-DD. */
  | { type: 'date'; required?: boolean }
  /** An instant, ISO 8601 with a time zone (as Date.prototype.toISOString writes it). */
  | { type: 'datetime'; required?: boolean }
  | { type: 'enum'; values: readonly string[]; required?: boolean }
  /** A list of short strings, e.g. secondary ICD-10 codes or ticked symptoms. */
  | { type: 'list'; max: number; itemMax: number; itemPattern?: RegExp; itemValues?: readonly string[]; required?: boolean }
  /** A list of objects whose own fields follow `item`, e.g. the participants of consultation minutes. */
  | { type: 'rows'; max: number; item: Record<string, FieldSpec>; required?: boolean };

export type Schema = Record<string, FieldSpec>;

export type FieldValue = string | number | boolean | readonly string[] | readonly Record<string, unknown>[];

export const ValidationCode = {
  required: 'required',
  wrongType: 'wrong_type',
  tooLong: 'too_long',
  badFormat: 'bad_format',
  outOfRange: 'out_of_range',
  notInteger: 'not_integer',
  badDate: 'bad_date',
  notAllowed: 'not_allowed',
  tooMany: 'too_many',
  unknownField: 'unknown_field'
} as const;
export type ValidationCode = (typeof ValidationCode)[keyof typeof ValidationCode];

export type FieldError = { field: string; code: ValidationCode };

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const datetimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const m = datePattern.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function checkField(name: string, spec: FieldSpec, value: unknown, errors: FieldError[]): void {
  const err = (code: ValidationCode): void => {
    errors.push({ field: name, code });
  };
  if (isEmpty(value)) {
    if (spec.required) err('required');
    return;
  }
  switch (spec.type) {
    case 'text':
      if (typeof value !== 'string') return err('wrong_type');
      if (value.length > spec.max) return err('too_long');
      if (spec.pattern && !spec.pattern.test(value)) return err('bad_format');
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return err('wrong_type');
      if (spec.integer && !Number.isInteger(value)) return err('not_integer');
      if (value < spec.min || value > spec.max) return err('out_of_range');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') return err('wrong_type');
      return;
    case 'date':
      if (typeof value !== 'string') return err('wrong_type');
      if (!isCalendarDate(value)) return err('bad_date');
      return;
    case 'datetime':
      if (typeof value !== 'string') return err('wrong_type');
      if (!datetimePattern.test(value) || Number.isNaN(Date.parse(value)) || !isCalendarDate(value.slice(0, 10))) return err('bad_date');
      return;
    case 'enum':
      if (typeof value !== 'string') return err('wrong_type');
      if (!spec.values.includes(value)) return err('not_allowed');
      return;
    case 'list':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return err('wrong_type');
      if (value.length > spec.max) return err('too_many');
      if (value.some((v: string) => v.length > spec.itemMax)) return err('too_long');
      if (spec.itemPattern && !value.every((v: string) => spec.itemPattern!.test(v))) return err('bad_format');
      if (spec.itemValues && !value.every((v: string) => spec.itemValues!.includes(v))) return err('not_allowed');
      return;
    case 'rows': {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) return err('wrong_type');
      if (value.length > spec.max) return err('too_many');
      value.forEach((row: Record<string, unknown>, i: number) => {
        for (const key of Object.keys(row)) if (!(key in spec.item)) errors.push({ field: `${name}.${i}.${key}`, code: 'unknown_field' });
        for (const [key, itemSpec] of Object.entries(spec.item)) checkField(`${name}.${i}.${key}`, itemSpec, row[key], errors);
      });
      return;
    }
  }
}

/** Validates a whole record: every field of the schema, and no field outside it. */
export function validateRecord<T>(schema: Schema, input: Record<string, unknown>): Validation<T> {
  const errors: FieldError[] = [];
  for (const key of Object.keys(input)) if (!(key in schema)) errors.push({ field: key, code: 'unknown_field' });
  for (const [name, spec] of Object.entries(schema)) checkField(name, spec, input[name], errors);
  return errors.length ? { ok: false, errors } : { ok: true, value: input as T };
}

/** Validates only the fields present in a patch (a form being filled in): required fields are checked on completion. */
export function validatePatch(schema: Schema, patch: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(patch)) {
    const spec = schema[key];
    if (!spec) errors.push({ field: key, code: 'unknown_field' });
    else checkField(key, { ...spec, required: false } as FieldSpec, value, errors);
  }
  return errors;
}
