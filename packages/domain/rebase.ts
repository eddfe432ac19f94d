// After the server refused a device's change to a record, the device rebuilds its copy from the server's state
// and writes again what the user typed that is still acceptable: field values that differ from the server's
// and are valid for their schema. A patient's appointment is left as the server has it (its changes are
// actions, and the refused one conflicted with the station's).
import * as Y from 'yjs';
import { chartForms, mainRecord, readFields, sameValue, writeFields, writeForm, type DocKind, type Fields } from './documents';
import {
  appointmentSchema,
  callLogSchema,
  consultationMinutesSchema,
  consultationRequestSchema,
  minutesTextFields,
  consultationReviewSchema,
  patientSchema,
  prescriptionSchema,
  teleconsultationFormSchema
} from './records';
import { validatePatch, type Schema } from './schema';
import { setText } from './text-edit';
import { signaturesOf, signedKinds } from './signatures';

/** The co-edited text roots of each kind (layouts.ts declares them as 'text' roots). */
const textFields: Partial<Record<DocKind, readonly string[]>> = { minutes: minutesTextFields };

/** The schema of each document kind's main record. */
export const recordSchemas: Record<DocKind, Schema> = {
  patient: patientSchema,
  appointment: appointmentSchema,
  request: consultationRequestSchema,
  review: consultationReviewSchema,
  minutes: consultationMinutesSchema,
  call: callLogSchema,
  prescription: prescriptionSchema
};

/** The fields of `local` that differ from `server` and are valid (unknown fields are kept as they are). */
function keptChanges(schema: Schema, local: Fields, server: Fields): Fields {
  const patch: Fields = {};
  for (const [key, value] of Object.entries(local)) {
    if (sameValue(value, server[key])) continue;
    if (Object.hasOwn(schema, key) && validatePatch(schema, { [key]: value }).length) continue;
    patch[key] = value;
  }
  return patch;
}

/** Writes into `fresh` (the server's state) what `local` holds beyond it and may be sent again. */
export function reapplyLocal(local: Y.Doc, fresh: Y.Doc, kind: DocKind): void {
  if (kind === 'appointment') return;
  // A signed record changes no more (signatures.ts): what was typed here stays aside, among the refused changes.
  if ((signedKinds as readonly string[]).includes(kind) && signaturesOf(fresh).length > 0) return;
  fresh.transact(() => {
    const main = keptChanges(recordSchemas[kind], readFields(mainRecord(local, kind)), readFields(mainRecord(fresh, kind)));
    if (Object.keys(main).length) writeFields(mainRecord(fresh, kind), main);
    if (kind === 'patient') {
      for (const [id, form] of chartForms(local)) {
        const patch = keptChanges(teleconsultationFormSchema, readFields(form), readFields(chartForms(fresh).get(id) ?? new Y.Map()));
        if (Object.keys(patch).length) writeForm(fresh, id, patch);
      }
    }
    // Co-edited texts: both sides' words, as Yjs merges them (the server's, which this device may not have had yet,
    // and those typed here), spliced into the server's text when the result is valid.
    const fields = textFields[kind] ?? [];
    if (fields.some((field) => local.share.has(field))) {
      const merged = new Y.Doc();
      Y.applyUpdate(merged, Y.encodeStateAsUpdate(fresh));
      Y.applyUpdate(merged, Y.encodeStateAsUpdate(local, Y.encodeStateVector(fresh)));
      for (const field of fields) {
        const both = merged.getText(field).toString();
        if (both !== fresh.getText(field).toString() && !validatePatch(recordSchemas[kind], { [field]: both }).length) setText(fresh.getText(field), both);
      }
      merged.destroy();
    }
    // Rungs of a call logged on the device and not on the server (an append-only log: appended again, in order).
    if (kind === 'call' && local.share.has('rungs')) {
      const theirs = fresh.getArray('rungs');
      const held = new Set(theirs.toArray().map((r) => JSON.stringify(r)));
      for (const rung of local.getArray('rungs').toArray()) if (!held.has(JSON.stringify(rung))) theirs.push([rung]);
    }
    // Photos taken on the device and not on the server (each fits one update).
    if (local.share.has('attachments')) {
      const mine = local.getMap('attachments');
      const theirs = fresh.getMap('attachments');
      for (const [id, photo] of mine) if (!theirs.has(id)) theirs.set(id, photo);
    }
  });
}
