// Upper units' consultation calendars on the device (criterion 60; calendars-api.ts on the server): the calendars of
// the signed-in person's unit and of the units it sends requests to, fetched when online (304 when unchanged) and
// kept in this device's storage, per account, so that a station picks a slot offline. A doctor publishes their
// unit's here too (the server checks and audits).
import { parseCalendar, type ConsultationCalendar } from '@telehealth/domain';
import type { MessageKey } from './i18n/catalog';
import { refusalKey, session } from './auth/session.svelte';
import { fetchNewer, keep, readKept } from './kept-list';

export type UnitCalendar = { unitId: string; unitName: string; calendar: ConsultationCalendar; updatedAt: string };

/** Calendars as served or stored, read by their shape (each through the domain's parser): others are left out. */
export function readCalendars(value: unknown): UnitCalendar[] {
  if (!Array.isArray(value)) return [];
  return value.slice(0, 50).flatMap((c: unknown) => {
    if (typeof c !== 'object' || c === null) return [];
    const { unitId, unitName, calendar, updatedAt } = c as Record<string, unknown>;
    const parsed = parseCalendar(calendar);
    if (typeof unitId !== 'string' || unitId.length > 64 || typeof unitName !== 'string' || unitName.length > 200 || typeof updatedAt !== 'string' || !parsed.ok) return [];
    return [{ unitId, unitName, calendar: parsed.calendar, updatedAt }];
  });
}

type Stored = { etag: string | null; calendars: UnitCalendar[] };
const keyOf = (userId: string) => `telehealth.calendars.${userId}`;

class Calendars {
  list = $state.raw<UnitCalendar[]>([]);
  #etag: string | null = null;
  #userId: string | undefined;

  /** A unit's calendar among those kept (pure: safe in a derivation; `open` or `refresh` load them first). */
  of(unitId: string | undefined): UnitCalendar | undefined {
    return this.list.find((c) => c.unitId === unitId);
  }

  /** What the device keeps for the account, without the network (call from an effect, not a derivation). */
  open() {
    this.load();
  }

  private load() {
    const userId = session.user?.id;
    if (userId === this.#userId) return;
    this.#userId = userId;
    const kept = userId ? readKept(keyOf(userId)) : undefined;
    this.list = readCalendars(kept?.calendars);
    this.#etag = typeof kept?.etag === 'string' ? kept.etag : null;
  }

  /** Refreshes from the server; offline (or refused), what the device keeps stays. */
  async refresh() {
    this.load();
    const newer = await fetchNewer('/api/calendars', this.#etag);
    if (!newer || !this.#userId) return;
    this.list = readCalendars(newer.body.calendars);
    this.#etag = newer.etag;
    keep(keyOf(this.#userId), { etag: this.#etag, calendars: this.list } satisfies Stored);
  }

  /** Publishes a unit's calendar (its doctor); the refusal's key and detail when the server says no. */
  async save(unitId: string, calendar: ConsultationCalendar): Promise<{ ok: true } | { ok: false; error: MessageKey; detail?: string }> {
    const token = await session.accessToken();
    if (!token) return { ok: false, error: 'error.unauthorized' };
    try {
      const res = await fetch(`/api/calendars/${encodeURIComponent(unitId)}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ calendar }) });
      if (res.ok) {
        await this.refresh();
        return { ok: true };
      }
      const json = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
      return { ok: false, error: refusalKey(json), detail: typeof json?.message === 'string' ? json.message.slice(0, 500) : undefined };
    } catch {
      return { ok: false, error: 'calendar.offline' };
    }
  }
}

export const calendars = new Calendars();
