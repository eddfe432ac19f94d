// Field-by-field editing of a record held in a Yjs map: every valid keystroke is written to the document (so
// it is stored on the device at once and syncs later); a value that is not valid yet (half a personal ID)
// stays as typed, with its error, in the device's storage until it becomes valid: nothing typed is lost.
import type * as Y from 'yjs';
import { validatePatch, writeFields, type Schema } from '@telehealth/domain';
import { fromLocalInput, nowIso, toLocalInput } from './dates';

export class Editor {
  drafts = $state<Record<string, string>>({});
  errors = $state<Record<string, string>>({});

  constructor(
    private readonly schema: Schema,
    private readonly target: () => Y.Map<unknown> | undefined,
    /** Read to make values reactive: the live document's version. */
    private readonly version: () => number,
    /** Where unfinished values are kept on the device (per record). */
    private readonly draftKey: string,
    private readonly readonly = false
  ) {
    if (typeof localStorage === 'undefined') return;
    try {
      this.drafts = JSON.parse(localStorage.getItem(draftKey) ?? '{}') as Record<string, string>;
      for (const [field, raw] of Object.entries(this.drafts)) this.errors[field] = this.check(field, raw).error ?? '';
    } catch {
      localStorage.removeItem(draftKey);
    }
  }

  /** The value as the input shows it. */
  value(field: string): string {
    if (field in this.drafts) return this.drafts[field]!;
    void this.version();
    const v = this.target()?.get(field);
    if (v === undefined || v === null) return '';
    return this.schema[field]?.type === 'datetime' ? toLocalInput(String(v)) : String(v);
  }

  raw(field: string): unknown {
    void this.version();
    return this.target()?.get(field);
  }

  error(field: string): string | undefined {
    return this.errors[field] || undefined;
  }

  private check(field: string, raw: string): { value?: unknown; error?: string } {
    const spec = this.schema[field];
    if (!spec) return { error: 'unknown_field' };
    const text = raw.trim();
    if (!text) return { value: undefined };
    let value: unknown = text;
    if (spec.type === 'number') value = Number(text.replace(',', '.'));
    if (spec.type === 'datetime') value = fromLocalInput(text);
    const errors = validatePatch(this.schema, { [field]: value });
    return errors.length ? { error: errors[0]!.code } : { value };
  }

  /** Takes what the user typed: written when valid, kept as a draft with its error when not. */
  set(field: string, raw: string) {
    if (this.readonly) return;
    const { value, error } = this.check(field, raw);
    if (error) {
      this.drafts[field] = raw;
      this.errors[field] = error;
    } else {
      delete this.drafts[field];
      delete this.errors[field];
      this.write({ [field]: value });
    }
    localStorage.setItem(this.draftKey, JSON.stringify(this.drafts));
  }

  /** Writes typed values (ticks, choices) directly. */
  write(patch: Record<string, unknown>) {
    const map = this.target();
    if (!map || this.readonly) return;
    writeFields(map, { ...patch, updatedAt: nowIso() });
  }

  get hasDrafts() {
    return Object.keys(this.drafts).length > 0;
  }
}
