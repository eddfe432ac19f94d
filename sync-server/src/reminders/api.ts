// The reminders' HTTP side (M9):
//
// - GET  /api/push/key                  any account: the deployment's VAPID public key (404 when push is off).
// - POST /api/push/subscriptions        a patient: exactly {"endpoint", "keys": {"p256dh", "auth"}} from the phone's
//   PushManager; the endpoint must be on a push service this server sends to (PUSH_ENDPOINT_ORIGINS), so that no
//   account can make the server post to an address of its choosing.
// - POST /api/push/unsubscribe          the same account: {"endpoint"}.
// - GET  /api/reminders/deliveries?patientId=   staff of a unit that reads the chart: each reminder's delivery by
//   channel (reminders/dispatcher.ts), for the chart's reminders panel.
import type { Hono } from 'hono';
import { Role, docId, patterns } from '@telehealth/domain';
import type { Principal } from '../auth/tokens';
import type { Refuse } from '../accounts-api';
import type { Storage } from '../storage/storage';
import { readerOf } from '../sync/access';
import type { ReminderDispatcher } from './dispatcher';

type Vars = { Variables: { principal: Principal } };

export type RemindersDeps = { storage: Storage; dispatcher: ReminderDispatcher; endpointOrigins: readonly string[]; refuse: Refuse };

const base64url = (max: number) => new RegExp(`^[A-Za-z0-9_-]{16,${max}}={0,2}$`);
const p256dhPattern = base64url(200);
const authPattern = base64url(100);

/** Whether a push endpoint is on one of the allowed origins (`https://*.notify.windows.com` matches any subdomain). */
export function allowedEndpoint(endpoint: string, origins: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (endpoint.length > 1000 || url.username || url.password) return false;
  return origins.some((o) => {
    const m = /^(https?):\/\/(\*\.)?([^/]+)$/.exec(o);
    if (!m || url.protocol !== `${m[1]}:`) return false;
    return m[2] ? url.host.endsWith(`.${m[3]}`) : url.host === m[3];
  });
}

export function mountReminders(app: Hono<Vars>, deps: RemindersDeps) {
  const { storage, dispatcher, refuse } = deps;

  app.get('/api/push/key', (c) => {
    const key = dispatcher.pushPublicKey;
    if (!key) return refuse(c, 404, 'not_found', 'this server sends no push');
    return c.json({ publicKey: key });
  });

  app.post('/api/push/subscriptions', async (c) => {
    const p = c.get('principal');
    if (p.role !== Role.patient) return refuse(c, 403, 'forbidden', 'push subscriptions are for patients’ phones');
    const body = (await c.req.json().catch(() => undefined)) as { endpoint?: unknown; keys?: { p256dh?: unknown; auth?: unknown } } | undefined;
    const keys = body?.keys;
    const closed = body && Object.keys(body).every((k) => k === 'endpoint' || k === 'keys') && keys && typeof keys === 'object' && Object.keys(keys).every((k) => k === 'p256dh' || k === 'auth');
    if (!closed || typeof body.endpoint !== 'string' || typeof keys.p256dh !== 'string' || typeof keys.auth !== 'string' || !p256dhPattern.test(keys.p256dh) || !authPattern.test(keys.auth)) {
      return refuse(c, 400, 'bad_request', 'exactly {"endpoint", "keys": {"p256dh", "auth"}} (base64url keys)');
    }
    if (!allowedEndpoint(body.endpoint, deps.endpointOrigins)) return refuse(c, 400, 'bad_request', 'the endpoint is not on a push service this server sends to');
    await dispatcher.subscribe(p.userId, { endpoint: body.endpoint, p256dh: keys.p256dh, auth: keys.auth });
    return c.json({ ok: true }, 201);
  });

  app.post('/api/push/unsubscribe', async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as { endpoint?: unknown } | undefined;
    if (typeof body?.endpoint !== 'string' || body.endpoint.length > 1000) return refuse(c, 400, 'bad_request', 'exactly {"endpoint"}');
    await dispatcher.unsubscribe(c.get('principal').userId, body.endpoint);
    return c.json({ ok: true });
  });

  app.get('/api/reminders/deliveries', async (c) => {
    const p = c.get('principal');
    const patientId = c.req.query('patientId') ?? '';
    const reader = readerOf(p);
    if ((p.role !== Role.stationWorker && p.role !== Role.doctor) || !reader) return refuse(c, 403, 'forbidden', 'health staff read the deliveries of their charts');
    if (!patterns.id.test(patientId)) return refuse(c, 400, 'bad_request', 'patientId: a chart id');
    const chart = docId('patient', patientId);
    if (!(await storage.log.docAccess(chart)).some((a) => a.reader === reader)) return refuse(c, 404, 'not_found', 'no chart with this id that your unit reads');
    c.header('Cache-Control', 'no-store');
    return c.json({ deliveries: await dispatcher.deliveries(chart) });
  });
}
