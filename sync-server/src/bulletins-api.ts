// Bulletins (bản tin, M9): news a Department of Health publishes to its province. Stations, doctors and patients of
// the province fetch them when online and keep them on the device to read offline (app/lib/bulletins.svelte.ts);
// appendix 5's "Thống kê bản tin" counts them per Department and period.
//
// - GET  /api/bulletins                       the newest 50 of the caller's province (a staff member's or patient's
//   unit's; a unit administrator's unit's; every province for the deployment's administrator, withdrawn ones too),
//   with an ETag (304 when unchanged)
// - POST /api/admin/bulletins                 {title, body, unitId?}: publishes one; an administrator of a Department
//   of Health publishes for it, the deployment's administrator names the Department (`unitId`); audited
//   `bulletin_publish` on `bulletin:<id>`
// - POST /api/admin/bulletins/<id>/withdraw   {}: devices drop it at their next fetch; it stays counted; audited
//   `bulletin_withdraw`
// - GET  /api/reports/bulletins?from&to[&unitId]   administrators: bulletins published per Department in the period
//   (Vietnam's days, both included), within the units they run
import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { Role, UnitKind, hasControlCharacter, hasLineBreak, isCalendarDate, maxReportDays, patterns } from '@telehealth/domain';
import type { Principal } from './auth/tokens';
import type { Logger } from './log';
import type { BulletinRow, Storage } from './storage/storage';
import { adminScope, type Refuse } from './accounts-api';

type Vars = { Variables: { principal: Principal } };

export type BulletinsDeps = { storage: Storage; log: Logger; now: () => number; refuse: Refuse };

export const bulletinBounds = { title: 200, body: 5000, listed: 50 } as const;
const idPattern = /^b-[0-9a-f-]{36}$/;

const view = (b: BulletinRow, unitName: (id: string) => string | undefined) => ({
  id: b.id,
  unitId: b.unitId,
  unitName: unitName(b.unitId) ?? b.unitId,
  provinceCode: b.provinceCode,
  title: b.title,
  body: b.body,
  publishedAt: b.publishedAt.toISOString(),
  withdrawnAt: b.withdrawnAt ? b.withdrawnAt.toISOString() : null
});

/** The start of a Vietnam calendar day, as an instant. */
const vietnamDayStart = (day: string) => new Date(`${day}T00:00:00+07:00`);

