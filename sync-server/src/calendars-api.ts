// Upper units' consultation calendars (lịch hội chẩn, criterion 60; packages/domain/calendar.ts). A unit publishes
// the weekly hours it holds consultations in; the stations that send it requests fetch it when online and keep it on
// the device (app/lib/calendars.svelte.ts) to pick a slot offline.
//
// - GET  /api/calendars              a station worker or doctor: the calendars of their own unit and of the units
//   their unit sends requests to (`linkedUnits`), with an ETag (304 when unchanged)
// - POST /api/calendars/<unitId>     {calendar}: a doctor of that unit, or an administrator who runs it; closed JSON
//   (`parseCalendar`), audited `calendar_change` on `unit:<id>`
import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { Role, parseCalendar } from '@telehealth/domain';
import type { Principal } from './auth/tokens';
import type { Logger } from './log';
import type { Storage } from './storage/storage';
import { adminScope, type Refuse } from './accounts-api';

type Vars = { Variables: { principal: Principal } };

export type CalendarsDeps = { storage: Storage; log: Logger; now: () => number; refuse: Refuse };

export function mountCalendars(app: Hono<Vars>, deps: CalendarsDeps) {
  const { storage, log, now, refuse } = deps;

  app.get('/api/calendars', async (c) => {
    const p = c.get('principal');
    if ((p.role !== Role.stationWorker && p.role !== Role.doctor) || !p.unitId) return c.json({ calendars: [] });
    const unitIds = [...new Set([p.unitId, ...(await storage.linkedUnits(p.unitId))])];
    const units = await storage.listUnits();
    const calendars = (await storage.getCalendars(unitIds)).flatMap((row) => {
      const parsed = parseCalendar(row.body);
      return parsed.ok ? [{ unitId: row.unitId, unitName: units.find((u) => u.id === row.unitId)?.name ?? row.unitId, calendar: parsed.calendar, updatedAt: row.updatedAt }] : [];
    });
    const etag = `"${createHash('sha256').update(JSON.stringify(calendars)).digest('base64url').slice(0, 22)}"`;
    c.header('ETag', etag);
    c.header('Cache-Control', 'no-cache');
    if (c.req.header('if-none-match')?.replace(/^W\//, '') === etag) return c.body(null, 304);
    return c.json({ calendars });
  });

  app.post(
    '/api/calendars/:unitId',
    bodyLimit({ maxSize: 16 * 1024, onError: (c) => refuse(c, 413, 'payload_too_large', 'the body is over 16 KiB') }),
    async (c) => {
      const p = c.get('principal');
      const unitId = c.req.param('unitId');
      const unit = (await storage.listUnits()).find((u) => u.id === unitId);
      const own = p.role === Role.doctor && p.unitId === unitId;
      const scope = p.role === Role.admin ? await adminScope(storage, p) : undefined;
      const runs = scope === 'all' || (typeof scope === 'function' && scope(unitId));
      if (!unit || (!own && !runs)) return refuse(c, 404, 'not_found', 'no unit with this id whose calendar you keep');
      if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) return refuse(c, 415, 'unsupported_media_type', 'send the body as application/json');
      const body = (await c.req.json().catch(() => undefined)) as { calendar?: unknown } | undefined;
      if (!body || typeof body !== 'object' || Object.keys(body).some((k) => k !== 'calendar')) return refuse(c, 400, 'bad_request', 'exactly {calendar}');
      const parsed = parseCalendar(body.calendar);
      if (!parsed.ok) {
        log.warn('calendars.refused', { userId: p.userId, unitId, problems: parsed.problems.slice(0, 5) });
        return refuse(c, 400, 'bad_request', parsed.problems.join('; '), { problems: parsed.problems });
      }
      await storage.saveCalendar(unitId, parsed.calendar, p.userId);
      await storage.log.audit([{ atMs: now(), action: 'calendar_change', docId: `unit:${unitId}`, userId: p.userId, device: null, seq: null }]);
      log.info('calendars.saved', { userId: p.userId, unitId, hours: parsed.calendar.weekly.length });
      return c.json({ calendar: parsed.calendar });
    }
  );
}
