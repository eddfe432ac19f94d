// The audit trail over HTTP: devices report the charts of other units their users opened (recorded on the device,
// offline too, and sent when online); an admin lists who read or changed a record, or what an account did.
import type { Hono } from 'hono';
import { Role, parseDocId, patterns } from '@telehealth/domain';
import type { Principal } from './auth/tokens';
import type { Logger } from './log';
import type { AuditEntry, Storage } from './storage/storage';
import { readerOf } from './sync/access';
import { adminScope } from './accounts-api';

export const auditLimits = {
  /** Openings in one report; a device sends what it recorded offline in several. */
  maxEntries: 100,
  /** How old an opening may be when it is reported (a device offline for weeks still reports it). */
  maxAgeMs: 90 * 86_400_000,
  /** How far ahead of the server's clock a device's clock may be. */
  maxSkewMs: 10 * 60_000,
  maxList: 1_000
} as const;

const devicePattern = /^[A-Za-z0-9_-]{8,64}$/;
const userPattern = /^[A-Za-z0-9_.@-]{1,80}$/;

type Vars = { Variables: { principal: Principal } };
type Fail = (status: 400 | 403, error: string, message: string) => Response;

/** Routes under /api that need a signed-in principal (mounted after the app's authentication middleware). */
export function mountAudit(app: Hono<Vars>, deps: { storage: Storage; log: Logger; now: () => number }) {
  const { storage, log, now } = deps;

  app.post('/api/audit/opened', async (c) => {
    const p = c.get('principal');
    const fail: Fail = (status, error, message) => {
      log.warn('audit.report_refused', { userId: p.userId, error, message });
      return c.json({ error, message, request: `${c.req.method} ${c.req.path}` }, status);
    };
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return fail(400, 'bad_request', 'expected JSON {"device": string, "entries": [{"docId": string, "at": ISO time}]}');
    }
    const b = body as { device?: unknown; entries?: unknown };
    if (typeof body !== 'object' || body === null || Object.keys(body).some((k) => k !== 'device' && k !== 'entries')) {
      return fail(400, 'bad_request', 'expected exactly {"device", "entries"}');
    }
    if (typeof b.device !== 'string' || !devicePattern.test(b.device)) return fail(400, 'bad_request', 'device: 8-64 letters, digits, "_" or "-"');
    if (!Array.isArray(b.entries) || b.entries.length === 0 || b.entries.length > auditLimits.maxEntries) {
      return fail(400, 'bad_request', `entries: 1 to ${auditLimits.maxEntries} openings`);
    }
    const reader = readerOf(p);
    const rows: AuditEntry[] = [];
    for (const [i, e] of (b.entries as unknown[]).entries()) {
      const entry = e as { docId?: unknown; at?: unknown };
      const atMs = typeof entry.at === 'string' ? Date.parse(entry.at) : NaN;
      if (typeof e !== 'object' || e === null || Object.keys(e).some((k) => k !== 'docId' && k !== 'at')) return fail(400, 'bad_request', `entries[${i}]: expected {"docId", "at"}`);
      if (typeof entry.docId !== 'string' || parseDocId(entry.docId)?.kind !== 'patient') return fail(400, 'bad_request', `entries[${i}].docId: a chart id (patient:<id>)`);
      if (!Number.isFinite(atMs) || atMs < now() - auditLimits.maxAgeMs || atMs > now() + auditLimits.maxSkewMs) return fail(400, 'bad_request', `entries[${i}].at: an ISO time within the last 90 days`);
      // Only what this account may read, or read before its access was taken back (an opening recorded offline
      // before a request was withdrawn is still reported): nobody can write someone else's trail.
      const access = await storage.log.docAccess(entry.docId);
      const reads = reader !== undefined && (access.some((a) => a.reader === reader) || (await storage.log.wasRevoked(reader, entry.docId)));
      if (!reads) return fail(403, 'forbidden', `entries[${i}]: not a chart this account reads`);
      rows.push({ atMs, action: 'open', docId: entry.docId, userId: p.userId, device: b.device, seq: null });
    }
    await storage.log.audit(rows);
    return c.json({ recorded: rows.length });
  });

  app.get('/api/admin/audit', async (c) => {
    const p = c.get('principal');
    if (p.role !== Role.admin) {
      log.warn('audit.list_forbidden', { userId: p.userId });
      return c.json({ error: 'forbidden', message: 'only an administrator reads the audit trail', request: `${c.req.method} ${c.req.path}` }, 403);
    }
    const docId = c.req.query('docId');
    const userId = c.req.query('userId');
    const limit = Number(c.req.query('limit') ?? 200);
    // Besides documents: an account's, a unit's, a catalog's and a bulletin's administration (`account:<id>`, `unit:<id>`,
    // `catalog:<name>`, `bulletin:<id>`).
    const adminDoc =
      (docId?.startsWith('account:') && userPattern.test(docId.slice('account:'.length))) ||
      (docId?.startsWith('unit:') && patterns.id.test(docId.slice('unit:'.length))) ||
      docId === 'catalog:icd10' ||
      docId === 'catalog:drugs' ||
      (docId?.startsWith('bulletin:') && /^bulletin:b-[0-9a-f-]{36}$/.test(docId)) ||
      (docId?.startsWith('device:') && /^device:[A-Za-z0-9_.@-]{1,80}\/[A-Za-z0-9_-]{8,64}$/.test(docId));
    if ((!docId && !userId) || (docId && !parseDocId(docId) && !adminDoc) || (userId && !userPattern.test(userId)) || !Number.isInteger(limit) || limit < 1 || limit > auditLimits.maxList) {
      return c.json({ error: 'bad_request', message: `expected ?docId=<document id> or ?userId=<account id>, and limit 1-${auditLimits.maxList}`, request: `${c.req.method} ${c.req.path}` }, 400);
    }
    // A unit's administrator reads the trail of their units only: their accounts, their units, their units' records
    // (and the catalogs' imports, which every unit uses); a bulletin's, of a Department they run.
    const s = await adminScope(storage, p);
    if (s !== 'all' && !docId?.startsWith('catalog:')) {
      const unitsOf = async (id: string): Promise<(string | null | undefined)[]> => {
        if (id.startsWith('unit:')) return [id.slice('unit:'.length)];
        if (id.startsWith('bulletin:')) return [(await storage.getBulletin(id.slice('bulletin:'.length)))?.unitId ?? null];
        if (id.startsWith('account:')) return [(await storage.findUserById(id.slice('account:'.length)))?.unitId ?? null];
        if (id.startsWith('device:')) return [(await storage.findUserById(id.slice('device:'.length).split('/')[0]!))?.unitId ?? null];
        const d = await storage.log.getDoc(id);
        // A document the server does not hold has an empty trail: nothing of any unit to show.
        return d ? [d.unitId, d.peerUnitId ?? null] : [undefined];
      };
      const allowed = (docId === undefined || (await unitsOf(docId)).some((u) => u === undefined || s(u))) && (userId === undefined || s((await storage.findUserById(userId))?.unitId ?? null));
      if (!allowed) {
        log.warn('audit.list_forbidden', { userId: p.userId, docId, of: userId });
        return c.json({ error: 'forbidden', message: 'this trail is of a unit you do not administer', request: `${c.req.method} ${c.req.path}` }, 403);
      }
    }
    const entries = await storage.log.auditTrail({ docId, userId, limit });
    return c.json({ entries: entries.map((e) => ({ at: new Date(e.atMs).toISOString(), action: e.action, docId: e.docId, userId: e.userId, device: e.device, seq: e.seq })) });
  });
}