export function mountBulletins(app: Hono<Vars>, deps: BulletinsDeps) {
  const { storage, log, now, refuse } = deps;

  for (const path of ['/api/admin/bulletins', '/api/admin/bulletins/*']) {
    app.use(path, async (c, next) => {
      if (c.get('principal').role !== Role.admin) return refuse(c, 403, 'forbidden', 'bulletins are published by administrators of a Department of Health');
      if (c.req.method === 'POST' && !/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) return refuse(c, 415, 'unsupported_media_type', 'send the body as application/json');
      return next();
    });
    app.use(path, bodyLimit({ maxSize: 32 * 1024, onError: (c) => refuse(c, 413, 'payload_too_large', 'the body is over 32 KiB') }));
  }

  /** The Department an administrator publishes for: their own unit if it is one; else (no unit) the one they name. */
  async function publisher(p: Principal, named: unknown): Promise<{ unitId: string; unitName: string; provinceCode: string } | string> {
    const units = await storage.listUnits();
    const id = p.unitId ?? (typeof named === 'string' ? named : undefined);
    if (p.unitId && named !== undefined && named !== p.unitId) return 'unitId: an administrator of a unit publishes for their own unit';
    const unit = units.find((u) => u.id === id);
    if (!unit || unit.kind !== UnitKind.department) return p.unitId ? 'only a Department of Health publishes bulletins' : 'unitId: the Department of Health that publishes';
    return { unitId: unit.id, unitName: unit.name, provinceCode: unit.provinceCode };
  }

  app.get('/api/bulletins', async (c) => {
    const p = c.get('principal');
    const units = await storage.listUnits();
    const name = (id: string) => units.find((u) => u.id === id)?.name;
    const everything = p.role === Role.admin && !p.unitId;
    const province = units.find((u) => u.id === p.unitId)?.provinceCode;
    if (!everything && !province) return c.json({ bulletins: [] });
    const rows = await storage.listBulletins(everything ? 'all' : [province!], { limit: bulletinBounds.listed, withdrawn: p.role === Role.admin });
    const bulletins = rows.map((b) => view(b, name));
    const etag = `"${createHash('sha256').update(JSON.stringify(bulletins)).digest('base64url').slice(0, 22)}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', 'no-cache');
    if (c.req.header('if-none-match')?.replace(/^W\//, '') === etag) return c.body(null, 304);
    return c.json({ bulletins });
  });

  app.post('/api/admin/bulletins', async (c) => {
    const p = c.get('principal');
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return refuse(c, 400, 'bad_request', 'the body is not JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return refuse(c, 400, 'bad_request', 'the body is {"title", "body", "unitId"?}');
    const b = body as Record<string, unknown>;
    const problems: string[] = [];
    for (const k of Object.keys(b)) if (!['title', 'body', 'unitId'].includes(k)) problems.push(`${k.slice(0, 40)}: not a field of a bulletin`);
    const title = typeof b.title === 'string' ? b.title.trim() : '';
    const text = typeof b.body === 'string' ? b.body.replace(/\r\n?/g, '\n').trim() : '';
    // A title is one line, without bidirectional overrides that would make it read otherwise to a patient.
    if (!title || title.length > bulletinBounds.title || hasControlCharacter(title) || hasLineBreak(title) || /[\u202a-\u202e\u2066-\u2069]/.test(title)) problems.push(`title: 1–${bulletinBounds.title} characters on one line`);
    if (!text || text.length > bulletinBounds.body || hasControlCharacter(text)) problems.push(`body: 1–${bulletinBounds.body} characters`);
    const from = await publisher(p, b.unitId);
    if (typeof from === 'string') {
      if (from.startsWith('only')) return refuse(c, 403, 'forbidden', from);
      problems.push(from);
    }
    if (problems.length || typeof from === 'string') return refuse(c, 400, 'bad_request', problems.join('; '), { problems });
    const at = new Date(now());
    const row: BulletinRow = { id: `b-${crypto.randomUUID()}`, unitId: from.unitId, provinceCode: from.provinceCode, title, body: text, publishedAt: at, publishedBy: p.userId, withdrawnAt: null };
    await storage.addBulletin(row);
    await storage.log.audit([{ atMs: at.getTime(), action: 'bulletin_publish', docId: `bulletin:${row.id}`, userId: p.userId, device: null, seq: null }]);
    log.info('bulletin.published', { id: row.id, unitId: row.unitId, by: p.userId });
    return c.json({ bulletin: view(row, () => from.unitName) }, 201);
  });

  app.post('/api/admin/bulletins/:id/withdraw', async (c) => {
    const p = c.get('principal');
    const id = c.req.param('id');
    const existing = idPattern.test(id) ? await storage.getBulletin(id) : undefined;
    // Only the Department that published it (or the deployment's administrator) withdraws it; others see none.
    if (!existing || (p.unitId && p.unitId !== existing.unitId)) return refuse(c, 404, 'not_found', `no bulletin ${id.slice(0, 64)} of your unit`);
    const at = new Date(now());
    if (!(await storage.withdrawBulletin(id, at))) return refuse(c, 409, 'already_withdrawn', 'this bulletin was withdrawn already');
    await storage.log.audit([{ atMs: at.getTime(), action: 'bulletin_withdraw', docId: `bulletin:${id}`, userId: p.userId, device: null, seq: null }]);
    log.info('bulletin.withdrawn', { id, by: p.userId });
    return c.json({ withdrawn: true });
  });

  app.get('/api/reports/bulletins', async (c) => {
    const p = c.get('principal');
    if (p.role !== Role.admin) return refuse(c, 403, 'forbidden', 'the bulletin statistics are for administrators');
    const from = c.req.query('from') ?? '';
    const to = c.req.query('to') ?? '';
    const unitId = c.req.query('unitId');
    const day = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && isCalendarDate(v);
    if (!day(from) || !day(to) || to < from) return refuse(c, 400, 'bad_request', 'from and to: dates YYYY-MM-DD, to not before from');
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
    if (days >= maxReportDays) return refuse(c, 400, 'bad_request', `a period of fewer than ${maxReportDays} days`);
    if (unitId !== undefined && !patterns.id.test(unitId)) return refuse(c, 400, 'bad_request', 'unitId: a unit id');
    const s = await adminScope(storage, p);
    const next = new Date(vietnamDayStart(to).getTime() + 86_400_000);
    const rows = (await storage.countBulletins(vietnamDayStart(from), next)).filter((r) => (s === 'all' || s(r.unitId)) && (unitId === undefined || r.unitId === unitId));
    return c.json({ from, to, rows, total: rows.reduce((n, r) => n + r.count, 0) });
  });
}
