// The administration screens' client of the server's admin API (sync-server/src/accounts-api.ts): accounts and
// units. Administration needs the network (the server decides and audits every change); answers are read by
// their shape, never cast, and a refusal comes back as the i18n key that explains it.
import type { MessageKey } from '../i18n/catalog';
import { refusalKey, session } from '../auth/session.svelte';

/** A person's profile (null: not entered): what the reports and the consultation's minutes read. */
export type Profile = { gender: string | null; qualification: string | null; jobTitle: string | null; practiceCertificate: string | null; practiceScope: string | null };
export const profileKeys = ['gender', 'qualification', 'jobTitle', 'practiceCertificate', 'practiceScope'] as const;
export type Account = { id: string; username: string; displayName: string; role: string; unitId: string | null; disabled: boolean; disabledAt: string | null } & Profile;
export type UnitInput = {
  id: string;
  kind: string;
  name: string;
  provinceCode: string;
  communeCode: string | null;
  parentId: string | null;
  facilityCode: string | null;
  phone: string | null;
  address: string | null;
  licence: string | null;
  links: string[];
};
export type AuditRow = { at: string; action: string; docId: string; userId: string; device: string | null };
export type DeviceInfo = { userId: string; username: string; displayName: string; unitId: string | null; deviceId: string; firstSeen: string; lastSeen: string; revision: number | null; revokedAt: string | null };
export const catalogNames = ['icd10', 'drugs'] as const;
export type CatalogName = (typeof catalogNames)[number];
export type CatalogInfo = { name: string; version: string; count: number; imported: { at: string; by: string } | null };
export type ImportReport = { read: number; accepted: number; rejected: number; rejections: { line: number; reason: string }[]; version: string | null };
export type Result<T> = { ok: true; value: T } | { ok: false; error: MessageKey; detail?: string; body?: Record<string, unknown> };

const isText = (v: unknown, max = 200) => typeof v === 'string' && v.length <= max;

export function readAccount(v: unknown): Account | undefined {
  const a = v as Record<string, unknown> | null;
  if (typeof a !== 'object' || a === null) return undefined;
  if (!isText(a.id) || !isText(a.username) || !isText(a.displayName) || !isText(a.role) || !(a.unitId === null || isText(a.unitId)) || typeof a.disabled !== 'boolean') return undefined;
  const opt = (v: unknown) => (isText(v, 300) ? (v as string) : null);
  return {
    id: a.id as string,
    username: a.username as string,
    displayName: a.displayName as string,
    role: a.role as string,
    unitId: a.unitId as string | null,
    disabled: a.disabled,
    disabledAt: opt(a.disabledAt),
    gender: opt(a.gender),
    qualification: opt(a.qualification),
    jobTitle: opt(a.jobTitle),
    practiceCertificate: opt(a.practiceCertificate),
    practiceScope: opt(a.practiceScope)
  };
}

const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
function readCatalog(v: unknown): CatalogInfo | undefined {
  const c = v as Record<string, unknown> | null;
  if (typeof c !== 'object' || c === null || !isText(c.name) || !isText(c.version) || !isCount(c.count)) return undefined;
  const imported = c.imported as Record<string, unknown> | null;
  return { name: c.name as string, version: c.version as string, count: c.count as number, imported: imported && isText(imported.at) && isText(imported.by) ? { at: imported.at as string, by: imported.by as string } : null };
}
function readDevice(v: unknown): DeviceInfo | undefined {
  const d = v as Record<string, unknown> | null;
  if (typeof d !== 'object' || d === null || !isText(d.userId) || !isText(d.username) || !isText(d.displayName) || !isText(d.deviceId) || !isText(d.firstSeen) || !isText(d.lastSeen)) return undefined;
  return {
    userId: d.userId as string,
    username: d.username as string,
    displayName: d.displayName as string,
    unitId: isText(d.unitId) ? (d.unitId as string) : null,
    deviceId: d.deviceId as string,
    firstSeen: d.firstSeen as string,
    lastSeen: d.lastSeen as string,
    revision: isCount(d.revision) ? (d.revision as number) : null,
    revokedAt: isText(d.revokedAt) ? (d.revokedAt as string) : null
  };
}
function readReport(v: unknown): ImportReport | undefined {
  const r = v as Record<string, unknown> | null;
  if (typeof r !== 'object' || r === null || !isCount(r.read) || !isCount(r.accepted) || !isCount(r.rejected) || !Array.isArray(r.rejections)) return undefined;
  const rejections = r.rejections
    .filter((x): x is { line: number; reason: string } => typeof x === 'object' && x !== null && isCount((x as { line?: unknown }).line) && isText((x as { reason?: unknown }).reason, 500))
    .slice(0, 200);
  return { read: r.read as number, accepted: r.accepted as number, rejected: r.rejected as number, rejections, version: isText(r.version) ? (r.version as string) : null };
}

