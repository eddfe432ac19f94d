// What a chart shows of the records it keeps from another system (domain's external.ts): each FHIR resource read
// into a few dated lines, the prescriptions' drugs grouped by their prescription. Pure, defensive (another system's
// resources may carry any valid FHIR), and small: the app imports it alone (`@telehealth/fhir/summary`).
import { documentType, system } from './codes';
import { plainText } from './export';

export type ExternalKind = 'request' | 'minutes' | 'document' | 'prescription' | 'appointment' | 'note';

export type ExternalLine = {
  /** The line's label as the record says it (a section's title), when it names one. */
  label?: string;
  text: string;
  /** A drug's days of use. */
  days?: number;
};

export type ExternalSummary = {
  /** The resource's key ("Type/id"), or the prescription's code for its drugs. */
  key: string;
  kind: ExternalKind;
  /** When it happened (as the record says: authored, held, issued, scheduled), ISO. */
  at?: string;
  /** The record's FHIR status code (active, completed, final, booked, …). */
  status?: string;
  title?: string;
  /** A number the other system gave it (a prescription's national code, the minutes' number). */
  number?: string;
  lines: ExternalLine[];
  /** A document's address in the system it comes from. */
  url?: string;
};

type R = Record<string, unknown>;
const isObject = (v: unknown): v is R => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): R[] => (Array.isArray(v) ? v.filter(isObject) : []);
const str = (v: unknown, max = 4000): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.slice(0, max) : undefined);
const codes = (cc: unknown): string[] =>
  arr(isObject(cc) ? cc.coding : undefined)
    .map((c) => [str(c.code, 20), str(c.display, 200)].filter(Boolean).join(' '))
    .filter(Boolean);
const conceptText = (cc: unknown): string | undefined => (isObject(cc) ? (str(cc.text, 300) ?? codes(cc)[0]) : undefined);
const notes = (r: R): ExternalLine[] => arr(r.note).flatMap((n) => (str(n.text) ? [{ ...(str(n.authorString, 100) ? { label: str(n.authorString, 100) } : {}), text: str(n.text)! }] : []));
const loinc = (r: R) => arr(isObject(r.type) ? r.type.coding : undefined).find((c) => c.system === system.loinc)?.code;

function request(r: R, key: string): ExternalSummary {
  const reasons = arr(r.reasonCode).flatMap(codes);
  return {
    key,
    kind: 'request',
    at: str(r.authoredOn, 40) ?? str(r.occurrenceDateTime, 40),
    status: str(r.status, 20),
    title: conceptText(r.code),
    lines: [...(reasons.length ? [{ text: reasons.join('; ') }] : []), ...notes(r)]
  };
}

function composition(r: R, key: string): ExternalSummary {
  const minutes = loinc(r) === documentType.minutes.code;
  const number = arr(r.identifier)[0] ?? (isObject(r.identifier) ? r.identifier : undefined);
  return {
    key,
    kind: minutes ? 'minutes' : 'note',
    at: str(r.date, 40),
    status: str(r.status, 20),
    title: str(r.title, 300),
    ...(isObject(number) && str(number.value, 60) ? { number: str(number.value, 60) } : {}),
    lines: arr(r.section).flatMap((s) => {
      const text = isObject(s.text) ? plainText(s.text.div) : undefined;
      return text?.trim() ? [{ ...(str(s.title, 200) ? { label: str(s.title, 200) } : {}), text: text.slice(0, 4000) }] : [];
    })
  };
}

function document(r: R, key: string): ExternalSummary {
  const attachment = arr(r.content).map((c) => (isObject(c.attachment) ? c.attachment : undefined)).find(Boolean);
  return {
    key,
    kind: 'document',
    at: str(r.date, 40),
    status: str(r.docStatus, 20) ?? str(r.status, 20),
    title: str(r.description, 300) ?? conceptText(r.type),
    lines: attachment && str(attachment.title, 200) ? [{ text: str(attachment.title, 200)! }] : [],
    ...(attachment && str(attachment.url, 500) ? { url: str(attachment.url, 500) } : {})
  };
}

function appointment(r: R, key: string): ExternalSummary {
  const wished = arr(r.requestedPeriod)[0];
  return {
    key,
    kind: 'appointment',
    at: str(r.start, 40) ?? str(wished?.start, 40) ?? str(r.created, 40),
    status: str(r.status, 20),
    title: conceptText(r.appointmentType) ?? conceptText(arr(r.serviceType)[0]),
    lines: [str(r.description), str(r.comment), isObject(r.cancelationReason) ? str(r.cancelationReason.text) : undefined].filter((t): t is string => !!t).map((text) => ({ text }))
  };
}

/** A drug line: name, dose, quantity and days, as the MedicationRequest says them. */
function drug(r: R): ExternalLine {
  const dosage = arr(r.dosageInstruction)[0];
  const dispense = isObject(r.dispenseRequest) ? r.dispenseRequest : {};
  const quantity = isObject(dispense.quantity) && typeof dispense.quantity.value === 'number' ? [String(dispense.quantity.value), str(dispense.quantity.unit, 30)].filter(Boolean).join(' ') : undefined;
  const days = isObject(dispense.expectedSupplyDuration) && typeof dispense.expectedSupplyDuration.value === 'number' ? dispense.expectedSupplyDuration.value : undefined;
  return {
    label: conceptText(r.medicationCodeableConcept) ?? (isObject(r.medicationReference) ? str(r.medicationReference.display, 200) : undefined) ?? '—',
    text: [str(dosage?.text, 500), quantity].filter(Boolean).join(' · '),
    ...(days !== undefined ? { days } : {})
  };
}

/**
 * The records a chart keeps from another system, as the chart shows them: one summary per resource, a
 * prescription's MedicationRequests (one per drug, grouped by their `groupIdentifier`) as one; newest first.
 */
export function externalSummaries(resources: readonly { resourceType: string; id: string }[]): ExternalSummary[] {
  const out: ExternalSummary[] = [];
  const prescriptions = new Map<string, ExternalSummary>();
  for (const resource of resources) {
    const r = resource as R;
    const key = `${resource.resourceType}/${resource.id}`;
    switch (resource.resourceType) {
      case 'ServiceRequest':
        out.push(request(r, key));
        break;
      case 'Composition':
        out.push(composition(r, key));
        break;
      case 'DocumentReference':
        out.push(document(r, key));
        break;
      case 'Appointment':
        out.push(appointment(r, key));
        break;
      case 'MedicationRequest': {
        const group = isObject(r.groupIdentifier) ? r.groupIdentifier : undefined;
        const groupKey = group && str(group.value, 80) ? `${str(group.system, 200) ?? ''}|${str(group.value, 80)}` : key;
        let rx = prescriptions.get(groupKey);
        if (!rx) {
          rx = {
            key,
            kind: 'prescription',
            at: str(r.authoredOn, 40),
            status: str(r.status, 20),
            ...(group && group.system === system.prescriptionCode && str(group.value, 80) ? { number: str(group.value, 80) } : {}),
            lines: []
          };
          prescriptions.set(groupKey, rx);
          out.push(rx);
        }
        rx.lines.push(drug(r), ...notes(r).filter((n) => !rx!.lines.some((l) => l.text === n.text)));
        break;
      }
    }
  }
  return out.sort((a, b) => (b.at ?? '').localeCompare(a.at ?? '') || a.key.localeCompare(b.key));
}
