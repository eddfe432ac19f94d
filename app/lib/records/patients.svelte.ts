// The station's patient registry as rune state: search the device's index, register a new patient offline.
import { docId, mainRecord, patientSchema, validateRecord, writeFields, type FieldError, type Patient } from '@telehealth/domain';
import { session } from '../auth/session.svelte';
import { sync } from '../sync/sync-state.svelte';
import type { PatientRow } from '../sync/local-db';
import { searchPatients } from './patient-search';

export type NewPatient = { fullName: string; gender: string; dateOfBirth: string; phone: string };

class Patients {
  query = $state('');
  rows = $state.raw<PatientRow[]>([]);
  loading = $state(true);
  /** How long the last search of the device's index took (shown to the benchmark, not to users). */
  lastQueryMs = $state(0);
  #seq = 0;

  async refresh() {
    const engine = sync.engine;
    if (!engine) return;
    const seq = ++this.#seq;
    const started = performance.now();
    const rows = await searchPatients(engine.db, this.query);
    if (seq !== this.#seq) return;
    this.lastQueryMs = performance.now() - started;
    this.rows = rows;
    this.loading = false;
  }

  /** Registers a patient on this device; it syncs when the network allows. Returns the field errors, if any. */
  async create(input: NewPatient): Promise<FieldError[]> {
    const engine = sync.engine;
    const user = session.user;
    if (!engine || !user?.unitId) return [{ field: 'unitId', code: 'required' }];
    const id = crypto.randomUUID();
    const record: Record<string, unknown> = {
      id,
      unitId: user.unitId,
      fullName: input.fullName.trim(),
      gender: input.gender,
      dateOfBirth: input.dateOfBirth,
      createdAt: new Date().toISOString(),
      createdBy: user.id
    };
    if (input.phone.trim()) record.phone = input.phone.trim();
    const checked = validateRecord<Patient>(patientSchema, record);
    if (!checked.ok) return checked.errors;
    const chart = docId('patient', id);
    const doc = await engine.openDoc(chart, { kind: 'patient', unitId: user.unitId, patientId: id });
    writeFields(mainRecord(doc, 'patient'), checked.value);
    await engine.closeDoc(chart);
    return [];
  }
}

export const patients = new Patients();
