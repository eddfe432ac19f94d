// Where the station's issued prescriptions stand with the national prescription system (GET
// /api/prescriptions/national, sync-server/src/national-rx/outbox.ts): sent, pending (tried, with the last reason) or
// rejected (with the system's field errors). Needs the network; read by its shape, never cast.
import type { NationalRxRow } from '@telehealth/domain';
import { session } from '../auth/session.svelte';

export type NationalRow = NationalRxRow;

const text = (v: unknown, max = 2_000): v is string => typeof v === 'string' && v.length <= max;

export function readNationalRow(v: unknown): NationalRow | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  if (
    !text(r.code, 20) ||
    !text(r.docId, 100) ||
    !text(r.unitId, 64) ||
    !text(r.patientId, 64) ||
    !(r.state === 'sent' || r.state === 'pending' || r.state === 'rejected') ||
    typeof r.attempts !== 'number' ||
    !text(r.nextAt, 40) ||
    !text(r.queuedAt, 40)
  )
    return undefined;
  const errors = Array.isArray(r.errors)
    ? r.errors.slice(0, 50).flatMap((e) => {
        const x = e as Record<string, unknown> | null;
        return x && text(x.field, 100) && text(x.message, 300) ? [{ field: x.field, message: x.message }] : [];
      })
    : [];
  return {
    code: r.code,
    docId: r.docId,
    unitId: r.unitId,
    patientId: r.patientId,
    state: r.state,
    attempts: r.attempts,
    lastError: text(r.lastError) ? r.lastError : null,
    errors,
    sentAt: text(r.sentAt, 40) ? r.sentAt : null,
    nextAt: r.nextAt,
    queuedAt: r.queuedAt
  };
}

/** The unit's prescriptions in the outbox, by code; undefined when the server cannot be reached (offline). */
export async function nationalStates(): Promise<Map<string, NationalRow> | undefined> {
  const token = await session.accessToken();
  if (!token) return undefined;
  try {
    const res = await fetch('/api/prescriptions/national', { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { prescriptions?: unknown };
    const rows = Array.isArray(body.prescriptions) ? body.prescriptions.map(readNationalRow).filter((r): r is NationalRow => r !== undefined) : [];
    return new Map(rows.map((r) => [r.code, r]));
  } catch {
    return undefined;
  }
}