/** One call of the server API with this session's token; a refusal comes back as its i18n key. */
export async function send(method: 'GET' | 'POST', path: string, body?: unknown, csv?: Blob): Promise<Result<Record<string, unknown>>> {
  const token = await session.accessToken();
  if (!token) return { ok: false, error: 'error.unauthorized' };
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(csv ? { 'content-type': 'text/csv; charset=utf-8' } : body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: csv ?? (body === undefined ? undefined : JSON.stringify(body))
    });
  } catch {
    return { ok: false, error: 'admin.offline' };
  }
  const json = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!res.ok) return { ok: false, error: refusalKey(json), detail: typeof json?.message === 'string' ? json.message.slice(0, 500) : undefined, body: json };
  return { ok: true, value: json ?? {} };
}

const mapped = <T>(r: Result<Record<string, unknown>>, read: (v: Record<string, unknown>) => T | undefined): Result<T> => {
  if (!r.ok) return r;
  const value = read(r.value);
  return value === undefined ? { ok: false, error: 'error.internal' } : { ok: true, value };
};
const oneAccount = (v: Record<string, unknown>) => readAccount(v.account);

export const admin = {
  async accounts(): Promise<Result<Account[]>> {
    return mapped(await send('GET', '/api/admin/accounts'), (v) => (Array.isArray(v.accounts) ? v.accounts.map(readAccount).filter((a): a is Account => a !== undefined) : undefined));
  },
  async createAccount(input: { username: string; displayName: string; role: string; unitId: string | null; password: string } & Partial<Profile>) {
    return mapped(await send('POST', '/api/admin/accounts', input), oneAccount);
  },
  async changeAccount(id: string, change: { displayName?: string; role?: string; unitId?: string | null } & Partial<Profile>) {
    return mapped(await send('POST', `/api/admin/accounts/${encodeURIComponent(id)}`, change), oneAccount);
  },
  async resetPassword(id: string, password: string) {
    return mapped(await send('POST', `/api/admin/accounts/${encodeURIComponent(id)}/password`, { password }), oneAccount);
  },
  async setDisabled(id: string, disabled: boolean) {
    return mapped(await send('POST', `/api/admin/accounts/${encodeURIComponent(id)}/${disabled ? 'disable' : 'enable'}`, {}), oneAccount);
  },
  /** Who read or changed what: the trail of a record, an account (`account:<id>`) or a unit (`unit:<id>`), or what an account did. */
  async audit(q: { docId?: string; userId?: string }): Promise<Result<AuditRow[]>> {
    const params = new URLSearchParams({ limit: '200' });
    if (q.docId) params.set('docId', q.docId);
    if (q.userId) params.set('userId', q.userId);
    return mapped(await send('GET', `/api/admin/audit?${params}`), (v) =>
      Array.isArray(v.entries)
        ? v.entries
            .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null && isText(e.at) && isText(e.action) && isText(e.docId) && isText(e.userId))
            .map((e) => ({ at: e.at as string, action: e.action as string, docId: e.docId as string, userId: e.userId as string, device: isText(e.device) ? (e.device as string) : null }))
        : undefined
    );
  },
  async devices(): Promise<Result<DeviceInfo[]>> {
    return mapped(await send('GET', '/api/admin/devices'), (v) => (Array.isArray(v.devices) ? v.devices.map(readDevice).filter((d): d is DeviceInfo => d !== undefined) : undefined));
  },
  async revokeDevice(userId: string, deviceId: string): Promise<Result<true>> {
    return mapped(await send('POST', '/api/admin/devices/revoke', { userId, deviceId }), () => true as const);
  },
  async catalogs(): Promise<Result<CatalogInfo[]>> {
    return mapped(await send('GET', '/api/admin/catalogs'), (v) => (Array.isArray(v.catalogs) ? v.catalogs.map(readCatalog).filter((c): c is CatalogInfo => c !== undefined) : undefined));
  },
  /** Checks a CSV of a catalog (the official ICD-10 list, a drug list) (`apply`: and publishes it when every row is good). */
  async importCatalog(name: CatalogName, file: Blob, apply: boolean): Promise<Result<{ report: ImportReport; applied: boolean }>> {
    const r = await send('POST', `/api/admin/catalogs/${name}${apply ? '?apply=1' : ''}`, undefined, file);
    // Refused for its rows: the report is in the refusal.
    const body = r.ok ? r.value : r.body;
    const report = readReport(body?.report);
    if (!r.ok) return report ? { ok: true, value: { report, applied: false } } : r;
    return report ? { ok: true, value: { report, applied: r.value.applied === true } } : { ok: false, error: 'error.internal' };
  },
  /** A station's health worker creates a citizen's account for one of the station's charts (POST /api/accounts/citizen). */
  async createCitizen(input: { phone: string; fullName: string; password: string; patientId: string }) {
    return mapped(await send('POST', '/api/accounts/citizen', input), oneAccount);
  },
  async saveUnit(unit: UnitInput): Promise<Result<true>> {
    return mapped(await send('POST', '/api/admin/units', unit), () => true as const);
  }
};
