// The unit directory (stations, centres and their links), fetched when online and kept on the device so that
// names and the upper units a station may send requests to are known offline.
export type Unit = { id: string; kind: string; name: string; provinceCode: string; communeCode: string | null; parentId: string | null; links: string[]; telehealthIcd?: string[] | null;
  /** Mã cơ sở y tế (appendix 3): the unit's 5-character code in the BHYT facility list (`GET /api/units`); null: none. */
  facilityCode?: string | null;
  /** The unit's phone line (`GET /api/units`): a call's last rung, offered as a tel: link; null: none entered. */
  phone?: string | null;
  /** Its address and operating licence (giấy phép hoạt động), as the official reports print them; null: none entered. */
  address?: string | null;
  licence?: string | null };

const storageKey = 'telehealth.units';

const isText = (v: unknown) => typeof v === 'string' && v.length <= 200;
const isTextOrNull = (v: unknown) => v === null || v === undefined || isText(v);
const isTextList = (v: unknown) => Array.isArray(v) && v.length <= 2_000 && v.every(isText);

/** The unit directory as stored or served, read by its shape: entries that do not fit are left out, never cast. */
export function readUnits(value: unknown): Unit[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (u): u is Unit =>
      typeof u === 'object' &&
      u !== null &&
      isText(u.id) &&
      isText(u.kind) &&
      isText(u.name) &&
      isText(u.provinceCode) &&
      isTextOrNull(u.communeCode) &&
      isTextOrNull(u.parentId) &&
      isTextList(u.links) &&
      (u.telehealthIcd === undefined || u.telehealthIcd === null || isTextList(u.telehealthIcd)) &&
      isTextOrNull(u.facilityCode) &&
      (u.phone === undefined || u.phone === null || (typeof u.phone === 'string' && /^0\d{9,10}$/.test(u.phone))) &&
      (u.address === undefined || u.address === null || (typeof u.address === 'string' && u.address.length <= 300)) &&
      (u.licence === undefined || u.licence === null || (typeof u.licence === 'string' && u.licence.length <= 100))
  );
}

class Units {
  list = $state.raw<Unit[]>([]);

  constructor() {
    if (typeof localStorage === 'undefined') return;
    try {
      this.list = readUnits(JSON.parse(localStorage.getItem(storageKey) ?? '[]'));
    } catch {
      localStorage.removeItem(storageKey);
    }
  }

  /** Refreshes the directory from the server; offline, the stored copy stays. */
  async refresh() {
    try {
      const res = await fetch('/api/units');
      if (!res.ok) return;
      const units = readUnits(((await res.json()) as { units?: unknown }).units);
      this.list = units;
      localStorage.setItem(storageKey, JSON.stringify(units));
    } catch {
      // Offline: keep what the device has.
    }
  }

  name(id: string | null | undefined): string {
    return this.list.find((u) => u.id === id)?.name ?? id ?? '';
  }

  /** The upper units a unit may send consultation requests to. */
  linksOf(id: string | null | undefined): Unit[] {
    const links = this.list.find((u) => u.id === id)?.links ?? [];
    return this.list.filter((u) => links.includes(u.id));
  }

  stations(): Unit[] {
    return this.list.filter((u) => u.kind === 'station');
  }
}

export const units = new Units();
