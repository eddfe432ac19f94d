// The station's patient registry as rune state: search the device's index, register a new patient offline.
import { docId, mainRecord, patientSchema, validateRecord, writeFields, type FieldError, type Patient } from '@telehealth/domain';
import { session } from '../auth/session.svelte';
import { sync } from '../sync/sync-state.svelte';
import type { PatientRow } from '../sync/local-db';
import { PatientIndex } from './patient-index';

export type { PatientRow };

export type NewPatient = { fullName: string; gender: string; dateOfBirth: string; phone: string; provinceCode: string; communeCode: string };

export type CreateResult = { ok: true } | { ok: false; errors: FieldError[] } | { ok: false; duplicates: PatientRow[] };

class Patients {
  query = $state('');
  rows = $state.raw<PatientRow[]>([]);
  loading = $state(true);
  /** How long the last search of the device's index took (shown to the benchmark, not to users). */
  lastQueryMs = $state(0);
  #index = new PatientIndex();
  #loadedFor: unknown;
  #feed = sync.feeds.create();

  /** Loads the index once per engine, and re-reads the charts that changed since. */
  async #current(): Promise<boolean> {
    const engine = sync.engine;
    if (!engine) return false;
    const changedDocIds = this.#feed.take();
    if (this.#loadedFor !== engine) {
      this.#loadedFor = engine;
      await this.#index.load(engine.db);
    } else if (changedDocIds.length) {
      await this.#index.refresh(engine.db, changedDocIds);
    }
    return true;
  }

  /** Searches the index, brought up to date. */
  async refresh() {
    if (!(await this.#current())) return;
    const started = performance.now();
    this.rows = this.#index.search(this.query);
    this.lastQueryMs = performance.now() - started;
    this.loading = false;
  }

  /**
   * Every chart's index row, up to date: read from the device's database once per engine and kept in memory (the
   * patient list and the device's reports share it; a report need not read 20,000 rows again each time).
   */
  async allRows(): Promise<PatientRow[]> {
    return (await this.#current()) ? this.#index.all() : [];
  }

  /** Patients on this device likely to be this person (same name and date of birth, and commune when known). */
  async likely(p: { fullName: string; dateOfBirth: string; communeCode?: string }): Promise<PatientRow[]> {
    await this.refresh();
    return this.#index.likelyDuplicates(p);
  }

  /**
   * Registers a patient on this device; it syncs when the network allows. Refuses invalid fields, and warns of
   * likely duplicates unless `confirmed` (the worker looked at them and it is another person).
   */
  async create(input: NewPatient, confirmed = false): Promise<CreateResult> {
    const engine = sync.engine;
    const user = session.user;
    if (!engine || !user?.unitId) return { ok: false, errors: [{ field: 'unitId', code: 'required' }] };
    const id = crypto.randomUUID();
    const record: Record<string, unknown> = {
      id,
      unitId: user.unitId,
      fullName: input.fullName.trim(),
      // Chosen explicitly, or missing ("required"): never a silent default.
      gender: input.gender || undefined,
      dateOfBirth: input.dateOfBirth,
      createdAt: new Date().toISOString(),
      createdBy: user.id
    };
    if (input.phone.trim()) record.phone = input.phone.trim();
    if (input.communeCode) Object.assign(record, { provinceCode: input.provinceCode, communeCode: input.communeCode });
    const checked = validateRecord<Patient>(patientSchema, record);
    if (!checked.ok) return { ok: false, errors: checked.errors };
    const duplicates = this.#index.likelyDuplicates({ fullName: checked.value.fullName, dateOfBirth: checked.value.dateOfBirth, communeCode: checked.value.communeCode });
    if (duplicates.length && !confirmed) return { ok: false, duplicates };
    const chart = docId('patient', id);
    const doc = await engine.openDoc(chart, { kind: 'patient', unitId: user.unitId, patientId: id });
    writeFields(mainRecord(doc, 'patient'), checked.value);
    // Closing waits for the chart and its index row to be stored; the index reads it now, not when the change
    // event comes round: a second registration of the same person right after is warned about (it was not, when
    // the device was busy).
    await engine.closeDoc(chart);
    await this.#index.refresh(engine.db, [chart]);
    return { ok: true };
  }
}

export const patients = new Patients();
